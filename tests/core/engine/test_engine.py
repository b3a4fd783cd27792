"""The training engine on a real LocalCluster: the queue, progress, Stop, faults."""

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import replace

import pytest
from distributed import Event

from core.engine import (
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    STOPPED,
    engine_client,
    submit,
    training_task,
)
from core.engine.jobs import LOST_WORKER
from core.engine.settings import workers_setting
from core.models import ModelConfig
from core.training import STOPPED as RUN_STOPPED
from core.training import TrainConfig
from tests.conftest import ROOT
from tests.core.engine.helper_tasks import failing_task, hold_task

pytestmark = pytest.mark.slow


def wait_until(condition, timeout=120.0, every=0.05):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(every)


@pytest.fixture
def release():
    """A Dask Event that lets hold_task runs end; set at the end of the test in any case."""
    name = f"release-{uuid.uuid4().hex}"
    client = engine_client()
    yield name
    Event(name, client=client).set()


def test_runs_wait_in_one_queue_in_order_and_know_their_place():
    """Every worker busy, two runs wait: positions 1 and 2; a worker frees, the first starts."""
    client = engine_client()
    workers = workers_setting()[0]
    releases = [f"release-{uuid.uuid4().hex}" for _ in range(workers + 2)]
    jobs = [submit(hold_task, name, kind="test") for name in releases]
    try:
        wait_until(lambda: sum(job.state == RUNNING for job in jobs) == workers)
        holders = [job for job in jobs if job.state == RUNNING]
        waiting = [job for job in jobs if job.state == QUEUED]
        assert waiting == jobs[workers:]  # the first ones came first
        wait_until(lambda: [job.snapshot().queue_position for job in waiting] == [1, 2])
        Event(releases[jobs.index(holders[0])], client=client).set()
        wait_until(lambda: waiting[0].state == RUNNING)
        assert waiting[1].state == QUEUED
        wait_until(lambda: waiting[1].snapshot().queue_position == 1)
    finally:
        for name in releases:
            Event(name, client=client).set()
    for job in jobs:
        job.join(60)
        assert job.state == DONE
        job.release()


def test_a_run_stopped_while_queued_never_starts(release):
    workers = workers_setting()[0]
    jobs = [submit(hold_task, release, kind="test") for _ in range(workers + 1)]
    wait_until(lambda: jobs[-1].snapshot().queue_position == 1)
    jobs[-1].request_stop()
    wait_until(lambda: jobs[-1].finished, timeout=10)
    snapshot = jobs[-1].snapshot()
    assert snapshot.state == STOPPED and snapshot.result is None and snapshot.seconds == 0
    Event(release, client=engine_client()).set()


def test_a_task_that_raises_shows_its_message_not_a_traceback():
    job = submit(failing_task, kind="test")
    job.join(60)
    snapshot = job.snapshot()
    assert snapshot.state == FAILED
    assert snapshot.error == "ValueError: the batch size is larger than the data set"
    assert "Traceback" in snapshot.details


def test_training_streams_its_curve_and_stops_within_a_batch(real_data_dir):
    config = TrainConfig(
        "mnist", ModelConfig("mlp", 1, 64), "adam", 1e-3, 32, 20, 20_000, 0.1, seed=0
    )
    job = submit(training_task, replace(config, test_size=1000), kind="test")
    wait_until(lambda: len(job.snapshot().series.get("batch_loss", [])) >= 3, timeout=180)
    first = len(job.snapshot().series["batch_loss"])
    wait_until(lambda: len(job.snapshot().series["batch_loss"]) > first, timeout=60)
    assert not job.stop_pending
    clicked = time.monotonic()
    job.request_stop()
    assert job.stop_pending and job.stop_requested  # pressed; the page watches closely
    wait_until(lambda: job.snapshot().stop_seen, timeout=30, every=0.02)
    assert not job.stop_pending
    seen = time.monotonic() - clicked
    job.join(60)
    snapshot = job.snapshot()
    assert snapshot.state == STOPPED
    result = snapshot.result
    assert result.status == RUN_STOPPED and result.epochs_completed < 20
    assert result.model_bytes and result.test_accuracy > 0.5
    assert seen < 5, f"the worker saw the stop {seen:.1f} s after the click"
    job.release()


def test_a_killed_worker_fails_its_run_and_the_next_run_works(release):
    client = engine_client()
    job = submit(hold_task, release, kind="test")
    wait_until(lambda: job.state == RUNNING)
    worker = next(address for address, keys in client.processing().items() if job.name in keys)
    pid = client.run(os.getpid, workers=[worker])[worker]
    os.kill(pid, signal.SIGKILL)
    job.join(60)
    snapshot = job.snapshot()
    assert snapshot.state == FAILED
    assert snapshot.error == LOST_WORKER
    Event(release, client=client).set()
    retry = submit(hold_task, release, kind="test")
    retry.join(120)
    assert retry.state == DONE
    wait_until(lambda: len(client.scheduler_info()["workers"]) == workers_setting()[0])


def test_an_unreachable_scheduler_is_one_sentence_and_no_wait_on_every_call():
    code = (
        "import time\n"
        "from core.engine import EngineUnavailable, engine_client\n"
        "for attempt in range(2):\n"
        "    started = time.monotonic()\n"
        "    try:\n"
        "        engine_client()\n"
        "    except EngineUnavailable as error:\n"
        "        print(round(time.monotonic() - started, 1), error)\n"
    )
    environment = {**os.environ, "DASHBOARD_SCHEDULER": "tcp://127.0.0.1:9"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2, result.stderr[-2000:]
    for line in lines:
        assert "The training engine at tcp://127.0.0.1:9 cannot be reached" in line
        assert "every other page works" in line
    assert float(lines[1].split()[0]) < 1  # the second call answers from memory


def test_the_same_seed_gives_the_same_curves_on_two_workers_training_at_once(real_data_dir):
    """Each run is alone in its worker process: two runs of one seed, side by side, agree."""
    config = TrainConfig(
        "mnist", ModelConfig("mlp", 1, 32, "relu", 0.2), "adam", 1e-3, 50, 1, 1_000, 0.1, seed=3
    )
    jobs = [submit(training_task, replace(config, test_size=200), kind="test") for _ in range(2)]
    for job in jobs:
        job.join(300)
    first, second = (job.snapshot().result for job in jobs)
    assert first.test_accuracy == second.test_accuracy
    first_curves, second_curves = (job.snapshot().series for job in jobs)
    for name in ("batch_loss", "batch_accuracy", "epoch_val_loss", "epoch_val_accuracy"):
        assert first_curves[name] == second_curves[name], name


def thread_nice_values() -> list[int]:
    return [os.getpriority(os.PRIO_PROCESS, int(task)) for task in os.listdir("/proc/self/task")]


def test_workers_train_one_step_behind_the_web_server():
    """Every thread of every worker, TensorFlow's too, at DASHBOARD_WORKER_NICE (10): a
    student's click is answered before the next batch; this process is untouched."""
    client = engine_client()
    config = TrainConfig(
        "mnist", ModelConfig("softmax"), "adam", 1e-3, 100, 1, 1_000, 0.1, seed=0, test_size=100
    )
    job = submit(training_task, config, kind="test")  # so TensorFlow's threads exist too
    job.join(timeout=300)
    per_worker = client.run(thread_nice_values)
    assert per_worker and all(set(values) == {10} for values in per_worker.values()), per_worker
    assert os.getpriority(os.PRIO_PROCESS, 0) == 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", (10, None)), ("0", (0, None)), ("19", (19, None)),
     ("25", (10, "DASHBOARD_WORKER_NICE=25 is past 19; using 10.")),
     ("low", (10, "DASHBOARD_WORKER_NICE='low' must be a whole number of at least 0; using 10."))],
)  # fmt: skip
def test_a_bad_worker_nice_value_is_named_with_the_default(monkeypatch, raw, expected):
    from core.engine.settings import worker_nice_setting

    monkeypatch.setenv("DASHBOARD_WORKER_NICE", raw)
    assert worker_nice_setting() == expected


def test_workers_run_with_the_engines_quieter_monitoring():
    """ENGINE_CONFIG reaches the worker processes: no stack-sampling profiler, slow ticks."""
    import dask

    from core.engine.cluster import ENGINE_CONFIG

    def seen():
        return {key: dask.config.get(key) for key in ENGINE_CONFIG}

    per_worker = engine_client().run(seen)
    assert per_worker
    for values in per_worker.values():
        assert values["distributed.worker.profile.enabled"] is False
        assert values["distributed.admin.tick.interval"] == "1s"
