"""Stop a session's training job once its browser tab has gone for good.

A job outlives the script run that started it (that is the point), so a closed tab
or a reload would leave it training for nobody, holding one of the server's trainer
slots. A daemon thread per job asks Streamlit's runtime whether the session is still
connected and stops the job once the session has been gone for the grace period; a
tab that reconnects in time (a flaky network, a laptop lid) keeps its run.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core.jobs import Job, max_jobs_setting, whole_number_setting

GRACE_VARIABLE = "DASHBOARD_ORPHAN_GRACE_SECONDS"
DEFAULT_GRACE_SECONDS = 60  # Streamlit keeps a disconnected session resumable for 2 minutes
POLL_SECONDS = 1.0

_log = logging.getLogger(__name__)


def grace_setting() -> tuple[int, str | None]:
    """Seconds a job outlives its session ($DASHBOARD_ORPHAN_GRACE_SECONDS), and a problem."""
    return whole_number_setting(GRACE_VARIABLE, DEFAULT_GRACE_SECONDS)


def server_setting_problems() -> list[str]:
    """Bad job settings (environment variables), each saying which default is used."""
    settings = (max_jobs_setting(), grace_setting())
    return [f"Server setting: {problem}" for _, problem in settings if problem]


def current_session_check() -> Callable[[], bool] | None:
    """'Is the session running this script still connected?'; None outside a server."""
    context = get_script_run_ctx()
    if context is None or not runtime.exists():
        return None
    server, session_id = runtime.get_instance(), context.session_id
    return lambda: bool(server.is_active_session(session_id))


def stop_when_gone(
    job: Job,
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
                return
            job.join(poll_seconds)  # wakes at once when the job ends

    thread = threading.Thread(target=watch, name=f"watch-{job.name}", daemon=True)
    thread.start()
    return thread


def watch_session(job: Job) -> threading.Thread | None:
    """Stop `job` when the session that started it is gone; None when there is no server."""
    is_active = current_session_check()
    if is_active is None:
        return None
    return stop_when_gone(job, is_active, grace_setting()[0])
