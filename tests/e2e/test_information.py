"""The Information & loss lab in headless Chromium: type a probability, see the entropy move."""

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import screenshot
from tests.e2e.helpers import expect_no_exception, grown_margins, open_page, wait_for_app_run

pytestmark = pytest.mark.e2e

P_LABEL = "p, the true distribution (comma-separated, one per class)"
Q_LABEL = "q, the prediction (comma-separated, one per class)"
ONE_HOT_2 = "0,0,1,0,0,0,0,0,0,0"
FIRST_DRAW = 30_000  # ms: "not running" can be seen before the first run has even started
PREDICTION_Q = (
    "0.018054,0.008330,0.084557,0.016960,0.002482,0.036633,0.619034,0.212173,0.001499,0.000278"
)


def metric(page: Page, label: str):
    """The value of the st.metric whose label is `label`."""
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def whole_page_screenshot(page: Page, name: str) -> None:
    """Streamlit scrolls inside its own container: a tall window shows the whole page."""
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.wait_for_timeout(500)  # charts re-layout to the new size
    screenshot(page, name)


def type_into(page: Page, label: str, text: str) -> None:
    box = page.get_by_label(label)
    box.fill(text)
    box.press("Enter")
    wait_for_app_run(page)


def test_editing_p_changes_the_entropy(page: Page, app_url):
    """Typing p in the browser changes the entropy and the URL."""
    open_page(page, app_url, "information")
    expect(metric(page, "Entropy H(p)")).to_have_text("1.7500 bits", timeout=FIRST_DRAW)
    type_into(page, P_LABEL, "0.25, 0.25, 0.25, 0.25")
    expect(metric(page, "Entropy H(p)")).to_have_text("2.0000 bits")
    expect(page).to_have_url(f"{app_url}/information?p=0.25%2C0.25%2C0.25%2C0.25")
    expect_no_exception(page)
    whole_page_screenshot(page, "information-entropy")


def test_bad_input_keeps_the_last_result(page: Page, app_url):
    """A negative probability shows an error and the last valid entropy stays."""
    open_page(page, app_url, "information")
    expect(metric(page, "Entropy H(p)")).to_have_text("1.7500 bits", timeout=FIRST_DRAW)
    type_into(page, P_LABEL, "0.5, -0.1, 0.6")
    expect(page.get_by_test_id("stAlertContentError")).to_contain_text("negative value -0.1")
    expect(metric(page, "Entropy H(p)")).to_have_text("1.7500 bits")
    expect_no_exception(page)
    whole_page_screenshot(page, "information-bad-input")


def test_prediction_link_opens_cross_entropy(page: Page, app_url):
    """The link the Prediction page builds opens its example with no warning."""
    query = f"section=cross_entropy&names=digits&n=10&p={ONE_HOT_2}&q={PREDICTION_Q}"
    open_page(page, app_url, f"information?{query}")
    expect(metric(page, "Cross-entropy H(p, q)")).to_have_text("3.5639 bits", timeout=FIRST_DRAW)
    expect(page.get_by_test_id("stAlertContentWarning")).to_have_count(0)
    expect_no_exception(page)
    whole_page_screenshot(page, "information-cross-entropy")


def test_tutorial_preset_and_softmax(page: Page, app_url):
    """Preset buttons load the tutorial's SSE/CEE example and softmax(1, 3, 2)."""
    open_page(page, app_url, "information")
    expect(metric(page, "Entropy H(p)")).to_have_text("1.7500 bits", timeout=FIRST_DRAW)
    page.get_by_role("button", name="Tutorial y2: wrong").click()
    wait_for_app_run(page)
    expect(metric(page, "Sum of squared errors")).to_have_text("0.5975")
    expect(metric(page, "Cross-entropy (eps 1e-07)")).to_have_text("2.3026 nats")
    expect_no_exception(page)
    whole_page_screenshot(page, "information-sse")
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.get_by_role("button", name="softmax(1, 3, 2)").click()
    wait_for_app_run(page)
    expect(metric(page, "Largest probability")).to_have_text("0.6652")
    expect_no_exception(page)
    whole_page_screenshot(page, "information-softmax")


def test_dragging_a_slider_rescales_the_others(page: Page, app_url):
    """Open the sliders, move p(0) to 0 with the keyboard: the others rescale to sum to 1."""
    open_page(page, app_url, "information")
    expect(metric(page, "Entropy H(p)")).to_have_text("1.7500 bits", timeout=FIRST_DRAW)
    page.get_by_text("Drag with sliders").click()
    wait_for_app_run(page)
    slider = page.get_by_role("slider").first
    expect(slider).to_have_value("0.5", timeout=FIRST_DRAW)
    slider.focus()
    slider.press("Home")  # one key, one rerun: p(0) = 0, the others share 1 as 2 : 1 : 1
    wait_for_app_run(page)
    expect(page.get_by_label("p, the true distribution", exact=False)).to_have_value(
        "0, 0.5, 0.25, 0.25", timeout=FIRST_DRAW
    )
    expect(metric(page, "Entropy H(p)")).to_have_text("1.5000 bits")
    expect_no_exception(page)
    whole_page_screenshot(page, "information-sliders")


def test_sse_section_says_when_cross_entropy_is_infinite(page: Page, app_url):
    """y = 0 on the target's class: the page says CE = ∞ without eps and shows 16.1181 nats."""
    open_page(page, app_url, "information?section=sse&n=3&p=0%2C0%2C1&q=0.5%2C0.5%2C0&base=e")
    expect(metric(page, "Cross-entropy (eps 1e-07)")).to_have_text(
        "16.1181 nats", timeout=FIRST_DRAW
    )
    warning = page.get_by_test_id("stAlertContentWarning")
    expect(warning).to_contain_text("the cross-entropy without eps is ∞")
    expect(warning).to_contain_text("the cross-entropy is 16.1181 nats")
    expect_no_exception(page)
    whole_page_screenshot(page, "information-sse-infinite")


@pytest.mark.parametrize(
    "view",
    [
        "information",
        f"information?section=cross_entropy&names=fashion&n=10&p={ONE_HOT_2}&q={PREDICTION_Q}"
        "&base=10",
        "information?section=sse",
        "information?section=softmax",
        "information?section=softmax&names=fashion",
    ],
)
def test_every_figure_is_drawn_once_at_its_own_margins(page: Page, app_url, view):
    """Issue 15 (an edit of p must redraw in 300 ms): from 10 px margins Plotly grew each
    figure's margins to fit its tick labels and titles, which draws each figure twice on
    every edit. The margins asked for must already hold them, on every section."""
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, app_url, view, timeout=FIRST_DRAW)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=FIRST_DRAW)
    page.wait_for_timeout(1_500)  # a grown margin is a second drawing, after the first
    assert grown_margins(page) == []
