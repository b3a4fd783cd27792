"""Small tasks for the engine's tests: they hold a worker until told, and say when they began."""

import time
import uuid
from contextlib import contextmanager

from core.engine.context import TaskContext
from core.engine.tasks import channel_for


def hold_task(release_name: str, eta: float | None = None, run_key: str | None = None) -> float:
    """Runs until the Dask Event `release_name` is set or Stop is pressed; returns its start.

    With `eta`, it says (as a training run does) that it will end that many seconds after
    it began."""
    from distributed import Event, get_client

    started = time.time()
    release = Event(release_name, client=get_client())
    with TaskContext(channel_for(run_key), publish_seconds=0.1) as context:
        while not context.stop_requested and not release.wait(0.05):
            waited = time.time() - started
            context.report(waited=waited, eta_seconds=None if eta is None else eta - waited)
    return started


def failing_task(run_key: str | None = None) -> None:
    with TaskContext(channel_for(run_key)):
        raise ValueError("the batch size is larger than the data set")


@contextmanager
def busy_engine(eta: float | None = None):
    """Every worker of the engine holds a run until the block ends: new runs must queue.
    With `eta`, each says it ends that many seconds after it began."""
    from distributed import Event

    from core.engine import RUNNING, engine_client, submit
    from core.engine.settings import workers_setting

    release = f"release-{uuid.uuid4().hex}"
    holders = [submit(hold_task, release, eta, kind="busy") for _ in range(workers_setting()[0])]
    deadline = time.monotonic() + 180
    while not all(job.state == RUNNING for job in holders):
        assert time.monotonic() < deadline, "the engine's workers never all started"
        time.sleep(0.05)
    try:
        yield holders
    finally:
        Event(release, client=engine_client()).set()
        for job in holders:
            job.join(30)
            job.release()
