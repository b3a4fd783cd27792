"""The server processes seen from outside, through /proc: CPU per kind of thread, and RSS.

A web server process runs Python threads (Streamlit's event loop, one script thread per
running session, the engine's client) and, once Prediction has loaded a model, TensorFlow's
own thread pools, which name themselves `tf_*`. Python threads share one GIL, so their sum
is what a process can never lift above one core; TensorFlow's threads are not bound by it.
The engine's processes (scheduler, workers) are counted apart.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
TENSORFLOW_THREADS = "tf_"  # Eigen and TensorFlow pools: tf_Compute, tf_graph_runner, ...


def _stat_fields(path: Path) -> list[str]:
    text = path.read_text()
    return text[text.rindex(")") + 2 :].split()  # fields after "pid (comm)"


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a whole process, its ended threads included."""
    fields = _stat_fields(Path(f"/proc/{pid}/stat"))
    return (int(fields[11]) + int(fields[12])) / TICKS


def tensorflow_seconds(pid: int) -> float:
    """CPU of the process's live TensorFlow threads (they live as long as the process)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            if (task / "comm").read_text().startswith(TENSORFLOW_THREADS):
                fields = _stat_fields(task / "stat")
                total += int(fields[11]) + int(fields[12])
        except (FileNotFoundError, ProcessLookupError):
            continue  # the thread ended between listing and reading
    return total / TICKS


def rss_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (FileNotFoundError, ProcessLookupError):
        return 0


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (a LocalCluster's nannies and workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int(_stat_fields(entry / "stat")[1])
            except (FileNotFoundError, ProcessLookupError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop()
        found.append(child)
        todo.extend(children.get(child, []))
    return found


@dataclass(frozen=True)
class CpuMark:
    at: float
    web_total: float
    web_tensorflow: float
    engine: float
    load: float
    students: float = 0.0  # this benchmark and its Chromium: clients that share the cores


OBSERVER_COMMANDS = ("chrom", "node", "headless")  # the observer's browser and Playwright


def students_seconds() -> float:
    """CPU of this process (the simulated students) and of the observer's browser."""
    total = cpu_seconds(os.getpid())
    for pid in descendants(os.getpid()):
        try:
            if Path(f"/proc/{pid}/comm").read_text().startswith(OBSERVER_COMMANDS):
                total += cpu_seconds(pid)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


@dataclass
class Sampler:
    """Samples the web processes' RSS (and the load average) every `every` seconds."""

    web: list[int]  # the streamlit processes
    engine: list[int] = field(default_factory=list)  # scheduler and workers, if separate
    every: float = 1.0
    rss: list[tuple[float, int, float]] = field(default_factory=list)  # (t, bytes, load)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _started: float = field(default_factory=time.monotonic)

    def engine_pids(self) -> list[int]:
        below = [child for pid in self.web for child in descendants(pid)]
        return self.engine + below + [c for pid in self.engine for c in descendants(pid)]

    def web_rss(self) -> int:
        return sum(rss_bytes(pid) for pid in self.web)

    def mark(self) -> CpuMark:
        engine = 0.0
        for pid in self.engine_pids():
            try:
                engine += cpu_seconds(pid)
            except (FileNotFoundError, ProcessLookupError):
                continue
        return CpuMark(
            time.monotonic(),
            sum(cpu_seconds(pid) for pid in self.web),
            sum(tensorflow_seconds(pid) for pid in self.web),
            engine,
            os.getloadavg()[0],
            students_seconds(),
        )

    def start(self) -> Sampler:
        self._thread = threading.Thread(target=self._run, name="sampler", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.rss.append((time.monotonic() - self._started, self.web_rss(), os.getloadavg()[0]))


def cpu_between(before: CpuMark, after: CpuMark) -> dict[str, float]:
    """Shares of one core over the window: web Python (and other) threads, web TensorFlow
    threads, the engine's processes."""
    seconds = max(after.at - before.at, 1e-9)
    tensorflow = after.web_tensorflow - before.web_tensorflow
    return {
        "seconds": seconds,
        "web_python": (after.web_total - before.web_total - tensorflow) / seconds,
        "web_tensorflow": tensorflow / seconds,
        "engine": (after.engine - before.engine) / seconds,
        "students": (after.students - before.students) / seconds,
    }
