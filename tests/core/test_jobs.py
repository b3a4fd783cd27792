"""Background jobs: progress, stop, failure and the server-wide queue."""

import threading
import time

import pytest

from core import jobs
from core.jobs import DONE, FAILED, QUEUED, RUNNING, STOPPED, Job, JobQueue, max_jobs_setting


def wait_until(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        time.sleep(0.01)


def counting_work(steps, release=None):
    def work(context):
        for step in range(steps):
            if release is not None:
                release.wait()
            if context.stop_requested:
                return step
            context.report(step=step)
            context.append("loss", 1.0 / (step + 1))
        return steps

    return work


def test_progress_and_result():
    job = Job(counting_work(5), queue=JobQueue(1)).start()
    job.join(5)
    snapshot = job.snapshot()
    assert snapshot.state == DONE
    assert snapshot.result == 5
    assert snapshot.progress == {"step": 4}
    assert snapshot.series["loss"] == pytest.approx([1, 1 / 2, 1 / 3, 1 / 4, 1 / 5])


def test_stop_keeps_what_was_done():
    gate = threading.Event()
    job = Job(counting_work(1000, gate), queue=JobQueue(1)).start()
    wait_until(lambda: job.state == RUNNING)
    job.request_stop()
    gate.set()
    job.join(5)
    assert job.snapshot().state == STOPPED
    assert job.snapshot().result == 0


def test_failure_is_reported_not_raised():
    def broken(context):
        raise ValueError("learning rate must be positive")

    job = Job(broken, queue=JobQueue(1)).start()
    job.join(5)
    snapshot = job.snapshot()
    assert snapshot.state == FAILED
    assert snapshot.error == "ValueError: learning rate must be positive"
    assert "Traceback" in snapshot.details


def test_queue_runs_in_order_and_reports_position():
    queue = JobQueue(1)
    gate = threading.Event()
    first = Job(counting_work(1, gate), queue=queue).start()
    wait_until(lambda: first.state == RUNNING)
    second = Job(counting_work(1), queue=queue).start()
    third = Job(counting_work(1), queue=queue).start()
    wait_until(lambda: third.snapshot().queue_position == 2)
    assert second.snapshot().queue_position == 1
    assert (second.state, third.state) == (QUEUED, QUEUED)
    gate.set()
    for job in (first, second, third):
        job.join(5)
        assert job.state == DONE
    assert queue.running == 0


def test_stopping_a_queued_job_frees_its_place():
    queue = JobQueue(1)
    gate = threading.Event()
    first = Job(counting_work(1, gate), queue=queue).start()
    wait_until(lambda: first.state == RUNNING)
    waiting = Job(counting_work(1), queue=queue).start()
    behind = Job(counting_work(1), queue=queue).start()
    wait_until(lambda: behind.snapshot().queue_position == 2)
    waiting.request_stop()
    waiting.join(5)
    assert waiting.state == STOPPED
    assert behind.snapshot().queue_position == 1
    gate.set()
    behind.join(5)
    assert behind.state == DONE


def test_queue_size_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        JobQueue(0)


@pytest.mark.parametrize(("value", "expected"), [(None, 2), ("", 2), ("3", 3), (" 1 ", 1)])
def test_max_jobs_comes_from_the_environment(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("DASHBOARD_MAX_JOBS", raising=False)
    else:
        monkeypatch.setenv("DASHBOARD_MAX_JOBS", value)
    assert max_jobs_setting() == (expected, None)


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_a_bad_max_jobs_falls_back_to_the_default_and_says_why(monkeypatch, value):
    """The server never refuses to train over a bad setting: the default is used, and named."""
    monkeypatch.setenv("DASHBOARD_MAX_JOBS", value)
    monkeypatch.setattr(jobs, "_default_queue", None)
    assert max_jobs_setting() == (
        2,
        f"DASHBOARD_MAX_JOBS={value!r} must be a whole number of at least 1; using 2.",
    )
    assert jobs.default_queue().max_running == 2
