"""A full class on the projector: 30 students, 300 runs, an experiment and a handwriting test,
read at 1280x720 in headless Chromium (screenshots of every tab for a person to look at)."""

import math
from dataclasses import replace

import pytest
from playwright.sync_api import Page, expect

from bench.bench_classroom_board import a_run
from core.classroom.store import ClassroomStore
from tests.conftest import ROOT, free_port, screenshot, start_server, wait_for_health
from tests.e2e.helpers import expect_no_exception, open_page, wait_for_app_run

pytestmark = pytest.mark.e2e
STUDENTS, RUNS, ANSWERS = 30, 300, 20  # runs in all, of which answers to the experiment


class Ticking:
    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self):
        self.now += 10  # students send a run now and then, under the rate limit
        return self.now


def filled(folder) -> tuple[str, str]:
    """A class as after a lesson; returns its join code and teacher token."""
    from core.classroom.handwriting import handwriting_task
    from core.data import load_dataset
    from core.engine.tasks import keras_bytes
    from core.models import ModelConfig
    from core.training import TrainConfig, train

    store = ClassroomStore(f"sqlite:///{folder}/classroom.sqlite", clock=Ticking())
    new = store.create_class("Period 3 · deep learning", session_key="teacher")
    code, token, class_id = new.classroom.code, new.teacher_token, new.classroom.id
    members = [store.join(code, f"Student {n:02d}", session_key=f"s{n}") for n in range(STUDENTS)]
    sweep = store.start_sweep(class_id, token, "learning_rate", {})
    for number in range(RUNS - ANSWERS):
        store.send_run(members[number % STUDENTS].member_id, a_run(number))
    for member in members[:ANSWERS]:  # answers to the experiment: accuracy falls off at both ends
        rate = store.assignment(member.member_id).value
        accuracy = max(0.1, 0.92 - 0.12 * abs(math.log10(rate / 0.3)) ** 1.5)
        store.send_run(
            member.member_id, replace(a_run(0), learning_rate=rate, test_accuracy=accuracy)
        )
    _, (x_test, y_test), _ = load_dataset("mnist")
    for index in range(60):
        store.send_drawing(members[index % STUDENTS].member_id, x_test[index], int(y_test[index]))
    config = TrainConfig("mnist", ModelConfig("softmax"), "sgd", 0.5, 50, 1, 3000, 0.0, 0, 100)
    ids, images, labels, _ = store.handwriting_inputs(class_id, token)
    result = handwriting_task(images, labels, [("Quick model", keras_bytes(train(config).model))])
    store.save_handwriting(class_id, token, {**result, "drawing_ids": ids})
    store.dispose()
    assert sweep.assigned == STUDENTS
    return code, token


@pytest.fixture
def full_class_server(request, tmp_path, real_data_dir):
    code, token = filled(tmp_path)
    port = free_port()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DASHBOARD_STATE_DIR", str(tmp_path))
        patch.delenv("DASHBOARD_DATABASE_URL", raising=False)
        process = start_server(port, ROOT / "artifacts" / "streamlit-e2e-full-class.log")
    request.addfinalizer(lambda: process.terminate() or process.wait(timeout=10))
    wait_for_health(f"http://127.0.0.1:{port}", process)
    return f"http://127.0.0.1:{port}", code, token


def test_a_full_board_reads_at_projector_size(page: Page, full_class_server):
    url, code, token = full_class_server
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, url, f"class_board?teacher={token}")
    assert token not in page.url
    page.get_by_text("Projector view (hide my controls)").click()
    wait_for_app_run(page)
    page.get_by_test_id("stSidebar").hover()  # its collapse button shows on hover
    page.get_by_test_id("stSidebarCollapseButton").click()  # the projector shows the board only
    expect(page.get_by_test_id("stMetric").filter(has_text="Join code")).to_contain_text(code)
    expect(page.get_by_test_id("stMetric").filter(has_text="Students")).to_contain_text("30")
    expect(page.get_by_test_id("stMetric").filter(has_text="Runs")).to_contain_text("300")
    page.wait_for_timeout(1_000)
    page.screenshot(path=str(screenshot_path("class-full-leaderboard")))
    for tab, name in (
        ("Learning rate", "class-full-learning-rate"),
        ("Batch size", "class-full-batch-size"),
        ("Class experiment", "class-full-experiment"),
        ("Handwriting test", "class-full-handwriting"),
    ):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(1_500)
        page.screenshot(path=str(screenshot_path(name)))  # the window itself: what the room sees
    expect(page.get_by_test_id("stMetric").filter(has_text="Quick model")).to_be_visible()
    page.wait_for_timeout(6_000)  # a refresh of the board keeps the tab the projector is on
    expect(page.get_by_role("tab", name="Handwriting test")).to_have_attribute(
        "aria-selected", "true"
    )
    expect_no_exception(page)
    screenshot(page, "class-full-handwriting-page")


def screenshot_path(name: str):
    from tests.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
