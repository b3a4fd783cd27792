"""A closed tab's session ends after the grace period: freed on the server, never resumed."""

import asyncio

import pytest
from streamlit import config

from bench.classroom.protocol import Tab
from dashboard import session_reaper
from dashboard.session_reaper import POLL_SECONDS, ended_sessions
from tests.conftest import ROOT, free_port, in_own_thread, start_server, wait_for_health

GRACE = 2


def test_sessions_gone_for_the_grace_period_are_ended_and_forgotten():
    seen = {"open": 0.0, "just-closed": 95.0, "long-gone": 80.0}
    ended = ended_sessions(seen, lambda session: session == "open", now=100.0, grace=10.0)
    assert ended == ["long-gone"]
    assert seen == {"open": 100.0, "just-closed": 95.0}  # connected: seen now


def test_the_grace_stays_within_streamlits_own_time_to_live(monkeypatch):
    """An expired session can no longer be found to be closed: it is ended before."""
    monkeypatch.setenv("DASHBOARD_ORPHAN_GRACE_SECONDS", "600")
    ttl = config.get_option("server.disconnectedSessionTTL")
    assert session_reaper.grace_seconds() == ttl - session_reaper.TTL_MARGIN_SECONDS
    monkeypatch.setenv("DASHBOARD_ORPHAN_GRACE_SECONDS", "7")
    assert session_reaper.grace_seconds() == 7


@pytest.fixture
def short_grace_server(request):
    port = free_port()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DASHBOARD_ORPHAN_GRACE_SECONDS", str(GRACE))
        process = start_server(port, ROOT / "artifacts" / "streamlit-session-reaper.log")
    request.addfinalizer(lambda: process.terminate() or process.wait(timeout=10))
    url = f"http://127.0.0.1:{port}"
    wait_for_health(url, process)
    return url


@pytest.mark.slow
def test_a_closed_tabs_session_is_ended_after_the_grace(short_grace_server):
    """A tab that reconnects at once finds its session; after the grace it gets a new one."""

    async def visit() -> tuple[str, str, str]:
        tab = Tab(short_grace_server)
        await tab.open("information", "p=0.7,0.1,0.1,0.1")
        first = tab.session_id
        await tab.reconnect()  # a network blip: the same session
        blip = tab.session_id
        await tab.close()
        await asyncio.sleep(GRACE + 2 * POLL_SECONDS)
        await tab.reconnect()  # too late: the server has ended it
        late = tab.session_id
        await tab.close()
        return first, blip, late

    first, blip, late = in_own_thread(asyncio.run, visit())
    assert first and blip == first
    assert late and late != first
