"""End a closed tab's session for good: its runs, models, pictures and uploads are freed.

Streamlit keeps a disconnected session so that a tab that reconnects (a network blip, a
laptop lid) finds it again, for `server.disconnectedSessionTTL` (2 minutes). After that
it is never resumed, but it is not freed either: Streamlit's session storage only drops
expired sessions when another session is stored, so after a class has left, its last
sessions (their runs' results, their models' .keras bytes, their images) stay in the
server's memory until the next student comes.

So each script run notes its session here, and one daemon thread per process closes a
session once it has been disconnected for the grace period the training engine uses for
a closed tab's run (DASHBOARD_ORPHAN_GRACE_SECONDS, and a little less than the TTL):
through Streamlit's own `Runtime.close_session`, which frees the session state, its
media and uploaded files and its caches, as for a session Streamlit shuts down itself.
Then a garbage collection (figures and results hold cycles) and `malloc_trim`, at
most every COLLECT_SECONDS, give the memory back to the system.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import threading
import time

from streamlit import config, runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core.engine.settings import grace_setting

POLL_SECONDS = 5.0
TTL_MARGIN_SECONDS = 5  # close before Streamlit's TTL: an expired session can't be found
COLLECT_SECONDS = 30.0  # a full collection holds the GIL for ~100 ms

_log = logging.getLogger(__name__)
_lock = threading.Lock()
_last_connected: dict[str, float] = {}  # session id -> when it was last seen connected
_thread: threading.Thread | None = None


def note_session() -> None:
    """Called on every script run: remember this session, so its end is noticed."""
    context = get_script_run_ctx()
    if context is None or not runtime.exists():
        return  # AppTest and scripts: no server, no sessions to end
    global _thread
    with _lock:
        _last_connected[context.session_id] = time.monotonic()
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_watch, name="session-reaper", daemon=True)
            _thread.start()


def grace_seconds() -> float:
    """How long a disconnected session is kept: the engine's grace, within Streamlit's TTL."""
    ttl = float(config.get_option("server.disconnectedSessionTTL"))
    return max(1.0, min(float(grace_setting()[0]), ttl - TTL_MARGIN_SECONDS))


def ended_sessions(
    last_connected: dict[str, float], is_active, now: float, grace: float
) -> list[str]:
    """Sessions disconnected for `grace` seconds or more; connected ones are marked seen."""
    ended = []
    for session_id in list(last_connected):
        if is_active(session_id):
            last_connected[session_id] = now
        elif now - last_connected[session_id] >= grace:
            ended.append(session_id)
            del last_connected[session_id]
    return ended


def _watch() -> None:
    collected_at = 0.0
    waiting = False  # sessions were closed since the last collection
    while True:
        time.sleep(POLL_SECONDS)
        if not runtime.exists():
            continue
        server = runtime.get_instance()
        with _lock:
            ended = ended_sessions(
                _last_connected, server.is_active_session, time.monotonic(), grace_seconds()
            )
        if ended:
            _close_on_event_loop(server, ended)
            waiting = True
        if waiting and time.monotonic() - collected_at >= COLLECT_SECONDS:
            time.sleep(1)  # the event loop closes them first
            release_memory()
            collected_at, waiting = time.monotonic(), False


def _close_on_event_loop(server, session_ids: list[str]) -> None:
    """Runtime.close_session must run on the event loop thread (Streamlit's rule)."""
    try:
        loop = server._get_async_objs().eventloop  # private: tests/dashboard checks it
    except (AttributeError, RuntimeError) as error:
        _log.warning("cannot end closed sessions (%s): their memory stays", error)
        return
    for session_id in session_ids:
        with contextlib.suppress(RuntimeError):  # the loop is closing: so is the server
            loop.call_soon_threadsafe(server.close_session, session_id)
    _log.info("ended %d session(s) gone for the grace period", len(session_ids))


def release_memory() -> None:
    """Collect cycles, then hand freed heap pages back to the system (glibc only)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
