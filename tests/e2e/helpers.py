"""Helpers for browser tests, after streamlit's own e2e_playwright conftest."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def wait_for_app_run(page: Page, timeout: float = 30_000) -> None:
    """Wait until the script has finished its run and the app is connected."""
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout
    )
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout
    )


def open_page(page: Page, app_url: str, url_path: str = "", timeout: float = 60_000) -> None:
    page.goto(f"{app_url}/{url_path}")
    wait_for_app_run(page, timeout)


def expect_no_exception(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


# Plotly grows a figure's margins to fit its tick labels and titles, and then draws the
# whole figure a second time: on every rerun that sends the figure again.
GROWN_MARGINS = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap((figure, n) => {
  const drawn = figure._fullLayout._size, asked = figure._fullLayout.margin;
  const keyed = figure.closest('[class*=st-key-]');
  const name = keyed ? [...keyed.classList].find(c => c.startsWith('st-key-')) : `figure ${n}`;
  return ['l', 'r', 't', 'b'].filter(side => drawn[side] !== asked[side])
    .map(side => `${name}: ${side} ${asked[side]} -> ${drawn[side]}`);
})"""


def grown_margins(page: Page) -> list[str]:
    """Each figure on the page whose margins Plotly grew: 'name: side asked -> drawn'."""
    return page.evaluate(GROWN_MARGINS)
