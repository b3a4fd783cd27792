"""The From-scratch page in headless Chromium: the tutorial's table fills live; Stop; the check."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import screenshot
from tests.e2e.helpers import expect_no_exception, open_page, wait_for_app_run

pytestmark = pytest.mark.e2e


TALL = {"width": 1400, "height": 2200}  # Streamlit scrolls inside the page: show it all


TABLE_STATE = """() => {
    const table = document.querySelector('[data-testid=stCode]');
    const lines = table ? table.innerText.split('train acc, test acc |').length - 1 : 0;
    return {lines, done: document.body.innerText.includes('Done: run 1')};
}"""  # read in one go, so a line count and "Done" always belong to the same moment


def set_iterations(page: Page, iterations: int) -> None:
    field = page.get_by_label("Iterations (1 to 50,000)")
    field.fill(str(iterations))
    field.press("Enter")
    page.wait_for_url(f"**scratch_iterations={iterations}**")
    wait_for_app_run(page)


def watch_table_until_done(page: Page, timeout_ms: float = 180_000) -> list[dict]:
    """What the table showed, every 200 ms from the start of a run to its "Done"."""
    seen = []
    for _ in range(int(timeout_ms / 200)):
        seen.append(page.evaluate(TABLE_STATE))
        if seen[-1]["done"]:
            return seen
        if seen[-1]["lines"] == 2 and [state["lines"] for state in seen].count(2) == 1:
            screenshot(page, "scratch-train-live")  # once, mid-run, for a person to look at
        page.wait_for_timeout(200)
    raise AssertionError(f"no 'Done' within {timeout_ms / 1000:.0f} s; last seen {seen[-1]}")


def test_mnist_training_fills_the_table_while_it_runs(page: Page, app_url):
    """3 000 MNIST iterations: lines appear one epoch at a time before "Done", then all 6."""
    page.set_viewport_size(TALL)
    open_page(page, app_url, "scratch")
    page.get_by_role("tab", name="3 · Train").click()
    set_iterations(page, 3000)
    expect(page.get_by_label("Batch size (1 to 60,000)")).to_be_visible()  # MNIST
    page.get_by_role("button", name="Start training").click()
    seen = watch_table_until_done(page)
    partial = {state["lines"] for state in seen if not state["done"]} & {1, 2, 3, 4, 5}
    assert len(partial) >= 2, f"the table did not grow while the run went on: {seen}"
    # epochs of 600 iterations: evaluations at 0, 600, ..., 2400 and at the end. "Done" can
    # arrive a moment before the last table does, so wait for that rerun to end.
    wait_for_app_run(page)
    page.wait_for_function(f"() => ({TABLE_STATE})().lines === 6", timeout=30_000)
    expect(page.get_by_text(re.compile(r"^Done: run 1 .*3,000 iterations"))).to_be_visible()
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


def test_stop_ends_the_tutorial_run_early(page: Page, app_url):
    """Stop the 10 000-iteration run after 2 epoch lines: "Stopped", fewer iterations, no error."""
    page.set_viewport_size(TALL)
    open_page(page, app_url, "scratch")
    page.get_by_role("tab", name="3 · Train").click()
    page.get_by_role("button", name="Start training").click()
    page.wait_for_function(f"() => ({TABLE_STATE})().lines >= 2", timeout=120_000)
    page.get_by_role("button", name="Stop").click()
    stopped = page.get_by_text(re.compile(r"^Stopped: run 1 "))
    expect(stopped).to_be_visible(timeout=30_000)
    iterations = int(re.search(r"([\d,]+) iterations in", stopped.inner_text())[1].replace(",", ""))
    assert 600 <= iterations < 10_000  # past the second epoch line, well short of the end
    assert page.evaluate(TABLE_STATE)["lines"] >= 3  # and a line for the weights it kept
    expect(page.get_by_role("button", name="Stop")).to_have_count(0)
    expect_no_exception(page)
    screenshot(page, "scratch-stopped")


def test_gradient_check_table(page: Page, app_url):
    """The check prints one row per parameter and the measured ratio."""
    page.set_viewport_size(TALL)
    open_page(page, app_url, "scratch")
    page.get_by_role("tab", name="2 · Gradient check").click()
    # what it will cost, before running: the tutorial's 784-50-10 has 39 760 parameters
    expect(
        page.get_by_text(re.compile(r"3 pictures 79,520 times: about \d+\.\d s"))
    ).to_be_visible()
    page.get_by_role("button", name="Run the gradient check").click()
    expect(page.get_by_text("Numerical / backprop")).to_be_visible(timeout=180_000)
    expect(page.get_by_text("Last check: 784-50-10 sigmoid net")).to_be_visible()
    expect(page.get_by_text("Every difference is below 1e-7")).to_be_visible()
    expect_no_exception(page)
    screenshot(page, "scratch-check")


def test_a_mangled_link_is_said_in_plain_words(page: Page, app_url):
    """Each bad value: one sentence as written (no Markdown escapes showing), the defaults in
    the widgets, and the address bar rewritten to what the page shows."""
    open_page(page, app_url, "scratch?scratch_learning_rate=nan&scratch_activation=tanh")
    expect(
        page.get_by_text(
            "The link's learning rate (scratch_learning_rate='nan') is not a finite number; "
            "using 0.1.",
            exact=True,
        )
    ).to_be_visible()
    expect(
        page.get_by_text(
            "The link's hidden activation (scratch_activation='tanh'): choose one of "
            "sigmoid, relu; using sigmoid.",
            exact=True,
        )
    ).to_be_visible()
    page.get_by_role("tab", name="3 · Train").click()
    expect(page.get_by_label("Learning rate")).to_have_value("0.1")
    wait_for_app_run(page)
    assert "scratch_" not in page.url
    expect_no_exception(page)
    screenshot(page, "scratch-bad-link")
