"""The Training studio in headless Chromium: live curves, Stop, and leaving the page mid-run."""

import re
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from core.data import load_dataset
from tests.conftest import ROOT, free_port, screenshot, start_server, wait_for_health
from tests.e2e.helpers import expect_no_exception, open_page

pytestmark = pytest.mark.e2e

# the fast CNN, 20 epochs of 18 000 images: minutes, long enough to watch; the test stops it
LONG_RUN = (
    "training?train_family=cnn_fast&train_optimizer=adam&train_learning_rate=0.001"
    "&train_epochs=20&train_subset_size=20000"
)

# the points Plotly drew: its full data, where a curve sent in base64 is decoded (the
# figure's own data keeps the {dtype, bdata} spec it was given)
CURVE_POINTS = """() => {
    const plot = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
    return plot && plot._fullData && plot._fullData[0] ? plot._fullData[0].x.length : 0;
}"""


# a softmax run of batch 1: it never ends on its own within a test
ENDLESS_RUN = (
    "training?train_family=softmax&train_optimizer=sgd&train_learning_rate=0.01"
    "&train_batch_size=1&train_epochs=20&train_subset_size=20000"
)
QUICK_RUN = "training?train_family=softmax&train_epochs=1&train_subset_size=1000"


def train_panel(page: Page):
    return page.get_by_role("tabpanel", name="Train")


def start_training(page: Page) -> None:
    page.get_by_role("button", name="Train").click()
    expect(train_panel(page).get_by_test_id("stProgress")).to_be_visible(timeout=60_000)


def test_start_watch_the_curve_grow_then_stop(page: Page, app_url, real_data_dir, tmp_path):
    """The live curve gains points while training; Stop keeps the run and says so; its
    model downloads as a .keras file that Keras loads and that scores what the page says."""
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
    check_the_model_download(page, inside, tmp_path)


def check_the_model_download(page: Page, inside, folder: Path) -> None:
    """The .keras file the page serves loads in Keras and scores what the page says."""
    import keras

    page.get_by_role("tab", name="Code & model").click()
    with page.expect_download(timeout=60_000) as download:
        inside.get_by_role("button", name="Download the model (.keras)").click()
    path = folder / download.value.suggested_filename
    assert path.name == "run_1.keras"
    download.value.save_as(path)
    model = keras.models.load_model(path)
    _, (x_test, y_test), _ = load_dataset("mnist")
    probabilities = model.predict(x_test / np.float32(255), batch_size=1000, verbose=0)
    shown = inside.get_by_test_id("stMetric").filter(has_text="Test accuracy")
    page_accuracy = float(shown.get_by_test_id("stMetricValue").inner_text())
    assert np.mean(probabilities.argmax(axis=1) == y_test) == pytest.approx(page_accuracy, abs=1e-4)


def test_training_goes_on_while_the_student_visits_another_page(page: Page, app_url, real_data_dir):
    """Leave for Home during a run and come back: the run is still live (progress bar, curve
    still growing), then it finishes."""
    open_page(
        page,
        app_url,
        "training?train_family=cnn_fast&train_optimizer=adam&train_learning_rate=0.001"
        "&train_epochs=6&train_subset_size=20000",
    )
    start_training(page)
    page.wait_for_function(f"({CURVE_POINTS})() >= 1", timeout=120_000)
    page.get_by_test_id("stSidebarNav").get_by_text("Home", exact=True).click()
    expect(page.get_by_role("heading", name="Deep learning, hands on")).to_be_visible()
    page.get_by_test_id("stSidebarNav").get_by_text("Training studio", exact=True).click()
    expect(train_panel(page).get_by_test_id("stProgress")).to_be_visible(timeout=10_000)
    expect(train_panel(page).get_by_text(re.compile(r"epoch \d/6 · batch"))).to_be_visible()
    screenshot(page, "training-back-live")
    page.wait_for_function(f"({CURVE_POINTS})() >= 1", timeout=30_000)
    back = page.evaluate(CURVE_POINTS)
    page.wait_for_function(f"({CURVE_POINTS})() > {back}", timeout=120_000)
    expect(train_panel(page).get_by_text(re.compile(r"Run 1 finished 6 epoch\(s\)"))).to_be_visible(
        timeout=300_000
    )
    expect(page.get_by_role("spinbutton", name="Epochs")).to_have_value("6")
    expect_no_exception(page)
    screenshot(page, "training-finished")


@pytest.fixture
def one_trainer_server(request, real_data_dir) -> str:
    """A server of its own: one trainer, and a closed tab's run stopped after 5 s."""
    port = free_port()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DASHBOARD_WORKERS", "1")
        patch.setenv("DASHBOARD_ORPHAN_GRACE_SECONDS", "5")
        process = start_server(port, ROOT / "artifacts" / "streamlit-e2e-one-trainer.log")
    request.addfinalizer(lambda: process.terminate() or process.wait(timeout=10))
    wait_for_health(f"http://127.0.0.1:{port}", process)
    return f"http://127.0.0.1:{port}"


def test_a_closed_tabs_run_is_stopped_and_frees_its_trainer(
    context: BrowserContext, browser, browser_context_args, one_trainer_server
):
    """The only trainer is busy with a tab that then closes: another student's run waits in
    the queue, and starts once the orphaned run has been stopped."""
    # two students are two browsers (one run per browser would refuse a second tab's run)
    other_student = browser.new_context(**browser_context_args)
    leaving, staying = context.new_page(), other_student.new_page()
    open_page(leaving, one_trainer_server, ENDLESS_RUN)
    open_page(staying, one_trainer_server, QUICK_RUN)
    start_training(leaving)
    expect(leaving.get_by_text(re.compile(r"images/s"))).to_be_visible(timeout=120_000)
    leaving.close()
    staying.get_by_role("button", name="Train").click()
    expect(staying.get_by_text(re.compile(r"position 1 in the server's queue"))).to_be_visible(
        timeout=10_000
    )
    screenshot(staying, "training-queued")
    expect(train_panel(staying).get_by_text("Run 1 finished 1 epoch(s)")).to_be_visible(
        timeout=60_000
    )
    expect_no_exception(staying)
    other_student.close()


def test_data_explorer_shows_the_tensor_facts(page: Page, app_url, real_data_dir):
    open_page(page, app_url, "training?train_dataset=fashion_mnist")
    page.get_by_role("tab", name="Data explorer").click()
    expect(page.get_by_text("The images as tensors")).to_be_visible()
    expect(page.get_by_text("Ankle boot").first).to_be_visible()
    expect_no_exception(page)
    screenshot(page, "training-explorer")


# the Dense-512 tutorial's settings, as a link shared before the preset box was in links
DENSE_512_LINK = (
    "training?train_family=mlp&train_width=512&train_optimizer=rmsprop&train_learning_rate=0.001"
    "&train_batch_size=128&train_epochs=5&train_subset_size=60000&train_validation_split=0"
)


def test_a_tutorial_link_opens_with_its_preset_and_says_what_train_would_run(page: Page, app_url):
    """The preset box, its caption and the 'No run yet' text all name the Dense-512 run;
    a mangled value in a link is one plain-text sentence, not Markdown."""
    open_page(page, app_url, DENSE_512_LINK + "&train_seed=**x**")
    panel = train_panel(page)
    expect(panel.get_by_role("combobox", name="Preset")).to_have_value(
        "Tutorial: Dense 512 relu + softmax, RMSprop, 5 epochs of 128"
    )
    expect(panel.get_by_text("Chollet, Deep Learning with Python, chapter 2")).to_be_visible()
    expect(panel.get_by_text("5 epochs over 60,000 training images")).to_be_visible()
    expect(panel.get_by_text("a few seconds")).to_have_count(0)
    expect(
        page.get_by_text("The link's random seed (train_seed='**x**') is not a whole number")
    ).to_be_visible()
    assert "train_preset=tutorial_dense512" in page.url
    expect_no_exception(page)
    screenshot(page, "training-preset-link")
