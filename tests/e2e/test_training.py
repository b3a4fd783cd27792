"""The Training studio in headless Chromium: live curves, Stop, and leaving the page mid-run."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import screenshot
from tests.e2e.helpers import expect_no_exception, open_page

pytestmark = pytest.mark.e2e

# the fast CNN, 20 epochs of 18 000 images: minutes, long enough to watch; the test stops it
LONG_RUN = (
    "training?train_family=cnn_fast&train_optimizer=adam&train_learning_rate=0.001"
    "&train_epochs=20&train_subset_size=20000"
)

CURVE_POINTS = """() => {
    const plot = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
    return plot && plot.data ? plot.data[0].x.length : 0;
}"""


def train_panel(page: Page):
    return page.get_by_role("tabpanel", name="Train")


def start_training(page: Page) -> None:
    page.get_by_role("button", name="Train").click()
    expect(train_panel(page).get_by_test_id("stProgress")).to_be_visible(timeout=60_000)


def test_start_watch_the_curve_grow_then_stop(page: Page, app_url, real_data_dir):
    """The live curve gains points while training; Stop keeps the run and says so."""
    open_page(page, app_url, LONG_RUN)
    start_training(page)
    expect(page.get_by_text(re.compile(r"images/s · ETA"))).to_be_visible(timeout=180_000)
    page.wait_for_function(f"({CURVE_POINTS})() >= 2", timeout=120_000)
    first = page.evaluate(CURVE_POINTS)
    page.wait_for_function(f"({CURVE_POINTS})() > {first}", timeout=120_000)
    screenshot(page, "training-live")
    page.get_by_role("button", name="Stop").click()
    expect(
        train_panel(page).get_by_text(re.compile(r"Run 1 was stopped after \d+ of"))
    ).to_be_visible(timeout=60_000)
    expect(train_panel(page).get_by_text("Test accuracy", exact=True)).to_be_visible()
    expect_no_exception(page)
    screenshot(page, "training-stopped")
    page.get_by_role("tab", name="Runs").click()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    screenshot(page, "training-ledger")
    page.get_by_role("tab", name="Look inside").click()
    inside = page.get_by_role("tabpanel", name="Look inside")
    expect(inside.get_by_role("tab", name="Confusion matrix")).to_be_visible()
    page.get_by_role("tab", name="Weights").click()
    expect(page.get_by_text("First convolution layer: one picture per filter")).to_be_visible()
    screenshot(page, "training-inside")


def test_training_goes_on_while_the_student_visits_another_page(page: Page, app_url, real_data_dir):
    """Leave for Home during a run and come back: the run is still there, then finishes."""
    open_page(
        page,
        app_url,
        "training?train_family=cnn_fast&train_optimizer=adam&train_learning_rate=0.001"
        "&train_epochs=2&train_subset_size=5000",
    )
    start_training(page)
    page.get_by_test_id("stSidebarNav").get_by_text("Home", exact=True).click()
    expect(page.get_by_role("heading", name="Deep learning, hands on")).to_be_visible()
    page.get_by_test_id("stSidebarNav").get_by_text("Training studio", exact=True).click()
    expect(train_panel(page).get_by_text(re.compile(r"Run 1 finished 2 epoch\(s\)"))).to_be_visible(
        timeout=180_000
    )
    expect(page.get_by_role("spinbutton", name="Epochs")).to_have_value("2")
    expect_no_exception(page)
    screenshot(page, "training-finished")


def test_data_explorer_shows_the_tensor_facts(page: Page, app_url, real_data_dir):
    open_page(page, app_url, "training?train_dataset=fashion_mnist")
    page.get_by_role("tab", name="Data explorer").click()
    expect(page.get_by_text("The images as tensors")).to_be_visible()
    expect(page.get_by_text("Ankle boot").first).to_be_visible()
    expect_no_exception(page)
    screenshot(page, "training-explorer")
