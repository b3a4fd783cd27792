"""The engine's server settings, read from the environment; a bad value is named, never fatal."""

from __future__ import annotations

import os

SCHEDULER_VARIABLE = "DASHBOARD_SCHEDULER"  # tcp://host:8786: use that Dask scheduler
WORKERS_VARIABLE = "DASHBOARD_WORKERS"  # worker processes of the built-in LocalCluster
GRACE_VARIABLE = "DASHBOARD_ORPHAN_GRACE_SECONDS"  # a closed tab's run outlives it this long
LIMIT_VARIABLE = "DASHBOARD_RUN_LIMIT_MINUTES"  # one run's estimated time may not exceed this
DEFAULT_LIMIT_MINUTES = 15  # the long tutorial CNN preset takes about 10 minutes alone
MEMORY_VARIABLE = "DASHBOARD_WORKER_MEMORY_MB"  # a LocalCluster worker is restarted past this
DEFAULT_WORKER_MEMORY_MB = 4_000  # TensorFlow and a run of the tutorial CNN take under 2 GB
NICE_VARIABLE = "DASHBOARD_WORKER_NICE"  # how far a worker steps back for the web server
DEFAULT_WORKER_NICE = 10  # a click beats a batch: the web server's turn comes first
DEFAULT_GRACE_SECONDS = 60  # Streamlit keeps a disconnected session resumable for 2 minutes


def whole_number_setting(variable: str, default: int, minimum: int = 1) -> tuple[int, str | None]:
    """$variable as a whole number >= minimum, or the default and a sentence saying why."""
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default, None
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        return default, (
            f"{variable}={raw[:40]!r} must be a whole number of at least {minimum}; "
            f"using {default}."
        )
    return value, None


def default_workers() -> int:
    """Two on a laptop (one run trains while the next can start), more on a big server.

    Each worker trains one run at a time with all of TensorFlow's threads: two runs on
    two cores share them, and a lone run is not slowed by an idle second worker.
    """
    return max(2, min(8, (os.cpu_count() or 2) // 2))


def workers_setting() -> tuple[int, str | None]:
    return whole_number_setting(WORKERS_VARIABLE, default_workers())


def worker_memory_setting() -> tuple[int, str | None]:
    """Megabytes a worker may use: a model that asks for more (an upload describing a huge
    network) ends that worker's task, never the web server; its nanny starts it again."""
    return whole_number_setting(MEMORY_VARIABLE, DEFAULT_WORKER_MEMORY_MB, minimum=500)


def worker_nice_setting() -> tuple[int, str | None]:
    """Niceness a worker trains at (0 to 19). On a machine that also serves the pages, a
    training batch waits while a student's click is answered; alone, it loses nothing."""
    value, problem = whole_number_setting(NICE_VARIABLE, DEFAULT_WORKER_NICE, minimum=0)
    if value > 19:
        return DEFAULT_WORKER_NICE, f"{NICE_VARIABLE}={value} is past 19; using 10."
    return value, problem


def limit_setting() -> tuple[int, str | None]:
    """Minutes one run may take (core.engine.cost estimates it before it starts)."""
    return whole_number_setting(LIMIT_VARIABLE, DEFAULT_LIMIT_MINUTES)


def grace_setting() -> tuple[int, str | None]:
    """Seconds a run outlives its closed tab, and a problem with the setting if any."""
    return whole_number_setting(GRACE_VARIABLE, DEFAULT_GRACE_SECONDS)


def scheduler_address() -> str | None:
    return os.environ.get(SCHEDULER_VARIABLE, "").strip() or None


def setting_problems() -> list[str]:
    """Bad engine settings, each saying which default is used (for the training pages)."""
    return [
        f"Server setting: {problem}"
        for _, problem in (
            workers_setting(),
            grace_setting(),
            worker_memory_setting(),
            limit_setting(),
        )
        if problem
    ]
