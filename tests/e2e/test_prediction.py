"""The real canvas in headless Chromium: train the quick model, draw a 1, read it, clear it."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import screenshot
from tests.e2e.helpers import expect_no_exception, open_page, wait_for_app_run

pytestmark = pytest.mark.e2e

CANVAS = "[data-testid=stBidiComponentIsolated] canvas.upper-canvas"
DRAWN = "[data-testid=stBidiComponentIsolated] canvas.dc-canvas.lower-canvas"  # the strokes
COUNT_WHITE = """canvas => {
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let white = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i] > 128) white++;
    return white;
}"""


def ensure_quick_model(page: Page) -> None:
    """Click the one-time training if nobody has, then wait for the model's test accuracy."""
    train = page.get_by_role("button", name="Train the quick model")
    ready = page.get_by_text("on the 10,000 test digits")
    expect(train.or_(ready)).to_be_visible(timeout=60_000)
    if train.is_visible():
        train.click()
    expect(ready).to_be_visible(timeout=180_000)


def draw_vertical_stroke(page: Page) -> None:
    canvas = page.locator(CANVAS)
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    x = box["x"] + box["width"] / 2
    page.mouse.move(x, box["y"] + 0.15 * box["height"])
    page.mouse.down()
    for step in range(1, 21):
        page.mouse.move(x, box["y"] + (0.15 + 0.7 * step / 20) * box["height"])
    page.mouse.up()


def white_pixels_soon(page: Page, seconds: float = 10) -> int:
    """White pixels on the drawing layer, waiting for a remounted canvas to redraw."""
    white = 0
    for _ in range(int(seconds * 4)):
        white = page.locator(DRAWN).evaluate(COUNT_WHITE)
        if white:
            return white
        page.wait_for_timeout(250)
    return white


def test_draw_a_one_then_clear(page: Page, app_url):
    """A vertical stroke on the real canvas is read as "1"; clearing brings the hint back."""
    page.set_viewport_size({"width": 1400, "height": 2200})  # the page scrolls inside: see it all
    open_page(page, app_url, "prediction")
    ensure_quick_model(page)
    expect(page.get_by_text("Draw a digit on the black canvas")).to_be_visible()
    screenshot(page, "prediction-ready")

    draw_vertical_stroke(page)
    top_answer = page.get_by_test_id("stMetric").filter(has_text="#1")
    expect(top_answer.get_by_test_id("stMetricValue")).to_have_text("1", timeout=30_000)
    expect(page.get_by_text("model input", exact=True)).to_be_visible()
    wait_for_app_run(page)
    expect_no_exception(page)
    screenshot(page, "prediction-drawn-one")
    assert white_pixels_soon(page) > 1000

    # Away and back: the canvas is mounted again with the same stroke, the answer unchanged.
    page.get_by_text("Pick a test image", exact=True).click()
    expect(page.get_by_text("Test image number")).to_be_visible(timeout=30_000)
    page.get_by_text("Draw", exact=True).click()
    expect(top_answer.get_by_test_id("stMetricValue")).to_have_text("1", timeout=30_000)
    expect(page.locator(DRAWN)).to_be_visible()
    assert white_pixels_soon(page) > 1000

    page.get_by_role("button", name="Clear", exact=True).click()
    expect(page.get_by_text("Draw a digit on the black canvas")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    wait_for_app_run(page)
    assert page.locator(DRAWN).evaluate(COUNT_WHITE) == 0
    expect_no_exception(page)
    screenshot(page, "prediction-cleared")


def test_a_link_opens_a_test_image_and_a_bad_value_is_said_in_plain_words(page: Page, app_url):
    """A teacher's link picks MNIST image 12; a mangled data set is named once, as written."""
    page.set_viewport_size({"width": 1400, "height": 2200})
    open_page(page, app_url, "prediction?prediction_input=pick&prediction_index=12")
    expect(page.get_by_text(re.compile(r"MNIST test image 12, labelled \d"))).to_be_visible()
    open_page(page, app_url, "prediction?prediction_input=pick&prediction_dataset=cifar")
    expect(
        page.get_by_text(
            "The link's test images' data set (prediction_dataset='cifar'): choose one of "
            "mnist, fashion_mnist, digits; using mnist.",
            exact=True,
        )
    ).to_be_visible(timeout=30_000)
    expect(page.get_by_text(re.compile(r"MNIST test image 0, labelled 7"))).to_be_visible()
    wait_for_app_run(page)
    assert "prediction_dataset" not in page.url and "prediction_input=pick" in page.url
    expect_no_exception(page)
    screenshot(page, "prediction-bad-link")
