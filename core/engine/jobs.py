"""A run on the training engine as the pages see it: submit, watch, stop, collect.

`submit` puts a task in the Dask scheduler's queue and returns a `RemoteJob` at once.
Its `snapshot()` is what a page's fragment draws twice a second: the state, the place in
the queue, the latest progress and curves (from the run's Dask Variable), and at the end
the result or one sentence about what went wrong.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from core.engine.cluster import engine_client
from core.engine.context import progress_name, stop_name

QUEUED, RUNNING, DONE, STOPPED, FAILED = "queued", "running", "done", "stopped", "failed"
FINISHED = (DONE, STOPPED, FAILED)
LOST_WORKER = "the trainer was lost, press Train to retry"
LIVE_SECONDS = 0.2  # a run's progress is read from the scheduler at most this often
QUEUE_SECONDS = 0.5
JOIN_POLL_SECONDS = 0.05
WAIT_SECONDS = 2.0  # a waiting run's expected wait is worked out at most this often  # the future's status is local: looking costs nothing  # the queue's order is read at most this often, for all runs at once


@dataclass(frozen=True)
class JobSnapshot:
    """A consistent copy of a run's state, safe to read from a page."""

    state: str  # queued | running | done | stopped | failed
    progress: dict[str, Any]  # last reported fields
    series: dict[str, list[Any]]  # growing curves (thinned while live)
    queue_position: int  # 1 = next to start; 0 when starting, running or finished
    seconds: float  # since the run started on its worker (0 while queued)
    result: Any = None  # what the task returned
    error: str | None = None  # one sentence about the failure
    stop_seen: bool = False  # the worker has seen the Stop and is wrapping up
    details: str | None = field(default=None, repr=False)  # the traceback, for logs


class RemoteJob:
    def __init__(self, future, key: str, client):
        self.name = key
        self._future = future
        self._client = client
        self._live: dict[str, Any] = {"started": False}
        self._live_read = 0.0
        self._live_final = False  # read once more after the run ended, then never again
        self._outcome: tuple[Any, str | None, str | None] | None = None
        self._stop_requested = False
        self._final_state: str | None = None
        self._wait_read: tuple[float, float | None] = (0.0, None)
        self._lock = threading.Lock()

    # --- state ---------------------------------------------------------------------------

    @property
    def state(self) -> str:
        if self._final_state is not None:  # kept: a released future no longer knows it
            return self._final_state
        status = self._future.status
        if status == "pending":
            return RUNNING if self._read_live().get("started") else QUEUED
        if status == "finished":
            state = STOPPED if self._stopped() else DONE
        else:
            state = STOPPED if status == "cancelled" else FAILED  # error, lost
        self._final_state = state
        return state

    @property
    def finished(self) -> bool:
        return self._final_state is not None or self._future.status != "pending"

    def snapshot(self) -> JobSnapshot:
        state = self.state
        result, error, details = self._collect() if state in FINISHED else (None, None, None)
        live = self._read_live(force=state in FINISHED)
        return JobSnapshot(
            state=state,
            progress=dict(live.get("progress", {})),
            series={name: list(values) for name, values in live.get("series", {}).items()},
            queue_position=queue_position(self._client, self.name) if state == QUEUED else 0,
            seconds=float(live.get("elapsed", 0.0)),
            result=result,
            error=error,
            stop_seen=bool(live.get("stop_seen")),
            details=details,
        )

    def expected_wait(self) -> float | None:
        """Seconds until this waiting run should start (core.engine.jobs.waiting_time), read
        at most every WAIT_SECONDS; None when unknown."""
        with self._lock:
            if time.monotonic() - self._wait_read[0] < WAIT_SECONDS:
                return self._wait_read[1]
        try:
            wait = waiting_time(self._client, self.name)
        except Exception:  # the scheduler is busy or gone this instant: say nothing
            wait = None
        with self._lock:
            self._wait_read = (time.monotonic(), wait)
        return wait

    # --- control -------------------------------------------------------------------------

    def request_stop(self) -> None:
        """A running task ends at its next check (between batches); a queued one never starts."""
        from distributed import Event

        self._stop_requested = True
        if self._future.status == "pending" and not self._read_live(force=True).get("started"):
            self._future.cancel()
        Event(stop_name(self.name), client=self._client).set()

    def join(self, timeout: float | None = None) -> None:
        """Wait until the run has ended, or `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.finished and (deadline is None or time.monotonic() < deadline):
            time.sleep(JOIN_POLL_SECONDS)

    def release(self) -> None:
        """Forget the run on the cluster: its result, progress variable and stop event.

        What a page shows of a finished run (its snapshot) is kept here first.
        """
        from distributed import Event, Variable

        if self.finished:
            self.snapshot()

        try:
            Variable(progress_name(self.name), client=self._client).delete()
            Event(stop_name(self.name), client=self._client).clear()
        except Exception:  # the cluster is gone already: nothing left to free
            pass
        self._future.release()

    # --- reading from the cluster ----------------------------------------------------------

    def _read_live(self, force: bool = False) -> dict[str, Any]:
        from distributed import Variable

        with self._lock:
            if self._live_final or (
                not force and time.monotonic() - self._live_read < LIVE_SECONDS
            ):
                return self._live
            # the run has ended: this read is its last (its variable may be gone after release)
            self._live_final = self._future.status != "pending"
            # not reachable this instant: the last state read stays on the page
            with contextlib.suppress(Exception):
                self._live = Variable(progress_name(self.name), client=self._client).get(timeout=1)
            self._live_read = time.monotonic()
            return self._live

    @property
    def stop_requested(self) -> bool:
        """Stop was pressed here (whether or not the worker has seen it yet)."""
        return self._stop_requested

    @property
    def stop_pending(self) -> bool:
        """Stop was pressed here and the worker has not yet said that it saw it (asked of the
        scheduler each time, not from the last read: the page says 'stopped' at once)."""
        if not self._stop_requested or self.finished:
            return False
        return not self._read_live(force=True).get("stop_seen")

    def _stopped(self) -> bool:
        return self._stop_requested or bool(self._read_live().get("stop_seen"))

    def _collect(self) -> tuple[Any, str | None, str | None]:
        """The result or the error, fetched from the worker once."""
        with self._lock:
            if self._outcome is not None:
                return self._outcome
        status = self._future.status
        if status == "finished":
            outcome = (self._future.result(), None, None)
        elif status == "cancelled":
            outcome = (None, None, None)
        else:
            outcome = _describe_failure(self._future)
        with self._lock:
            self._outcome = outcome
        return outcome


def _describe_failure(future) -> tuple[None, str, str | None]:
    import traceback

    from distributed.scheduler import KilledWorker

    try:
        error = future.exception(timeout=5)
    except Exception as reading:  # the future itself is gone (lost with the scheduler)
        return None, LOST_WORKER, repr(reading)
    if isinstance(error, KilledWorker) or error is None:
        return None, LOST_WORKER, repr(error)
    message = str(error).strip().splitlines()[0][:300] if str(error).strip() else ""
    details = "".join(traceback.format_exception(error))
    return None, f"{type(error).__name__}: {message}" if message else type(error).__name__, details


# --- submitting ----------------------------------------------------------------------------


def submit(
    task,
    *args,
    kind: str,
    key: str | None = None,
    priority: int = 0,
    owner: str = "",
    estimate: float | None = None,
) -> RemoteJob:
    """Queue `task(*args, run_key=key)` on the engine; raises EngineUnavailable if it is down.

    `key` names a shared run (the quick model): every submit of the same key joins the
    same task. A higher `priority` starts before runs already waiting. `owner` (a short
    id of a browser) goes into the key, so every server process can count a browser's runs;
    `estimate` (seconds) lets those waiting behind the run say how long they will wait.
    """
    from distributed import Variable

    client = engine_client()
    key = key or f"{kind}-{owner}{OWNER_MARK if owner else ''}{uuid.uuid4().hex}"
    if key not in client.futures:  # so reading it never waits; a shared run that is
        # already training overwrites this within PUBLISH_SECONDS
        Variable(progress_name(key), client=client).set({"started": False, "estimate": estimate})
    future = _submit_queued(client, key, task, args, priority)
    return RemoteJob(future, key, client)


def _submit_queued(client, key: str, task, args: tuple, priority: int):
    """client.submit, but marked as a root task so the scheduler's queue holds it.

    A plain submit of a few tasks hands each to a worker at once, to wait in that worker's
    own backlog, where it cannot move to a worker that frees up first and its place in line
    is unknown. Marked as a data producer, it waits in the scheduler's one FIFO queue
    (tests/core/engine check this, so a Dask upgrade that changes it fails a test).
    """
    from dask._expr import LLGExpr
    from dask._task_spec import Task
    from distributed.client import SpanMetadata

    if key in client.futures:
        from distributed import Future

        return Future(key, client)
    graph = LLGExpr(
        {key: Task(key, task, *args, run_key=key, _data_producer=True)},
        _determ_token=uuid.uuid4().hex,
    )
    futures = client._graph_to_futures(
        graph,
        [key],
        internal_priority={key: 0},
        user_priority=priority,
        span_metadata=SpanMetadata(collections=[{"type": "Future"}]),
    )
    return futures[key]


# --- the queue -------------------------------------------------------------------------------

OWNER_MARK = "~"  # between an owner's id and the run's own id in a key
LIVE_STATES = ("queued", "no-worker", "processing", "waiting", "released")


def owner_runs(dask_scheduler, owner: str) -> list[str]:
    """Runs on the scheduler: the keys of an owner's runs that have not ended."""
    mark = f"-{owner}{OWNER_MARK}"
    return [
        str(key)
        for key, task in dask_scheduler.tasks.items()
        if mark in str(key) and task.state in LIVE_STATES and task.who_wants
    ]


def runs_of(owner: str) -> list[str]:
    """The runs of one browser that are training or waiting, in every server process."""
    client = engine_client()
    return client.run_on_scheduler(owner_runs, owner=owner)


def waiting_time(client, key: str) -> float | None:
    """Seconds until the run `key` should start: the runs ahead of it in the queue placed,
    in order, on the workers as the running runs free them (their ETA), each for its
    estimate. None when some run ahead has no estimate to go by."""
    from distributed import Variable

    listing = client.run_on_scheduler(queue_and_running)
    waiting, running, workers = listing["queued"], listing["running"], listing["workers"]
    if key not in waiting or workers < 1:
        return None

    def live(other: str) -> dict:
        try:
            return Variable(progress_name(other), client=client).get(timeout=1)
        except Exception:  # gone this instant: no estimate
            return {}

    free_at = sorted(
        float(live(other).get("progress", {}).get("eta_seconds") or 0) for other in running
    )[:workers]
    free_at += [0.0] * (workers - len(free_at))
    for other in waiting[: waiting.index(key)]:
        estimate = live(other).get("estimate")
        if estimate is None:
            return None
        free_at.sort()
        free_at[0] += float(estimate)
    return min(free_at)


def queue_and_running(dask_scheduler) -> dict:
    """Runs on the scheduler: the queue in order, the keys running, and how many workers."""
    return {
        "queued": queued_keys(dask_scheduler),
        "running": [
            str(task.key)
            for worker in dask_scheduler.workers.values()
            for task in worker.processing
        ],
        "workers": sum(worker.nthreads for worker in dask_scheduler.workers.values()),
    }


_queue_lock = threading.Lock()
_queue_cache: tuple[float, list[str]] = (0.0, [])


def queued_keys(dask_scheduler) -> list[str]:
    """Runs on the scheduler: the keys waiting for a worker, next to start first."""
    waiting = list(dask_scheduler.queued.sorted())
    waiting += sorted(dask_scheduler.unrunnable, key=lambda task: task.priority)
    return [task.key for task in waiting]


def queue_position(client, key: str) -> int:
    """1 for the next run to start; 0 when the run is not waiting in the queue."""
    global _queue_cache
    with _queue_lock:
        read_at, keys = _queue_cache
        if time.monotonic() - read_at >= QUEUE_SECONDS:
            try:
                keys = client.run_on_scheduler(queued_keys)
            except Exception:  # unknown for a moment: shown as "starting"
                keys = []
            _queue_cache = (time.monotonic(), keys)
    return keys.index(key) + 1 if key in keys else 0
