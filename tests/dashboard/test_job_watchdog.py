"""The watchdog that stops an engine run whose browser session has gone."""

import threading
import time
import uuid

import pytest
from distributed import Event

from core.engine import RUNNING, STOPPED, engine_client, submit
from core.engine.settings import grace_setting
from dashboard.job_watchdog import stop_when_gone
from tests.core.engine.helper_tasks import busy_engine, hold_task


def wait_until(condition, timeout=120.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)


class Session:
    """A session whose connection the test switches, read by the watchdog's thread."""

    def __init__(self):
        self.connected = threading.Event()
        self.connected.set()

    def is_active(self) -> bool:
        return self.connected.is_set()


@pytest.fixture
def endless():
    """A run on the engine that holds its worker until it is stopped (or the test ends)."""
    release = f"release-{uuid.uuid4().hex}"
    job = submit(hold_task, release, kind="test")
    wait_until(lambda: job.state == RUNNING)
    yield job
    Event(release, client=engine_client()).set()
    job.join(30)


@pytest.mark.slow
def test_a_run_whose_session_is_gone_is_stopped_after_the_grace(endless):
    """Closed tab: the run goes on through the grace period, then stops and is released."""
    session = Session()
    watcher = stop_when_gone(endless, session.is_active, grace_seconds=0.5, poll_seconds=0.02)
    session.connected.clear()
    gone = time.monotonic()
    endless.join(30)
    assert time.monotonic() - gone >= 0.5
    assert endless.state == STOPPED
    watcher.join(30)
    assert not watcher.is_alive()


@pytest.mark.slow
def test_a_session_that_comes_back_within_the_grace_keeps_its_run(endless):
    """A network blip shorter than the grace does not stop the run."""
    session = Session()
    watcher = stop_when_gone(endless, session.is_active, grace_seconds=1.0, poll_seconds=0.02)
    for _ in range(3):
        session.connected.clear()
        time.sleep(0.3)
        session.connected.set()
        time.sleep(0.1)
    assert endless.state == RUNNING
    endless.request_stop()
    endless.join(30)
    watcher.join(30)
    assert not watcher.is_alive()


@pytest.mark.slow
def test_a_queued_orphan_leaves_the_queue_for_the_next_run():
    """A closed tab's run that is still waiting is taken out: the run behind it moves up."""
    with busy_engine():
        release = f"release-{uuid.uuid4().hex}"
        orphan = submit(hold_task, release, kind="test")
        behind = submit(hold_task, release, kind="test")
        wait_until(lambda: behind.snapshot().queue_position == 2)
        session = Session()
        stop_when_gone(orphan, session.is_active, grace_seconds=0.1, poll_seconds=0.02)
        session.connected.clear()
        wait_until(lambda: orphan.finished)
        assert orphan.state == STOPPED
        wait_until(lambda: behind.snapshot().queue_position == 1)
    Event(release, client=engine_client()).set()
    behind.join(60)


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
