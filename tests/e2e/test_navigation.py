"""The real app in headless Chromium: every page opens from the menu without an exception."""

import re

import pytest
from playwright.sync_api import Page, expect

from dashboard.navigation import HOME, available_pages
from tests.conftest import screenshot
from tests.e2e.helpers import expect_no_exception, open_page, wait_for_app_run

pytestmark = pytest.mark.e2e


def test_home_page_is_served(page: Page, app_url):
    open_page(page, app_url)
    expect(page.get_by_role("heading", name="Deep learning, hands on")).to_be_visible()
    expect(page.get_by_text("Data sets")).to_be_visible()
    expect_no_exception(page)
    screenshot(page, "home")


@pytest.mark.parametrize(
    "entry", [p for p in available_pages() if p is not HOME], ids=lambda p: p.name
)
def test_every_page_opens_from_the_menu(page: Page, app_url, entry):
    open_page(page, app_url)
    page.get_by_test_id("stSidebarNav").get_by_text(entry.title, exact=True).click()
    page.wait_for_url(f"**/{entry.url_path}", timeout=30_000)
    wait_for_app_run(page, timeout=120_000)
    expect_no_exception(page)
    screenshot(page, entry.url_path)


def test_compute_device_on_request(page: Page, app_url):
    open_page(page, app_url)
    page.get_by_text("Compute device").click()
    page.get_by_role("button", name="Check which device the training engine would use").click()
    answer = page.get_by_text(re.compile(r"^\d+ worker\(s\)\. (GPU|CPU only)"))
    expect(answer).to_be_visible(timeout=120_000)  # asked of the engine's workers
    expect_no_exception(page)
