"""Issue 15 in headless Chromium: stepping through a descent costs no rerun, Copy link
copies the page with its settings, Reset brings the defaults, and a Dense-512 link opens
with that preset, its caption and an honest text."""

import re

import pytest
from playwright.sync_api import Page, expect

from core.presets import PRESETS
from pages.training.settings import SETTINGS as STUDIO
from pages.training.settings import settings_of
from tests.conftest import screenshot
from tests.e2e.helpers import expect_no_exception, open_page, wait_for_app_run

pytestmark = pytest.mark.e2e

# Counts the script runs the browser asks for (each sets the app's script state running).
COUNT_RUNS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  window.__runs = 0;
  new MutationObserver(() => {
    if (app.dataset.testScriptState === 'running') window.__runs += 1;
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""
SHOWN_STEP = """() => {
  const plot = [...document.querySelectorAll('.js-plotly-plot')].find(
    figure => figure._transitionData && figure._transitionData._frames.length);
  const marker = plot.data[plot.data.length - 2];  // the markers the frames move
  return {x: marker.x[0], y: marker.y[0]};
}"""


def test_stepping_and_play_move_the_marker_without_a_rerun(page: Page, app_url):
    open_page(page, app_url, "gradient_descent")
    chart = page.get_by_test_id("stPlotlyChart").nth(1)  # after the η regime strip
    chart.scroll_into_view_if_needed()
    expect(chart.get_by_text("Step shown: 100")).to_be_visible(timeout=30_000)
    final = page.evaluate(SHOWN_STEP)
    assert abs(final["x"]) < 1e-6 and abs(final["y"]) < 1e-6  # opens on the final point
    page.evaluate(COUNT_RUNS)
    rail = chart.locator(".slider-rail-rect").first
    box = rail.bounding_box()
    page.mouse.click(box["x"] + 2, box["y"] + box["height"] / 2)  # the slider's start
    expect(chart.get_by_text("Step shown: 0")).to_be_visible(timeout=10_000)
    assert page.evaluate(SHOWN_STEP) == {"x": -3, "y": 4}
    chart.get_by_text("▶ play").click()
    expect(chart.get_by_text("Step shown: 100")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__runs") == 0  # all in the browser
    expect_no_exception(page)
    screenshot(page, "gradient_descent_played")


def test_copy_link_copies_the_page_with_its_settings_and_reset_clears_them(page: Page, app_url):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_page(page, app_url, "gradient_descent?gd_lr=0.7&gd_surface=elongated")
    page.get_by_role("button", name="Copy link").click()
    code = page.get_by_test_id("stPopoverBody").get_by_test_id("stCode")
    expect(code).to_contain_text("gd_lr=0.7", timeout=30_000)
    shown = code.inner_text().strip()
    assert shown.startswith(f"{app_url}/gradient_descent?gd_surface=elongated&")
    assert shown.endswith("&gd_lr=0.7")  # and the surface's own start, from the link
    code.hover()
    code.get_by_role("button").first.click()  # st.code's copy button
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.strip() == shown
    screenshot(page, "copy_link")
    page.keyboard.press("Escape")

    page.get_by_role("button", name="Reset").click()
    wait_for_app_run(page)
    expect(page.get_by_text("SGD with η = 0.1: monotone.")).to_be_visible(timeout=30_000)
    assert not re.search(r"gd_(lr|surface)=", page.url)
    expect_no_exception(page)


def test_a_shared_dense_512_link_opens_with_that_preset(page: Page, app_url):
    """Issue 15: the link opened with the preset box, its caption and the first-run text
    saying 'Fast: softmax'. It names Dense 512 in all three."""
    dense = "tutorial_dense512"
    link = STUDIO.link({**settings_of(PRESETS[dense].config), "train_preset": dense})
    open_page(page, app_url, f"training{link}")
    expect(page.get_by_role("combobox", name="Preset")).to_have_value(
        PRESETS[dense].title, timeout=30_000
    )
    expect(page.get_by_text("Chollet, Deep Learning with Python, chapter 2")).to_be_visible()
    expect(page.get_by_text(re.compile(r"press Train to run Tutorial: Dense 512"))).to_be_visible()
    expect(page.get_by_text("Fast: softmax")).to_have_count(0)
    expect_no_exception(page)
    screenshot(page, "training_dense512_link")
