"""The one Dask client of this server process: a LocalCluster by default, a scheduler if set.

The cluster starts on first need (the first Train, not the first page view, so the maths
pages never pay for it), is shared by every session of the process, and closes with it.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import threading
import time

from core.engine.settings import scheduler_address, worker_memory_setting, workers_setting

CONNECT_SECONDS = 5  # how long to wait for a configured scheduler before saying so
RETRY_SECONDS = 15  # an unreachable scheduler is asked again after this long, not every rerun
# The scheduler hands a run to a worker only when one is free (not to a worker's private
# backlog), so the queue is one FIFO across workers and a run's place in it is known; a
# worker that dies fails its run at once ("press Train to retry") instead of silently
# restarting it elsewhere.
ENGINE_CONFIG = {
    "distributed.scheduler.worker-saturation": 1.0,
    "distributed.scheduler.allowed-failures": 0,
    # Dask's own monitoring wakes every process of the engine many times a second (the
    # workers' stack-sampling profiler every 10 ms, the event-loop tick every 20 ms, the
    # system monitor every 0.5 s): an idle engine took 14 % of a core that the web server
    # shares on a small machine; with these, 4 % (README "Capacity").
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
}
WORKER_PRELOAD = "core.engine.worker_setup"  # imports TensorFlow before the first run

_log = logging.getLogger(__name__)
_lock = threading.Lock()
_client = None
_cluster = None
_failure: tuple[float, str] | None = None  # when the last connection failed, and why


class EngineUnavailable(RuntimeError):
    """The training engine cannot be reached; the message is one sentence for the page."""


def engine_client():
    """The process's Dask client, connecting (or starting the LocalCluster) on first use."""
    global _client, _failure
    with _lock:
        if _client is not None and _client.status == "running":
            return _client
        if _failure is not None and time.monotonic() - _failure[0] < RETRY_SECONDS:
            raise EngineUnavailable(_failure[1])
        try:
            _client = _connect()
        except EngineUnavailable as error:
            _failure = (time.monotonic(), str(error))
            raise
        _failure = None
        return _client


def warm_up() -> None:
    """Start connecting (or starting the LocalCluster) in the background, if not done yet.

    A training page calls it when it opens, so the engine is up by the time Train is
    pressed; it returns at once and never raises.
    """

    def connect_quietly() -> None:
        with contextlib.suppress(EngineUnavailable):  # the page says so when Train is pressed
            engine_client()

    if _client is None and not _lock.locked():
        threading.Thread(target=connect_quietly, name="engine-warm-up", daemon=True).start()


def is_up() -> bool:
    return _client is not None and _client.status == "running"


def _connect():
    import dask
    from distributed import Client

    dask.config.set(ENGINE_CONFIG)
    address = scheduler_address()
    if address is not None:
        try:
            return Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError) as error:
            _log.warning("cannot reach the Dask scheduler at %s: %s", address, error)
            raise EngineUnavailable(
                f"The training engine at {address} cannot be reached right now, so "
                "training is unavailable; every other page works. Ask the person running "
                "the server to start its scheduler, then press Train again."
            ) from None
    return Client(_start_local_cluster(), set_as_default=False)


def _start_local_cluster():
    global _cluster
    from distributed import LocalCluster

    workers, _ = workers_setting()
    started = time.perf_counter()
    _cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,  # one run per worker at a time: a run gets the whole worker
        processes=True,  # TensorFlow and the GIL stay out of the web server
        dashboard_address=None,
        silence_logs=logging.WARNING,
        preload=[WORKER_PRELOAD],
        memory_limit=f"{worker_memory_setting()[0]}MB",
    )
    _log.info("LocalCluster of %d workers up in %.1f s", workers, time.perf_counter() - started)
    atexit.register(shutdown)
    return _cluster


def shutdown() -> None:
    """Close the client and the LocalCluster if this process started one."""
    global _client, _cluster
    with _lock:
        client, cluster, _client, _cluster = _client, _cluster, None, None
    if client is not None:
        client.close()
    if cluster is not None:
        cluster.close()
