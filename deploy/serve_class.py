"""Serve a class from several Streamlit processes behind HAProxy, with one training engine.

    make serve-class PROCESSES=3                 # http://localhost:8501
    .venv/bin/python -m deploy.serve_class --processes 3 --host 0.0.0.0 --port 8501

One Python process runs on one core at most (the GIL), however big the machine: a class
needs several. This starts, and stops together on Ctrl-C:

- the training engine: a `dask scheduler` with the settings the built-in cluster uses
  (core.engine.cluster.ENGINE_CONFIG) and `dask worker` processes, unless
  `--scheduler tcp://host:8786` names one that already runs;
- `--processes` `streamlit run dashboard/app.py` processes on ports from `--first-port`,
  each given DASHBOARD_SCHEDULER (so runs, the queue and the quick model are shared) and
  the same cookie secret;
- HAProxy on `--host:--port` with deploy/haproxy.cfg: sticky sessions by cookie, websocket
  upgrade, health checks; `--also host:port` adds processes started on other machines.

Everything a process must share with the others lives in the engine (runs, their queue,
the quick model) or in the classroom database, never in one process's memory.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deploy" / "haproxy.cfg"
HAPROXY = ("haproxy", "/usr/sbin/haproxy")
START_SECONDS = 180  # workers import TensorFlow: slow on a busy machine
# Every web process (and `make run`) starts with these. glibc gives each thread that
# allocates its own malloc arena, up to 8 per core; a class's script threads spread its
# sessions over them, and a freed session's memory stays held in half-empty arenas:
# after a class, two processes kept 1057 MB with the default and 738 MB with two arenas
# (560 MB before the class; `python -m bench classroom --scenario class`).
WEB_ENVIRONMENT = {"MALLOC_ARENA_MAX": "2"}


class ServeError(RuntimeError):
    """Something the class server needs is missing or did not start; one sentence."""


def dask_environment() -> dict[str, str]:
    """The built-in cluster's settings, as a `dask scheduler` and `dask worker` read them."""
    from core.engine.cluster import ENGINE_CONFIG

    return {
        "DASK_" + key.upper().replace(".", "__").replace("-", "_"): str(value)
        for key, value in ENGINE_CONFIG.items()
    }


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def free_ports(count: int, host: str = "127.0.0.1") -> int:
    """A first port whose next `count` ports are free too (for the streamlit processes)."""
    while True:
        first = free_port(host)
        if first + count < 65536 and all(_port_free(first + i, host) for i in range(count)):
            return first


def _port_free(port: int, host: str) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def find_haproxy() -> str:
    for name in HAPROXY:
        found = shutil.which(name) or (name if Path(name).exists() else None)
        if found:
            return found
    raise ServeError(
        "HAProxy is not installed: `apt-get install haproxy` (Debian's package; .ci/run does)"
    )


def wait_until_healthy(url: str, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServeError(f"{process.args[0]} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise ServeError(f"{url} did not answer /_stcore/health within {seconds:.0f} s")


@dataclass
class ClassServer:
    processes: int = 2
    host: str = "localhost"  # where students connect (0.0.0.0: every interface)
    port: int = 8501
    first_port: int = 8601  # the streamlit processes: first_port, first_port + 1, ...
    workers: int | None = None  # engine workers here (default: the engine's own default)
    scheduler: str | None = None  # an engine that already runs: start none
    also: list[str] = field(default_factory=list)  # host:port of processes elsewhere
    app_root: Path = ROOT  # the checkout to serve (the benchmark serves an older one too)
    run_dir: Path = ROOT / "artifacts" / "serve-class"
    environment: dict[str, str] = field(default_factory=dict)  # for every process
    stats_port: int = 0  # HAProxy's counters; 0: a free port
    _started: list[subprocess.Popen] = field(default_factory=list)
    web: list[subprocess.Popen] = field(default_factory=list)
    engine: list[subprocess.Popen] = field(default_factory=list)
    proxy: subprocess.Popen | None = None
    scheduler_address: str = ""  # the engine's, once started (or `scheduler`)

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "localhost") else self.host
        return f"http://{host}:{self.port}"

    @property
    def admin_socket(self) -> Path:
        return self.run_dir / "haproxy.sock"

    @property
    def stats_url(self) -> str:
        return f"http://127.0.0.1:{self.stats_port}/;csv"

    def web_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.first_port + index}"

    # --- starting ------------------------------------------------------------------------------

    def start(self) -> ClassServer:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        haproxy = find_haproxy()  # before anything starts: a missing proxy is said at once
        try:
            self.scheduler_address = self.scheduler or self._start_engine()
            self._start_web(self.scheduler_address)
            self._start_proxy(haproxy)
        except BaseException:
            self.stop()
            raise
        return self

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = open(self.run_dir / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            command,
            cwd=self.app_root,
            env={**os.environ, **self.environment, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches this launcher, which stops them in order
        )
        self._started.append(process)
        return process

    def _start_engine(self) -> str:
        from core.engine.settings import workers_setting

        bind = "0.0.0.0" if self.host == "0.0.0.0" else "127.0.0.1"
        port = free_port()
        address = f"tcp://127.0.0.1:{port}"
        dask = str(Path(sys.executable).with_name("dask"))
        self.engine.append(
            self._spawn(
                "scheduler",
                [dask, "scheduler", "--host", bind, "--port", str(port), "--no-dashboard"],
                # the scheduler unpickles the tasks too: it imports core, like the workers
                {**dask_environment(), "PYTHONPATH": str(self.app_root)},
            )
        )
        workers = self.workers or workers_setting()[0]
        self.engine.append(
            self._spawn(
                "workers",
                [
                    dask,
                    "worker",
                    address,
                    "--nworkers",
                    str(workers),
                    "--nthreads",
                    "1",
                    "--preload",
                    "core.engine.worker_setup",
                    "--no-dashboard",
                ],  # fmt: skip
                {**dask_environment(), "PYTHONPATH": str(self.app_root)},
            )
        )
        self._wait_for_workers(address, workers)
        return address

    def _wait_for_workers(self, address: str, workers: int) -> None:
        from distributed import Client

        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                with Client(address, timeout=10, set_as_default=False) as client:
                    client.wait_for_workers(workers, timeout=max(1, deadline - time.monotonic()))
                    return
            except (OSError, TimeoutError) as error:
                if any(p.poll() is not None for p in self.engine) or time.monotonic() > deadline:
                    raise ServeError(f"the training engine did not start: {error}") from None
                time.sleep(1)

    def _start_web(self, scheduler: str) -> None:
        environment = {
            **WEB_ENVIRONMENT,
            "DASHBOARD_SCHEDULER": scheduler,
            # one secret for all: a cookie one process signed is good in another
            "STREAMLIT_SERVER_COOKIE_SECRET": os.environ.get(
                "STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(16)
            ),
        }
        for index in range(self.processes):
            command = [
                sys.executable, "-m", "streamlit", "run",
                str(self.app_root / "dashboard" / "app.py"),
                "--server.port", str(self.first_port + index),
                "--server.address", "127.0.0.1",  # students come through the proxy
                "--server.headless", "true",
                "--server.fileWatcherType", "none",
            ]  # fmt: skip
            self.web.append(self._spawn(f"streamlit-{index + 1}", command, environment))
        for index, process in enumerate(self.web):
            wait_until_healthy(self.web_url(index), process, START_SECONDS)

    def haproxy_config(self) -> str:
        local = [f"127.0.0.1:{self.first_port + index}" for index in range(self.processes)]
        servers = "\n".join(
            f"    server p{number} {address} cookie p{number} check"
            for number, address in enumerate([*local, *self.also], start=1)
        )
        return Template(CONFIG.read_text()).substitute(
            bind=f"{self.host if self.host != 'localhost' else '127.0.0.1'}:{self.port}",
            stats=f"127.0.0.1:{self.stats_port}",
            admin_socket=str(self.admin_socket),
            servers=servers,
        )

    def _start_proxy(self, haproxy: str) -> None:
        self.stats_port = self.stats_port or free_port()
        config = self.run_dir / "haproxy.cfg"
        config.write_text(self.haproxy_config())
        checked = subprocess.run([haproxy, "-c", "-q", "-f", str(config)], capture_output=True)
        if checked.returncode != 0:
            raise ServeError(f"HAProxy refused {config}: {checked.stderr.decode()[-300:]}")
        self.proxy = self._spawn("haproxy", [haproxy, "-db", "-f", str(config)], {})
        wait_until_healthy(self.url, self.proxy, 30)

    # --- the proxy's view --------------------------------------------------------------------

    def process_counters(self) -> dict[str, dict[str, str]]:
        """HAProxy's counters per streamlit process (p1, p2, ...): stot is its sessions so far."""
        import csv

        with urllib.request.urlopen(self.stats_url, timeout=5) as response:
            rows = csv.DictReader(response.read().decode().lstrip("# ").splitlines())
            return {
                row["svname"]: row
                for row in rows
                if row["pxname"] == "streamlit" and row["svname"] not in ("BACKEND", "FRONTEND")
            }

    def command(self, line: str) -> str:
        """One command of HAProxy's runtime API (e.g. "shutdown sessions server streamlit/p1")."""
        with socket.socket(socket.AF_UNIX) as sock:
            sock.connect(str(self.admin_socket))
            sock.sendall(line.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    # --- stopping ------------------------------------------------------------------------------

    def stop(self) -> None:
        """The proxy first (no new students), then the web processes, then the engine."""
        for process in reversed(self._started):
            if process.poll() is None:
                process.terminate()
        for process in reversed(self._started):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._started.clear()

    def __enter__(self) -> ClassServer:
        return self.start()

    def __exit__(self, *exception) -> None:
        self.stop()

    def dead(self) -> list[str]:
        """The processes that have exited (a running class server has none)."""
        return [" ".join(map(str, p.args[:3])) for p in self._started if p.poll() is not None]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=2, help="streamlit processes here")
    parser.add_argument("--host", default="localhost", help="0.0.0.0 serves every interface")
    parser.add_argument("--port", type=int, default=8501, help="where students connect")
    parser.add_argument("--first-port", type=int, default=8601)
    parser.add_argument("--workers", type=int, default=None, help="engine workers here")
    parser.add_argument("--scheduler", default=None, help="tcp://host:8786: an engine running")
    parser.add_argument(
        "--also", nargs="*", default=[], help="host:port of streamlit processes on other machines"
    )
    options = parser.parse_args(argv)
    if options.processes < 1:
        parser.error("--processes must be at least 1")
    server = ClassServer(
        processes=options.processes,
        host=options.host,
        port=options.port,
        first_port=options.first_port,
        workers=options.workers,
        scheduler=options.scheduler,
        also=options.also,
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.start()
    except ServeError as error:
        sys.exit(str(error))
    print(
        f"Serving the class at {server.url} from {options.processes} processes "
        f"({', '.join(server.web_url(i) for i in range(options.processes))}); per-process "
        f"counters at {server.stats_url}; logs in {server.run_dir}. Ctrl-C stops everything.",
        flush=True,
    )
    try:
        while not server.dead():
            time.sleep(2)
        print(f"stopping: {', '.join(server.dead())} exited (see its log)", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
