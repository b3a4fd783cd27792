"""Fixtures shared by every test: the data folder, the live server, the browser."""

from __future__ import annotations

import concurrent.futures
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from core.data import DATA_DIR_VARIABLE
from deploy.serve_class import wait_until_healthy

# tests never write the repository's var/ (the class database, the saved quick model); a
# server a test starts gets a fresh state folder of its own unless one was given
STATE_DIR_GIVEN = os.environ.get("DASHBOARD_STATE_DIR")
TESTS_STATE_DIR = STATE_DIR_GIVEN or tempfile.mkdtemp(prefix="dashboard-tests-state-")
os.environ["DASHBOARD_STATE_DIR"] = TESTS_STATE_DIR

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
SYSTEM_CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def shared_data_dir() -> Path | None:
    """The real MNIST / Fashion-MNIST folder, if this machine has one."""
    candidates = [os.environ.get(DATA_DIR_VARIABLE), ROOT.parent / "shared" / "data"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "mnist").is_dir():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    """Tests that need the real data sets: skipped on a laptop without them, never in CI."""
    found = shared_data_dir()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(
                f"CI must set {DATA_DIR_VARIABLE} to a folder with mnist/ and fashion-mnist/"
            )
        pytest.skip(f"no real data: set {DATA_DIR_VARIABLE}")
    return found


def missing(message: str) -> None:
    """Something a test needs is not on this machine: a failure in CI (it must be there),
    a skip elsewhere (a laptop without it)."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def find_haproxy_for_tests() -> str:
    """Debian's HAProxy (make serve-class's proxy), or `missing`."""
    from deploy.serve_class import ServeError, find_haproxy

    try:
        return find_haproxy()
    except ServeError as error:
        missing(str(error))


@pytest.fixture(scope="session")
def haproxy() -> str:
    return find_haproxy_for_tests()


@pytest.fixture(autouse=True)
def _real_data_for_pages(monkeypatch):
    # Pages and AppTests find the real data when the machine has it, like `make run`.
    found = shared_data_dir()
    if found is not None and not os.environ.get(DATA_DIR_VARIABLE):
        monkeypatch.setenv(DATA_DIR_VARIABLE, str(found))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def in_own_thread(function, *args):
    """Run `function(*args)` in a thread of its own: once a browser test has run,
    pytest-playwright's sync API keeps an event loop running in the test thread, where
    asyncio.run (and another sync Playwright) cannot start."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def wait_for_health(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    """The server answers /_stcore/health (ServeError if it exits or never does)."""
    wait_until_healthy(url, process, timeout)


def start_server(port: int, log_path: Path) -> subprocess.Popen:
    env = dict(os.environ)
    found = shared_data_dir()
    if found is not None:
        env.setdefault(DATA_DIR_VARIABLE, str(found))
    # the class board's SQLite file: a fresh folder per server, never the repository's var/
    if env["DASHBOARD_STATE_DIR"] == TESTS_STATE_DIR and not STATE_DIR_GIVEN:  # not a test's own
        env["DASHBOARD_STATE_DIR"] = tempfile.mkdtemp(prefix="dashboard-state-")
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


@pytest.fixture(scope="session")
def app_url():
    """A real `streamlit run` of the whole app on a free port."""
    port = free_port()
    process = start_server(port, ROOT / "artifacts" / "streamlit-e2e.log")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def find_chromium() -> str | None:
    """Debian's Chromium, else the one Playwright downloaded, else None."""
    for path in SYSTEM_CHROMIUM:
        if Path(path).exists():
            return path
    found = shutil.which("chromium")
    if found:
        return found
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            own = playwright.chromium.executable_path
        return own if Path(own).exists() else None
    except Exception:
        return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = find_chromium()
    if executable is None:
        missing("no Chromium: install Debian's chromium or run `playwright install chromium`")
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}}


def screenshot(page, name: str) -> Path:
    """Save what the user sees, for a person to look at (git-ignored folder)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # Streamlit scrolls inside its own container, so full_page alone stops at the window:
    # grow the window to the content for the shot, then put it back.
    content_height = page.evaluate(
        "() => Math.max(document.body.scrollHeight, ...Array.from("
        "document.querySelectorAll('[data-testid=stMain], [data-testid=stAppViewContainer]'),"
        " element => element.scrollHeight))"
    )
    window = page.viewport_size
    if window and content_height > window["height"]:
        page.set_viewport_size({"width": window["width"], "height": min(content_height, 10_000)})
        page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
    if window and page.viewport_size != window:
        page.set_viewport_size(window)
    return path
