"""A teacher and students as separate AppTest sessions of the real app, on one real database."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.classroom.database import STATE_DIR_VARIABLE, URL_VARIABLE
from tests.classroom_databases import database_url
from tests.conftest import ROOT

APP = str(ROOT / "dashboard" / "app.py")
BOARD = str(ROOT / "pages" / "class_board" / "page.py")
STUDIO = str(ROOT / "pages" / "training" / "page.py")


@pytest.fixture(autouse=True)
def class_database(monkeypatch, tmp_path):
    """The default: a SQLite file in a fresh state folder (as `make run` without settings)."""
    monkeypatch.delenv(URL_VARIABLE, raising=False)
    monkeypatch.setenv(STATE_DIR_VARIABLE, str(tmp_path / "state"))
    return tmp_path / "state" / "classroom.sqlite"


@pytest.fixture
def on_postgres(monkeypatch, tmp_path):
    """The same app on the test PostgreSQL (several server processes share one of these)."""
    url = database_url("postgresql", tmp_path)
    monkeypatch.setenv(URL_VARIABLE, url)
    return url


def ok(app: AppTest) -> AppTest:
    assert not app.exception, [error.value for error in app.exception]
    return app


def open_app(page: str | None = BOARD, query: dict | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.run()
    if page is not None:
        app.switch_page(page).run()
    return ok(app)


def button(app: AppTest, label: str):
    found = [item for item in app.button if item.label == label]
    assert found, [item.label for item in app.button]
    return found[0]


def press(app: AppTest, label: str) -> AppTest:
    button(app, label).click().run()
    return ok(app)


def texts(elements) -> str:
    return " | ".join(str(element.value) for element in elements)


def open_class(name: str = "Period 3") -> AppTest:
    teacher = open_app()
    teacher.text_input(key="class_open_name").input(name)
    return press(teacher, "Open the class")


def join(code: str, name: str, page: str | None = None) -> AppTest:
    """A student joins from the sidebar of the home page, then opens `page`."""
    student = open_app(None)
    student.text_input(key="class_join_code").input(code)
    student.text_input(key="class_join_name").input(name)
    press(student, "Join")
    if page is not None:
        student.switch_page(page).run()
    return ok(student)


def code_of(teacher: AppTest) -> str:
    return teacher.session_state["class_teacher"].code
