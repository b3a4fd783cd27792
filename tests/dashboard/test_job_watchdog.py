"""The watchdog that stops a training job whose browser session has gone."""

import threading
import time

import pytest

from core.jobs import RUNNING, STOPPED, Job, JobQueue
from dashboard.job_watchdog import grace_setting, stop_when_gone
from tests.core.test_jobs import wait_until


def endless_job(queue=None) -> Job:
    """A job that runs until it is asked to stop, like a long training."""

    def work(context):
        while not context.stop_requested:
            time.sleep(0.01)
        return "stopped on request"

    return Job(work, queue=queue or JobQueue(1)).start()


class Session:
    """A session whose connection the test switches, read by the watchdog's thread."""

    def __init__(self):
        self.connected = threading.Event()
        self.connected.set()

    def is_active(self) -> bool:
        return self.connected.is_set()


def test_a_job_whose_session_is_gone_is_stopped_after_the_grace():
    """Closed tab: the job runs on through the grace period, then stops and keeps its result."""
    session, job = Session(), endless_job()
    watcher = stop_when_gone(job, session.is_active, grace_seconds=0.3, poll_seconds=0.02)
    session.connected.clear()
    gone = time.monotonic()
    job.join(5)
    assert time.monotonic() - gone >= 0.3
    assert job.state == STOPPED and job.snapshot().result == "stopped on request"
    watcher.join(1)
    assert not watcher.is_alive()


def test_a_session_that_comes_back_within_the_grace_keeps_its_job():
    """A network blip shorter than the grace does not stop the run."""
    session, job = Session(), endless_job()
    watcher = stop_when_gone(job, session.is_active, grace_seconds=0.5, poll_seconds=0.02)
    for _ in range(3):
        session.connected.clear()
        time.sleep(0.2)
        session.connected.set()
        time.sleep(0.1)
    assert job.state == RUNNING
    job.request_stop()
    job.join(5)
    watcher.join(1)
    assert not watcher.is_alive()


def test_a_stopped_orphan_frees_its_place_in_the_queue():
    """The slot an orphan held goes to the next job waiting."""
    queue, session = JobQueue(1), Session()
    orphan = endless_job(queue)
    wait_until(lambda: orphan.state == RUNNING)
    waiting = Job(lambda context: "ran", queue=queue).start()
    wait_until(lambda: waiting.snapshot().queue_position == 1)
    stop_when_gone(orphan, session.is_active, grace_seconds=0.1, poll_seconds=0.02)
    session.connected.clear()
    waiting.join(5)
    assert waiting.snapshot().result == "ran"


@pytest.mark.parametrize(("value", "expected"), [("5", (5, None)), ("", (60, None))])
def test_the_grace_comes_from_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("DASHBOARD_ORPHAN_GRACE_SECONDS", value)
    assert grace_setting() == expected


def test_a_bad_grace_falls_back_to_a_minute_and_says_why(monkeypatch):
    monkeypatch.setenv("DASHBOARD_ORPHAN_GRACE_SECONDS", "soon")
    assert grace_setting() == (
        60,
        "DASHBOARD_ORPHAN_GRACE_SECONDS='soon' must be a whole number of at least 1; using 60.",
    )
