"""A class served by two processes behind HAProxy (make serve-class), in headless Chromium.

One ClassServer for the module: the training engine (a `dask scheduler` and a worker),
two `streamlit run` processes and HAProxy with deploy/haproxy.cfg.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from distributed import Client
from playwright.sync_api import Page, expect

from deploy.serve_class import ClassServer, free_ports
from tests.conftest import ROOT, free_port, screenshot
from tests.e2e.helpers import expect_no_exception, open_page, wait_for_app_run
from tests.e2e.test_information import P_LABEL, metric
from tests.e2e.test_training import CURVE_POINTS, ENDLESS_RUN, start_training, train_panel

pytestmark = pytest.mark.e2e

COOKIE = "DASHBOARD_PROCESS"


@pytest.fixture(scope="module")
def class_server(real_data_dir, haproxy):
    run_dir = ROOT / "artifacts" / "serve-class-e2e"
    shutil.rmtree(run_dir, ignore_errors=True)
    server = ClassServer(
        processes=2, port=free_port(), first_port=free_ports(2), workers=1, run_dir=run_dir
    )
    with server:
        yield server


def process_of(page: Page) -> str:
    """The process HAProxy pinned this browser to: the value of its sticky cookie."""
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    return cookies[COOKIE]


def sessions(server: ClassServer) -> dict[str, int]:
    return {name: int(row["stot"]) for name, row in server.process_counters().items()}


def test_a_page_loads_and_a_setting_change_works_through_the_proxy(page: Page, class_server):
    open_page(page, class_server.url, "information")
    expect(metric(page, "Entropy H(p)")).to_have_text("1.7500 bits", timeout=30_000)
    box = page.get_by_label(P_LABEL)
    box.fill("0.25, 0.25, 0.25, 0.25")
    box.press("Enter")
    wait_for_app_run(page)
    expect(metric(page, "Entropy H(p)")).to_have_text("2.0000 bits")
    expect(page).to_have_url(f"{class_server.url}/information?p=0.25%2C0.25%2C0.25%2C0.25")
    assert process_of(page) in ("p1", "p2")
    expect_no_exception(page)
    screenshot(page, "proxy-information")


def test_a_training_streams_through_the_proxy_and_survives_a_reconnect(page: Page, class_server):
    """The live panel grows through HAProxy; when the proxy drops every connection to the
    browser's process (a network blip), the browser reconnects to that same process, finds
    its session and the same run still growing, and the other process sees no one."""
    open_page(page, class_server.url, ENDLESS_RUN)
    start_training(page)
    expect(page.get_by_text(re.compile(r"images/s · ETA"))).to_be_visible(timeout=120_000)
    page.wait_for_function(f"({CURVE_POINTS})() >= 2", timeout=120_000)
    pinned = process_of(page)
    other = "p2" if pinned == "p1" else "p1"
    before = sessions(class_server)

    class_server.command(f"shutdown sessions server streamlit/{pinned}")
    page.wait_for_selector(
        "[data-testid='stApp']:not([data-test-connection-state='CONNECTED'])", timeout=10_000
    )
    wait_for_app_run(page, timeout=60_000)  # reconnected

    points = page.evaluate(CURVE_POINTS)
    page.wait_for_function(f"({CURVE_POINTS})() > {points}", timeout=120_000)
    expect(train_panel(page).get_by_text(re.compile(r"epoch \d+/\d+ · batch"))).to_be_visible()
    after = sessions(class_server)
    assert after[pinned] > before[pinned]  # the reconnect went to the same process
    assert after[other] == before[other]
    assert process_of(page) == pinned
    screenshot(page, "proxy-training-after-reconnect")
    page.get_by_role("button", name="Stop").click()
    expect(train_panel(page).get_by_text(re.compile(r"Run 1 was stopped"))).to_be_visible(
        timeout=60_000
    )
    expect_no_exception(page)


def test_web_processes_start_with_few_malloc_arenas_and_workers_step_back(class_server):
    """What lets a class's memory go back after it leaves (deploy/serve_class.py) and a
    click beat a training batch (core/engine/worker_setup.py), on the real processes."""
    for process in class_server.web:
        environment = Path(f"/proc/{process.pid}/environ").read_bytes().split(b"\0")
        assert b"MALLOC_ARENA_MAX=2" in environment
    with Client(class_server.scheduler_address, set_as_default=False) as client:
        nice = client.run(os.getpriority, os.PRIO_PROCESS, 0)
    assert nice and set(nice.values()) == {10}
