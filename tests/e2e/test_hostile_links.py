"""Links are outside text: a mangled or hostile link value is one plain sentence on every page."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import expect_no_exception, open_page

pytestmark = pytest.mark.e2e

PAYLOAD = (
    "**Your session expired** [log in again](http://evil.example) ![x](http://evil.example/p.png)"
)
# one setting of each page whose value is free text to the link reader
PAGES = {
    "information": "section",
    "gradient_descent": "gd_surface",
    "training": "train_dataset",
    "prediction": "prediction_input",
    "scratch": "scratch_dataset",
}


@pytest.mark.parametrize(("page_name", "key"), PAGES.items())
def test_a_hostile_link_value_is_shown_as_plain_text(page: Page, app_url, page_name, key):
    """No bold, no link, no image from the link: its words, shortened, in the app's sentence."""
    open_page(page, app_url, f"{page_name}?{key}={PAYLOAD}")
    warning = page.get_by_test_id("stAlertContentWarning").filter(has_text="The link's")
    expect(warning).to_have_count(1)
    html = warning.inner_html()
    assert "evil.example" not in "".join(re.findall(r'(?:href|src)="[^"]*"', html)), (
        "the link's value became a link or an image"
    )
    assert "<strong>" not in html
    expect(warning).to_contain_text("='**Your session expired** [log in again]…')")  # echoed short
    expect_no_exception(page)


def test_a_link_a_hundred_thousand_characters_long_is_said_in_one_sentence(page: Page, app_url):
    """The page loads and says the value is too long, echoing only its start."""
    open_page(page, app_url, "information?p=" + "1" * 100_000)
    warning = page.get_by_test_id("stAlertContentWarning").filter(has_text="100,000 characters")
    expect(warning).to_have_count(1)
    assert len(warning.inner_text()) < 250
    expect(page.get_by_text("Surprisal & entropy").first).to_be_visible()
    expect_no_exception(page)
