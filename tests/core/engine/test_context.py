"""What a task sees on a worker, without a cluster: throttled progress, thinned curves, Stop."""

import threading
import time

import pytest

from core.engine.context import MAX_LIVE_POINTS, LocalChannel, TaskContext, thinned


def test_thinned_keeps_short_curves_and_the_last_point_of_long_ones():
    assert thinned([1, 2, 3]) == [1, 2, 3]
    long = list(range(10_000))
    kept = thinned(long)
    assert len(kept) == MAX_LIVE_POINTS
    assert kept[0] == 0 and kept[-1] == 9_999
    assert kept == sorted(kept)


def test_progress_is_published_at_most_every_interval_with_the_curves():
    channel = LocalChannel()
    with TaskContext(channel, publish_seconds=60) as context:
        assert channel.published["progress"] == {"phase": "starting"}
        for step in range(100):
            context.append("loss", 1 / (step + 1))
            context.report(step=step)
        assert channel.published["progress"]["phase"] == "starting"  # not due yet
        context.publish()
        assert channel.published["progress"]["step"] == 99
        assert len(channel.published["series"]["loss"]) == 100
    assert channel.published["progress"]["phase"] == "finishing"
    assert channel.published["started"] is True


def test_a_due_report_publishes_at_once():
    channel = LocalChannel()
    with TaskContext(channel, publish_seconds=0) as context:
        context.report(step=7)
        assert channel.published["progress"]["step"] == 7


def test_stop_reaches_the_work_and_the_page_learns_it_was_seen():
    channel = LocalChannel()
    with TaskContext(channel) as context:
        assert not context.stop_requested
        threading.Timer(0.1, channel.stop.set).start()
        deadline = time.monotonic() + 5
        while not context.stop_requested:
            assert time.monotonic() < deadline, "the stop never arrived"
            time.sleep(0.01)
        time.sleep(0.05)
        assert channel.published["stop_seen"] is True
    assert channel.published["progress"]["phase"] == "stopping"


def test_a_channel_that_fails_never_breaks_the_work():
    class Broken(LocalChannel):
        def wait_for_stop(self, timeout):
            raise OSError("scheduler gone")

    with TaskContext(Broken()) as context:
        context.report(step=1)
        assert not context.stop_requested


@pytest.mark.parametrize("limit", [2, 3, 10])
def test_thinned_respects_any_limit(limit):
    assert len(thinned(list(range(100)), limit)) == limit
