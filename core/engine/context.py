"""What a task sees while it runs: report progress, grow curves, and whether to stop.

A task function (core.engine.tasks) gets a `TaskContext`. Progress is published as one
state, not a stream of events: the latest fields and the curves so far, at most every
PUBLISH_SECONDS, so a slow or closed page never makes a worker wait and a page that
reconnects still gets the whole curve. The channel decides where it goes:

- `DaskChannel`: a Dask `Variable` per run (scheduler memory holds one state per run,
  however long it trains) and a Dask `Event` for Stop, which a watcher thread waits on, so
  the training loop only reads a local flag between batches;
- `LocalChannel`: plain Python, for tests and notebooks.
"""

from __future__ import annotations

import threading
import time
from typing import Any

PUBLISH_SECONDS = 0.5  # the pages poll twice a second
MAX_LIVE_POINTS = 400  # a live curve is thinned to this many points; the result has them all
STOP_POLL_SECONDS = 1.0  # the watcher's long-poll: the scheduler answers at once when set


def thinned(values: list, limit: int = MAX_LIVE_POINTS) -> list:
    """At most `limit` evenly spread values, the last always among them."""
    if len(values) <= limit:
        return list(values)
    step = len(values) / limit
    picked = [values[int(index * step)] for index in range(limit - 1)]
    return [*picked, values[-1]]


class LocalChannel:
    """Progress and Stop inside one process (tests, notebooks)."""

    def __init__(self):
        self.published: dict[str, Any] | None = None
        self.stop = threading.Event()

    def publish(self, state: dict[str, Any]) -> None:
        self.published = state

    def wait_for_stop(self, timeout: float) -> bool:
        return self.stop.wait(timeout)


class DaskChannel:
    """Progress as a Dask Variable and Stop as a Dask Event, both named after the run."""

    def __init__(self, run_key: str):
        from distributed import Event, Variable, get_client

        client = get_client()  # the worker's own client, made once per worker process
        self.progress = Variable(progress_name(run_key), client=client)
        self.stop = Event(stop_name(run_key), client=client)

    def publish(self, state: dict[str, Any]) -> None:
        self.progress.set(state)

    def wait_for_stop(self, timeout: float) -> bool:
        return self.stop.wait(timeout)


def progress_name(run_key: str) -> str:
    return f"{run_key}-progress"


def stop_name(run_key: str) -> str:
    return f"{run_key}-stop"


class TaskContext:
    """Used as `with TaskContext(channel) as context:` around the work of one task."""

    def __init__(self, channel=None, publish_seconds: float = PUBLISH_SECONDS):
        self.channel = channel if channel is not None else LocalChannel()
        self.progress: dict[str, Any] = {}
        self.series: dict[str, list[Any]] = {}
        self._publish_seconds = publish_seconds
        self._last_publish = 0.0
        self._started = time.perf_counter()
        self._stop = threading.Event()
        self._done = threading.Event()
        self._watcher: threading.Thread | None = None
        self._publishing = threading.Lock()  # the watcher publishes too

    # --- what the work calls ---------------------------------------------------------------

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def report(self, **fields: Any) -> None:
        """Merge fields into the progress (e.g. epoch=3, loss=0.4); published when due, or at
        once when the phase changes (a stopped run's loop has ended: the page says so)."""
        if "phase" in fields:
            self.publish(**fields)
            return
        self.progress.update(fields)
        self._publish_if_due()

    def append(self, series: str, value: Any) -> None:
        """Add one point to a growing curve (e.g. the loss after a batch)."""
        self.series.setdefault(series, []).append(value)

    # --- the run around it ------------------------------------------------------------------

    def __enter__(self) -> TaskContext:
        self._started = time.perf_counter()
        self.publish(phase="starting")
        self._watcher = threading.Thread(target=self._watch_stop, daemon=True)
        self._watcher.start()
        return self

    def __exit__(self, *exception) -> None:
        self._done.set()
        self.publish(phase="stopping" if self.stop_requested else "finishing")

    def publish(self, **fields: Any) -> None:
        with self._publishing:
            self.progress.update(fields)
            self._last_publish = time.perf_counter()
            state = {
                "started": True,
                "elapsed": self._last_publish - self._started,
                "stop_seen": self.stop_requested,
                "progress": dict(self.progress),
                "series": {name: thinned(values) for name, values in list(self.series.items())},
            }
            self.channel.publish(state)

    def _publish_if_due(self) -> None:
        if time.perf_counter() - self._last_publish >= self._publish_seconds:
            self.publish()

    def _watch_stop(self) -> None:
        while not self._done.is_set():
            try:
                if self.channel.wait_for_stop(STOP_POLL_SECONDS):
                    self._stop.set()
                    self.publish()  # the page learns at once that the stop was seen
                    return
            except Exception:  # the scheduler went away: the task's own result still counts
                if self._done.wait(STOP_POLL_SECONDS):
                    return
