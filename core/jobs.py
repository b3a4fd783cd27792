"""Long work (training) in a background thread that a page can watch and stop.

Streamlit reruns a page's script on every click; work done in the script
thread dies with the rerun. A `Job` runs its function in its own thread, the
function reports progress through a `JobContext` (plain Python, no UI), and a
page polls `job.snapshot()` a few times a second. `request_stop()` sets a
`threading.Event` that the function checks between batches.

At most `JobQueue.max_running` jobs run at once across the whole server; the
rest wait in order and can tell their position.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MAX_JOBS_VARIABLE = "DASHBOARD_MAX_JOBS"
DEFAULT_MAX_JOBS = 2

QUEUED, RUNNING, DONE, STOPPED, FAILED = "queued", "running", "done", "stopped", "failed"
FINISHED = (DONE, STOPPED, FAILED)


class JobContext:
    """What the background function sees: a stop flag and a place to report progress."""

    def __init__(self, job: Job):
        self._job = job

    @property
    def stop_requested(self) -> bool:
        return self._job._stop_event.is_set()

    def report(self, **fields: Any) -> None:
        """Merge fields into the job's progress (e.g. epoch=3, loss=0.4)."""
        with self._job._lock:
            self._job._progress.update(fields)

    def append(self, series: str, value: Any) -> None:
        """Add one point to a growing series (e.g. the loss curve)."""
        with self._job._lock:
            self._job._series.setdefault(series, []).append(value)


@dataclass(frozen=True)
class JobSnapshot:
    """A consistent copy of a job's state, safe to read from the page thread."""

    state: str  # queued | running | done | stopped | failed
    progress: dict[str, Any]  # last reported fields
    series: dict[str, list[Any]]  # growing curves
    queue_position: int  # 0 when running or finished, 1 = next to start
    seconds: float  # since the job started running (0 while queued)
    result: Any = None  # what the function returned
    error: str | None = None  # one-line message of the exception that ended it
    details: str | None = field(default=None, repr=False)  # its traceback, for logs


class Job:
    def __init__(self, work: Callable[[JobContext], Any], name: str = "job", queue=None):
        self.name = name
        self._work = work
        self._queue = queue if queue is not None else default_queue()
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self._progress: dict[str, Any] = {}
        self._series: dict[str, list[Any]] = {}
        self._state = QUEUED
        self._started_at: float | None = None
        self._ended_at: float | None = None
        self._result: Any = None
        self._error: str | None = None
        self._details: str | None = None
        self._thread = threading.Thread(target=self._run, name=f"job-{name}", daemon=True)

    def start(self) -> Job:
        self._thread.start()
        return self

    def request_stop(self) -> None:
        """Ask the work to end at its next check; a queued job never starts."""
        self._stop_event.set()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    @property
    def state(self) -> str:
        with self._lock:
            return self._state

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    def snapshot(self) -> JobSnapshot:
        with self._lock:
            if self._started_at is None:
                seconds = 0.0
            else:
                seconds = (self._ended_at or time.monotonic()) - self._started_at
            return JobSnapshot(
                state=self._state,
                progress=dict(self._progress),
                series={name: list(values) for name, values in self._series.items()},
                queue_position=self._queue.position(self) if self._state == QUEUED else 0,
                seconds=seconds,
                result=self._result,
                error=self._error,
                details=self._details,
            )

    def _run(self) -> None:
        if not self._queue.acquire(self, self._stop_event):
            self._finish(STOPPED)
            return
        try:
            with self._lock:
                self._state = RUNNING
                self._started_at = time.monotonic()
            result = self._work(JobContext(self))
            with self._lock:
                self._result = result
            self._finish(STOPPED if self._stop_event.is_set() else DONE)
        except Exception as error:  # the page shows it; the server must not die
            with self._lock:
                self._error = f"{type(error).__name__}: {error}"
                self._details = traceback.format_exc()
            self._finish(FAILED)
        finally:
            self._queue.release(self)

    def _finish(self, state: str) -> None:
        with self._lock:
            self._state = state
            self._ended_at = time.monotonic()


class JobQueue:
    """Server-wide limit on jobs running at once, first come first served."""

    def __init__(self, max_running: int):
        if max_running < 1:
            raise ValueError(f"max_running must be at least 1, got {max_running}")
        self.max_running = max_running
        self._condition = threading.Condition()
        self._waiting: list[Job] = []
        self._running: set[Job] = set()

    def acquire(self, job: Job, stop_event: threading.Event) -> bool:
        """Block until `job` may run; False if it was stopped while waiting."""
        with self._condition:
            self._waiting.append(job)
            while not (self._waiting[0] is job and len(self._running) < self.max_running):
                if stop_event.is_set():
                    self._waiting.remove(job)
                    self._condition.notify_all()
                    return False
                self._condition.wait(timeout=0.1)
            self._waiting.pop(0)
            self._running.add(job)
            self._condition.notify_all()
            return True

    def release(self, job: Job) -> None:
        with self._condition:
            self._running.discard(job)
            self._condition.notify_all()

    def position(self, job: Job) -> int:
        with self._condition:
            return self._waiting.index(job) + 1 if job in self._waiting else 0

    @property
    def running(self) -> int:
        with self._condition:
            return len(self._running)


_default_queue: JobQueue | None = None
_default_queue_lock = threading.Lock()


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
            f"{variable}={raw!r} must be a whole number of at least {minimum}; using {default}."
        )
    return value, None


def max_jobs_setting() -> tuple[int, str | None]:
    """How many jobs may run at once ($DASHBOARD_MAX_JOBS), and a problem with it if any."""
    return whole_number_setting(MAX_JOBS_VARIABLE, DEFAULT_MAX_JOBS)


def default_queue() -> JobQueue:
    """The one queue of this server process; its size comes from $DASHBOARD_MAX_JOBS (2).

    A bad value never stops a job from starting: the default is used (the pages say so).
    """
    global _default_queue
    with _default_queue_lock:
        if _default_queue is None:
            _default_queue = JobQueue(max_jobs_setting()[0])
        return _default_queue
