"""Every page on a classroom projector, 1280x720, in headless Chromium (issue 15):
nothing in the main column is cut off, Plotly labels stay inside their figure and apart,
and axe-core finds no accessibility violation. Screenshots are saved to be looked at."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from dashboard.navigation import available_pages
from tests.conftest import SCREENSHOTS, screenshot
from tests.e2e.helpers import expect_no_exception, open_page, wait_for_app_run

pytestmark = pytest.mark.e2e

PROJECTOR = {"width": 1280, "height": 720}
# What each page shows at first, and the states with the most text in them.
VIEWS = {
    "home": "",
    "information": "information",
    "information_cross_entropy": "information?section=cross_entropy&n=10&names=fashion",
    "information_sse": "information?section=sse&base=10",
    "information_softmax": "information?section=softmax",
    "gradient_descent": "gradient_descent",
    "gradient_descent_rosenbrock": "gradient_descent?gd_surface=rosenbrock",
    "gradient_descent_rates": "gradient_descent?gd_mode=rates&gd_rates=1e-10,0.1,0.9,1.02",
    "training": "training",
    "training_dense512": "training?train_preset=tutorial_dense512",
    "prediction": "prediction",
    "prediction_pick": "prediction?prediction_input=pick",
    "scratch": "scratch",
}
# Elements that scroll sideways on purpose: tables, code, the tab bar.
SCROLLERS = (
    "[data-testid=stDataFrame], [data-testid=stTable], [data-testid=stCode], "
    "[data-testid=stPlotlyChart], [role=tablist], pre"
)

CUT_OFF_TEXT = """(scrollers) => {
  const main = document.querySelector('[data-testid=stMainBlockContainer]');
  const cut = [];
  for (const element of main.querySelectorAll('*')) {
    if (element.closest(scrollers) || !element.textContent.trim()) continue;
    if (element.closest('.katex-mathml')) continue;  // KaTeX's copy for screen readers only
    const style = getComputedStyle(element);
    const clips = style.overflowX !== 'visible' || style.textOverflow === 'ellipsis';
    if (clips && element.clientWidth > 0 && element.scrollWidth > element.clientWidth + 1) {
      cut.push(element.textContent.trim().slice(0, 60));
    }
  }
  return [...new Set(cut)];
}"""

# Plotly draws its text in SVG: a label past its figure's edge is cut off, and two
# labels whose boxes overlap collide (the η regime strip's names did).
PLOTLY_TEXT = """() => {
  const problems = [];
  for (const chart of document.querySelectorAll('[data-testid=stPlotlyChart]')) {
    const frame = chart.getBoundingClientRect();
    const texts = [...chart.querySelectorAll('svg text')].filter(text => {
      const box = text.getBoundingClientRect();
      return text.textContent.trim() && box.width > 0 && getComputedStyle(text).opacity !== '0';
    });
    for (const text of texts) {
      const box = text.getBoundingClientRect();
      if (box.left < frame.left - 2 || box.right > frame.right + 2 || box.top < frame.top - 2
          || box.bottom > frame.bottom + 2) {
        problems.push('cut: ' + text.textContent.trim().slice(0, 40));
      }
    }
    const notes = texts.filter(text => text.closest('.annotation, .g-xtitle, .g-ytitle'));
    notes.forEach((first, index) => notes.slice(index + 1).forEach(second => {
      const a = first.getBoundingClientRect(), b = second.getBoundingClientRect();
      if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1
          && b.top < a.bottom - 1) {
        problems.push('overlap: ' + first.textContent.trim() + ' / ' + second.textContent.trim());
      }
    }));
  }
  return problems;
}"""


def open_view(page: Page, app_url: str, path: str) -> None:
    page.set_viewport_size(PROJECTOR)
    open_page(page, app_url, path, timeout=120_000)
    charts = page.locator("[data-testid=stPlotlyChart] >> visible=true")
    if charts.count():
        expect(charts.first.locator(".main-svg").first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1_000)  # Plotly and KaTeX finish drawing after the script run
    wait_for_app_run(page)


@pytest.mark.parametrize("view", list(VIEWS))
def test_nothing_is_cut_off_at_1280x720(page: Page, app_url, view):
    open_view(page, app_url, VIEWS[view])
    expect_no_exception(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"projector-{view}-window.png"))  # the first screen
    screenshot(page, f"projector-{view}")  # and the whole page
    assert page.evaluate(CUT_OFF_TEXT, SCROLLERS) == []
    assert page.evaluate(PLOTLY_TEXT) == []


@pytest.mark.parametrize("view", list(VIEWS))
def test_axe_finds_no_accessibility_violation(page: Page, app_url, view):
    open_view(page, app_url, VIEWS[view])
    results = Axe().run(page)
    violations = [
        f"{rule['id']}: {rule['help']} ({len(rule['nodes'])}x, e.g. {rule['nodes'][0]['html'][:120]})"
        for rule in results.response["violations"]
    ]
    assert not violations, "\n".join(violations)


def test_every_page_is_covered():
    shown = {path.split("?")[0] for path in VIEWS.values()}
    assert {page.url_path for page in available_pages()} <= shown
