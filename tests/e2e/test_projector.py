"""Every page on a classroom projector, 1280x720, in headless Chromium (issue 15):
nothing in the main column is cut off, Plotly labels stay inside their figure and apart,
and axe-core finds no accessibility violation. Screenshots are saved to be looked at."""

import re

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
    "class_board": "class_board",  # a teacher's first screen: open a class
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
    const outside = (box, edge) => box.left < edge.left - 2 || box.right > edge.right + 2
      || box.top < edge.top - 2 || box.bottom > edge.bottom + 2;
    for (const text of texts) {
      const box = text.getBoundingClientRect();
      if (outside(box, frame)) problems.push('cut: ' + text.textContent.trim().slice(0, 40));
      // inside the figure but past a clip path (a bar's number above the plot area)
      const clipped = text.closest('[clip-path]');
      const id = clipped && clipped.getAttribute('clip-path').match(/#([^)'"]+)/);
      const rect = id && chart.querySelector(`[id="${id[1]}"] rect`);
      if (rect) {
        const m = clipped.getScreenCTM(), x = rect.x.baseVal.value, y = rect.y.baseVal.value;
        const edge = {left: m.a * x + m.e, top: m.d * y + m.f};
        edge.right = edge.left + m.a * rect.width.baseVal.value;
        edge.bottom = edge.top + m.d * rect.height.baseVal.value;
        if (outside(box, edge)) problems.push('clipped: ' + text.textContent.trim().slice(0, 40));
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
def test_nothing_is_cut_off_and_axe_finds_no_violation_at_1280x720(page: Page, app_url, view):
    """One visit per view: its screenshots, cut-off text, Plotly labels, then axe-core."""
    open_view(page, app_url, VIEWS[view])
    check_view(page, view)


def test_every_page_is_covered():
    shown = {path.split("?")[0] for path in VIEWS.values()}
    assert {page.url_path for page in available_pages()} <= shown


def check_view(page: Page, name: str) -> None:
    """The checks of the tests above on what is on screen now, with its screenshots."""
    wait_for_app_run(page)
    page.wait_for_timeout(1_000)
    expect_no_exception(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"projector-{name}-window.png"))
    screenshot(page, f"projector-{name}")
    assert page.evaluate(CUT_OFF_TEXT, SCROLLERS) == []
    assert page.evaluate(PLOTLY_TEXT) == []
    violations = [
        f"{rule['id']}: {rule['nodes'][0]['html'][:120]}"
        for rule in Axe().run(page).response["violations"]
    ]
    assert not violations, violations


def tick_labels(page: Page, chart_key: str, axis: str = "x") -> list[str]:
    return page.locator(f".st-key-{chart_key} .{axis}tick text").all_text_contents()


def test_the_studio_after_a_run_at_1280x720(page: Page, app_url, real_data_dir):
    """Every tab of the studio with a finished run: ledger (status in sight), confusion
    matrix, per-class accuracy and images per class naming all ten classes, the galleries."""
    open_view(page, app_url, "training?train_family=softmax&train_epochs=1&train_subset_size=1000")
    page.get_by_role("button", name="Train").click()
    finished = page.get_by_role("tabpanel", name="Train").get_by_text(re.compile(r"Run 1 finished"))
    expect(finished).to_be_visible(timeout=180_000)
    check_view(page, "training-run")
    page.get_by_role("tab", name="Runs").click()
    check_view(page, "training-runs")
    page.get_by_role("tab", name="Look inside").click()
    expect(page.get_by_text("Showing run 1, the newest finished run")).to_be_visible()
    check_view(page, "training-inside")
    digits = [str(digit) for digit in range(10)]  # not 0, 2, 4... as a number axis thins them
    assert tick_labels(page, "confusion_1") == tick_labels(page, "confusion_1", "y") == digits
    page.get_by_role("tab", name="Per class").click()
    check_view(page, "training-per-class")
    assert tick_labels(page, "per_class_1") == digits
    for tab in ("Mistakes", "Weights"):
        page.get_by_role("tab", name=tab).click()
        check_view(page, f"training-{tab.lower()}")
    page.get_by_role("tab", name="Data explorer").click()
    check_view(page, "training-explorer")
    assert tick_labels(page, "train_class_counts") == digits


def test_the_gradient_descent_views_on_demand_at_1280x720(page: Page, app_url):
    """The 3-D view (its top z tick was cut), the field and the error against h."""
    open_view(page, app_url, "gradient_descent?gd_surface=rosenbrock")
    page.get_by_text("3-D view and the downhill field").click()
    page.get_by_text("Error of the numerical gradient against h").click()
    for key in ("gd_contour", "gd_surface_3d", "gd_field", "gd_h_error"):  # no η strip here
        expect(page.locator(f".st-key-{key} .main-svg").first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(2_000)  # WebGL
    check_view(page, "gradient_descent-all-views")
