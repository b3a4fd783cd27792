"""The servers a scenario runs against: `make run`'s one process, or the class set-up.

Both serve a checkout (this one, or an older commit exported for a before/after figure)
with the venv of this one, and say which process ids are the web server(s) and which
the engine, for the CPU and memory figures.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from deploy.serve_class import (
    WEB_ENVIRONMENT,
    ClassServer,
    free_port,
    free_ports,
    wait_until_healthy,
)

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "artifacts" / "bench-classroom"


def export_commit(commit: str) -> Path:
    """`git archive` of a commit into artifacts/ (once): a plain copy, no git worktree."""
    resolved = subprocess.run(
        ["git", "rev-parse", "--short", commit], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    if not resolved:
        raise ValueError(f"no commit {commit!r} in this repository")
    target = LOGS / f"checkout-{resolved}"
    if not (target / "dashboard" / "app.py").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", resolved], cwd=ROOT, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


@dataclass
class OneProcess:
    """`make run`: one `streamlit run`, whose engine is a LocalCluster of its own."""

    app_root: Path = ROOT
    environment: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> OneProcess:
        LOGS.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        command = [
            sys.executable, "-m", "streamlit", "run", str(self.app_root / "dashboard" / "app.py"),
            "--server.port", str(self.port), "--server.address", "127.0.0.1",
            "--server.headless", "true", "--server.fileWatcherType", "none",
        ]  # fmt: skip
        log = open(LOGS / f"one-process-{self.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            command,
            cwd=self.app_root,
            env={**os.environ, **WEB_ENVIRONMENT, **self.environment},  # as `make run` has
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until_healthy(self.url, self.process, 120)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()

    @property
    def web_pids(self) -> list[int]:
        return [self.process.pid]

    @property
    def engine_pids(self) -> list[int]:
        return []  # the LocalCluster's processes are its children: found by the sampler


@dataclass
class Behind:
    """The class set-up: ClassServer (engine, n processes, HAProxy), as the bench sees it."""

    processes: int
    app_root: Path = ROOT
    workers: int | None = None
    environment: dict[str, str] = field(default_factory=dict)
    server: ClassServer | None = None

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> Behind:
        self.server = ClassServer(
            processes=self.processes,
            port=free_port(),
            first_port=free_ports(self.processes),
            workers=self.workers,
            app_root=self.app_root,
            run_dir=LOGS / f"class-{os.getpid()}",
            environment=self.environment,
        )
        self.server.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    @property
    def web_pids(self) -> list[int]:
        return [process.pid for process in self.server.web]

    @property
    def engine_pids(self) -> list[int]:
        return [process.pid for process in self.server.engine]
