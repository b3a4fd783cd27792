"""The Gradient-descent lab in headless Chromium: a student drags the learning rate past 1."""

import pytest
from playwright.sync_api import Page, expect

from pages.gradient_descent.settings import LEARNING_RATES
from tests.conftest import screenshot
from tests.e2e.helpers import expect_no_exception, grown_margins, open_page, wait_for_app_run

pytestmark = pytest.mark.e2e


def whole_page_screenshot(page: Page, name: str, charts: int) -> None:
    """Streamlit scrolls inside its own container, so grow the window to show every plot."""
    page.set_viewport_size({"width": 1400, "height": 3000})
    wait_for_app_run(page)
    expect(page.locator("[data-testid='stPlotlyChart'] .main-svg").first).to_be_visible(
        timeout=30_000
    )
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(charts)
    page.wait_for_timeout(500)  # Plotly draws the last traces after the element appears
    screenshot(page, name)
    page.set_viewport_size({"width": 1400, "height": 1000})


def test_learning_rate_past_one_diverges(page: Page, app_url):
    """Arrow keys on the η slider from 0.9 to just past 1, 1.01: the bowl run, which
    oscillated into the minimum, now 'diverged at step 59' in a red box, its loss growing."""
    open_page(page, app_url, "gradient_descent?gd_lr=0.9")
    expect(page.get_by_text("SGD with η = 0.9: oscillating.")).to_be_visible()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("SGD: converged")
    expect_no_exception(page)
    whole_page_screenshot(page, "gradient_descent_start", charts=2)

    thumb = page.get_by_test_id("stSlider").first.get_by_role("slider")
    thumb.focus()
    for _ in range(LEARNING_RATES.index(1.01) - LEARNING_RATES.index(0.9)):
        thumb.press("ArrowRight")
    # x <- (1 - 2 * 1.01) x = -1.02 x: f - min = 25 * 1.0404^k passes 250 at k = 59
    error = page.get_by_test_id("stAlertContentError")
    expect(error).to_contain_text("SGD: diverged at step 59", timeout=30_000)
    expect(error).to_contain_text("10× its start value")
    expect(page.get_by_text("SGD with η = 1.01: diverging.")).to_be_visible()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_have_count(0)
    wait_for_app_run(page)
    expect_no_exception(page)
    whole_page_screenshot(page, "gradient_descent_diverged", charts=2)


def test_click_on_the_contour_plot_sets_the_start(page: Page, app_url):
    """A click a quarter in from the bottom-left corner of the bowl starts at (-2.5, -2.5)."""
    open_page(page, app_url, "gradient_descent")
    contour = page.get_by_test_id("stPlotlyChart").nth(1)  # after the η regime strip
    contour.scroll_into_view_if_needed()
    area = contour.locator(".nsewdrag").first
    expect(area).to_be_visible(timeout=30_000)
    box = area.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.75)
    page.wait_for_timeout(300)  # Plotly picks the hovered point first; the click selects it
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.75)
    expect(page.get_by_label("Start x0")).to_have_value("-2.50", timeout=30_000)
    expect(page.get_by_label("Start x1")).to_have_value("-2.50")
    wait_for_app_run(page)
    expect_no_exception(page)
    whole_page_screenshot(page, "gradient_descent_clicked", charts=2)


def test_the_code_that_ran_shows_the_rules_of_the_optimizers_compared(page: Page, app_url):
    """Comparing Momentum and Adam, 'The code that ran' opens on their two update rules as
    written in core/optimizers.py."""
    open_page(page, app_url, "gradient_descent?gd_mode=optimizers&gd_optimizers=momentum,adam")
    page.get_by_text("The code that ran").click()
    code = page.get_by_test_id("stCode")
    expect(code).to_have_count(2, timeout=30_000)
    expect(code.nth(0)).to_contain_text("def momentum(params, gradient, state")
    expect(code.nth(1)).to_contain_text("def adam(params, gradient, state")
    code.nth(1).scroll_into_view_if_needed()
    expect_no_exception(page)
    screenshot(page, "gradient_descent_code_that_ran")


@pytest.mark.parametrize("rate", ["0.001", "0.9", "10"])
def test_the_eta_strip_and_the_paths_are_drawn_once_at_their_own_margins(page: Page, app_url, rate):
    """Issue 15 (η must redraw in 500 ms): the regime strip under the slider asked for
    margins its last tick label did not fit, so Plotly drew it again on every η."""
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, app_url, f"gradient_descent?gd_lr={rate}")
    expect(page.locator(".js-plotly-plot")).to_have_count(2, timeout=30_000)  # strip, paths
    page.wait_for_timeout(1_500)  # a grown margin is a second drawing, after the first
    assert grown_margins(page) == []
