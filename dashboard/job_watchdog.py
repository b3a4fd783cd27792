"""Stop a session's run on the training engine once its browser tab has gone for good.

A run outlives the script run that started it (that is the point), so a closed tab
or a reload would leave it training for nobody, holding one of the engine's workers.
A daemon thread per run asks Streamlit's runtime whether the session is still
connected and stops the run once the session has been gone for the grace period (a
queued run is taken out of the queue); a tab that reconnects in time (a flaky network,
a laptop lid) keeps its run. A run nobody collected is then released on the cluster.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core.engine import RemoteJob
from core.engine.settings import grace_setting

POLL_SECONDS = 1.0
RELEASE_AFTER_STOP_SECONDS = 120  # a stopped run still measures its test accuracy

_log = logging.getLogger(__name__)


def current_session_check() -> Callable[[], bool] | None:
    """'Is the session running this script still connected?'; None outside a server."""
    context = get_script_run_ctx()
    if context is None or not runtime.exists():
        return None
    server, session_id = runtime.get_instance(), context.session_id
    return lambda: bool(server.is_active_session(session_id))


def stop_when_gone(
    job: RemoteJob,
    is_active: Callable[[], bool],
    grace_seconds: float,
    poll_seconds: float = POLL_SECONDS,
) -> threading.Thread:
    """Watch `job` until it ends; stop it once `is_active` has been False for grace_seconds."""

    def watch() -> None:
        gone_since = None
        while not job.finished:
            if is_active():
                gone_since = None
            elif gone_since is None:
                gone_since = time.monotonic()
            elif time.monotonic() - gone_since >= grace_seconds:
                _log.warning(
                    "stopping %s: its session has been gone for %.0f s", job.name, grace_seconds
                )
                job.request_stop()
                job.join(RELEASE_AFTER_STOP_SECONDS)
                job.release()  # nobody will collect it: free its result on the cluster
                return
            job.join(poll_seconds)  # wakes at once when the job ends

    thread = threading.Thread(target=watch, name=f"watch-{job.name}", daemon=True)
    thread.start()
    return thread


def watch_session(job: RemoteJob) -> threading.Thread | None:
    """Stop `job` when the session that started it is gone; None when there is no server."""
    is_active = current_session_check()
    if is_active is None:
        return None
    return stop_when_gone(job, is_active, grace_setting()[0])
