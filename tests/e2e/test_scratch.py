"""The From-scratch page in headless Chromium: a short training fills the tutorial's table live."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import screenshot
from tests.e2e.helpers import expect_no_exception, open_page, wait_for_app_run

pytestmark = pytest.mark.e2e


TALL = {"width": 1400, "height": 2200}  # Streamlit scrolls inside the page: show it all


def choose_digits(page: Page) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text="Data set").click()
    page.get_by_role("option", name="Digits (offline)").click()
    page.wait_for_url("**scratch_dataset=digits**")  # the rerun with digits has written the URL
    wait_for_app_run(page)


def test_short_training_fills_the_table(page: Page, app_url):
    """Start a 300-iteration run on digits: the status, the lines and the weights appear."""
    page.set_viewport_size(TALL)
    open_page(page, app_url, "scratch")
    choose_digits(page)
    page.get_by_role("tab", name="3 · Train").click()
    iterations = page.get_by_label("Iterations (1 to 50,000)")
    iterations.fill("300")
    iterations.press("Enter")
    page.wait_for_url("**scratch_iterations=300**")
    wait_for_app_run(page)
    expect(page.get_by_label("Batch size (1 to 1,437)")).to_be_visible()  # digits, not MNIST
    page.get_by_role("button", name="Start training").click()
    expect(page.get_by_text(re.compile(r"^Done: run 1"))).to_be_visible(timeout=60_000)
    table = page.get_by_test_id("stCode")
    expect(table).to_contain_text("train acc, test acc | ")
    # 300 iterations of 14 per epoch: evaluations at 0, 14, ..., 294 and at the end
    assert table.inner_text().count("train acc, test acc |") == 23
    expect_no_exception(page)
    screenshot(page, "scratch-train")

    page.get_by_role("tab", name="4 · Hidden weights").click()
    expect(page.get_by_text("showing 50 of 50 units")).to_be_visible()
    screenshot(page, "scratch-weights")

    page.get_by_role("tab", name="1 · Forward pass").click()
    expect(page.get_by_text("The net you trained: run 1")).to_be_visible()
    page.get_by_text("Warm-up: one layer").click()
    expect(page.get_by_text("Same numbers: that is backpropagation")).to_be_visible()
    page.wait_for_timeout(800)  # the expander's opening animation
    screenshot(page, "scratch-forward")


def test_gradient_check_table(page: Page, app_url):
    """The check prints one row per parameter and the measured ratio."""
    page.set_viewport_size(TALL)
    open_page(page, app_url, "scratch")
    page.get_by_role("tab", name="2 · Gradient check").click()
    page.get_by_role("button", name="Run the gradient check").click()
    expect(page.get_by_text("Numerical / backprop")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Last check: 784-10-10 sigmoid net")).to_be_visible()
    expect(page.get_by_text("Every difference is below 1e-7")).to_be_visible()
    expect_no_exception(page)
    screenshot(page, "scratch-check")
