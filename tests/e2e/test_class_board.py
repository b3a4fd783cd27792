"""A class in headless Chromium: a teacher and two students, each in their own browser context
(their own cookies and sessions), on the real server and its SQLite file."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import screenshot
from tests.e2e.helpers import expect_no_exception, open_page, wait_for_app_run

pytestmark = pytest.mark.e2e

PROJECTOR = {"width": 1280, "height": 720}
LONG = 180_000


@pytest.fixture
def person(browser: Browser):
    """A new browser context per person: nothing shared but the server."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(viewport=PROJECTOR)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def open_the_class(teacher: Page, app_url: str) -> str:
    open_page(teacher, app_url, "class_board")
    teacher.get_by_label("Class name").fill("Period 3")
    teacher.get_by_role("button", name="Open the class").click()
    expect(teacher.get_by_text("Class opened.")).to_be_visible(timeout=30_000)
    code = teacher.get_by_test_id("stMetric").filter(has_text="Join code")
    return code.get_by_test_id("stMetricValue").inner_text().strip()


def join_the_class(student: Page, app_url: str, code: str, name: str) -> None:
    open_page(student, app_url)
    sidebar = student.get_by_test_id("stSidebar")
    sidebar.get_by_text("Join a class").click()
    sidebar.get_by_label("Join code").fill(code)
    sidebar.get_by_label("Your name").fill(name)
    sidebar.get_by_role("button", name="Join").click()
    expect(sidebar.get_by_text(f"you are {name}")).to_be_visible(timeout=30_000)


def go_to(person: Page, title: str) -> None:
    """Through the menu, as a student does: a new URL would be a new session, out of the class."""
    person.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    wait_for_app_run(person, timeout=LONG)


def train_and_send(student: Page) -> None:
    student.get_by_role("button", name="Train", exact=True).click()
    send = student.get_by_role("button", name="Send to class board").first
    expect(send).to_be_visible(timeout=LONG)
    send.click()
    expect(student.get_by_text("On the class board.").first).to_be_visible(timeout=30_000)


def test_a_class_joins_sends_runs_gets_a_page_and_runs_an_experiment(person, app_url):
    teacher, ann, bob = person(), person(), person()
    code = open_the_class(teacher, app_url)
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    assert "teacher=" not in teacher.url
    join_the_class(ann, app_url, code, "Ann")
    join_the_class(bob, app_url, code, "Bob")
    ann.reload()  # a new session: the browser's cookie brings Ann back into the class
    wait_for_app_run(ann)
    expect(ann.get_by_test_id("stSidebar").get_by_text("you are Ann")).to_be_visible()

    # a run sent from a studio appears on the board by itself (the board refreshes)
    go_to(ann, "Training studio")  # the fast softmax preset: seconds
    train_and_send(ann)
    board = teacher.get_by_test_id("stDataFrame").first
    expect(board).to_contain_text("Ann", timeout=30_000)
    expect_no_exception(teacher)
    teacher.get_by_text("Projector view (hide my controls)").click()
    wait_for_app_run(teacher)
    teacher.wait_for_timeout(1_000)
    screenshot(teacher, "class-board-projector")
    teacher.get_by_text("Projector view (hide my controls)").click()
    wait_for_app_run(teacher)

    # the teacher shares a page with its settings: a banner on a student's page, Open goes there
    teacher.get_by_role("tab", name="Share a page").click()
    teacher.get_by_label("Its settings: paste a link copied from that page (optional)").fill(
        f"{app_url}/gradient_descent?gd_lr=1.01"
    )
    teacher.keyboard.press("Enter")
    wait_for_app_run(teacher)
    teacher.get_by_role("button", name="Share with the class").click()
    banner = bob.get_by_text("Your teacher shared: Gradient-descent lab, learning rate η = 1.01")
    expect(banner).to_be_visible(timeout=30_000)
    screenshot(bob, "class-push-banner")
    bob.get_by_role("button", name="Open", exact=True).click()
    bob.wait_for_url(re.compile(r"/gradient_descent\?.*gd_lr=1\.01"), timeout=30_000)
    wait_for_app_run(bob)
    expect_no_exception(bob)

    # a class experiment: each studio opens on its own learning rate; results reach the board
    teacher.get_by_role("tab", name="Run an experiment").click()
    teacher.get_by_role("button", name="Start the experiment").click()
    expect(
        teacher.get_by_text(re.compile("Running: each student tests one learning rate"))
    ).to_be_visible(timeout=30_000)
    go_to(ann, "Training studio")
    expect(
        ann.get_by_text(re.compile(r"Class experiment: you are testing learning rate = 0\.0001"))
    ).to_be_visible()
    screenshot(ann, "class-experiment-studio")
    go_to(bob, "Training studio")
    expect(bob.get_by_text(re.compile(r"you are testing learning rate = 10\b"))).to_be_visible()
    train_and_send(ann)
    teacher.get_by_role("tab", name="Class experiment").click()
    expect(teacher.get_by_text(re.compile(r"1 result; waiting for 10\."))).to_be_visible(
        timeout=30_000
    )
    screenshot(teacher, "class-board-experiment")

    # a student cannot reach a teacher control: not on the board, not by URL
    go_to(bob, "Class board")
    expect(bob.get_by_test_id("stMetric").filter(has_text="Join code")).to_contain_text(code)
    expect(bob.get_by_text("Teacher controls")).to_have_count(0)
    expect(bob.get_by_role("button", name="Pause training")).to_have_count(0)
    screenshot(bob, "class-board-student")
    open_page(bob, app_url, f"class_board?teacher={code}")
    expect(bob.get_by_text("This teacher link does not open any class.")).to_be_visible()
    assert "teacher=" not in bob.url
    expect(bob.get_by_text("Teacher controls")).to_have_count(0)
    expect(bob.get_by_role("button", name="Pause training")).to_have_count(0)
    # leaving is for good: the browser forgets the class too
    bob.get_by_role("button", name="Leave the class").click()
    expect(bob.get_by_test_id("stSidebar").get_by_text("Join a class")).to_be_visible()
    bob.reload()
    wait_for_app_run(bob)
    expect(bob.get_by_test_id("stSidebar").get_by_text("Join a class")).to_be_visible()
