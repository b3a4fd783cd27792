"""The live panels' tick rate: twice a second while few are open, slower when many are."""

import time

import pytest

from pages.training import views
from pages.training.views import LIVE_SECONDS, SLOWEST_LIVE_SECONDS, live_interval


@pytest.mark.parametrize(
    ("panels", "seconds"),
    [(1, LIVE_SECONDS), (8, LIVE_SECONDS), (16, 1.0), (24, 1.5), (32, 2.0), (500, 2.0)],
)
def test_ticks_slow_down_with_the_panels_open_in_the_process(panels, seconds):
    assert live_interval(panels) == pytest.approx(seconds)
    assert live_interval(panels) <= SLOWEST_LIVE_SECONDS


def test_a_panel_that_stopped_ticking_is_no_longer_counted(monkeypatch):
    now = time.monotonic()
    monkeypatch.setattr(
        views, "_panel_ticks", {"ticking": now, "closed": now - views.PANEL_GONE_SECONDS - 1}
    )
    assert views.open_panels() == 1
    assert live_interval() == LIVE_SECONDS  # this one and the one still ticking


def test_this_sessions_own_panel_is_counted_once(monkeypatch):
    """A rerun reads the rate after its own panel has ticked: it is one of the 8, not a 9th."""
    now = time.monotonic()
    monkeypatch.setattr(views, "_panel_ticks", {f"student-{i}": now for i in range(8)})
    monkeypatch.setattr(views, "_this_session", lambda: "student-0")
    assert live_interval() == LIVE_SECONDS
    monkeypatch.setattr(views, "_this_session", lambda: "a newcomer")
    assert live_interval() == pytest.approx(LIVE_SECONDS * 9 / 8)
