"""Reset and Copy link on every page with settings, through the real entry point (AppTest).

Issue 15: a teacher needs both on every page. A link opens the page with a non-default
value; Copy link gives the page's path with exactly that value, and Reset brings every
setting back to its default and empties the link.
"""

import importlib
import importlib.util

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import HOME, available_pages
from tests.pages.test_every_page import APP

CHANGED = {  # one value per page that differs from its default (and needs no training)
    "information": {"section": "softmax"},
    "gradient_descent": {"gd_lr": "0.7"},
    "training": {"train_preset": "tutorial_dense512"},
    "prediction": {"prediction_input": "pick"},
    "scratch": {"scratch_hidden": "20"},
}


def has_settings(page) -> bool:
    return importlib.util.find_spec(f"pages.{page.name}.settings") is not None


# the class board has no settings of its own: its class comes from the join code
PAGES_WITH_SETTINGS = [
    page for page in available_pages() if page is not HOME and has_settings(page)
]


def settings_of(page):
    return importlib.import_module(f"pages.{page.name}.settings").SETTINGS


def test_every_page_with_settings_is_covered():
    assert {page.name for page in PAGES_WITH_SETTINGS} == set(CHANGED)


@pytest.mark.parametrize("page", PAGES_WITH_SETTINGS, ids=lambda page: page.name)
def test_copy_link_gives_the_page_and_its_settings_and_reset_the_defaults(page):
    settings = settings_of(page)
    link = CHANGED[page.name]
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params.update(link)
    app.run()
    app.switch_page(str(page.path)).run()
    assert not app.exception, [error.value for error in app.exception]
    assert not app.code or all("?" not in code.value for code in app.code)  # popover closed

    app.session_state[f"_toolbar_link_{page.name}"] = True  # what a click on Copy link does
    app.run()
    [shown] = [code.value for code in app.code if f"/{page.url_path}?" in code.value]
    assert shown == f"/{page.url_path}?" + "&".join(f"{k}={v}" for k, v in link.items())

    app.button(key=f"_toolbar_reset_{page.name}").click().run()
    assert not app.exception, [error.value for error in app.exception]
    for key, default in settings.defaults.items():
        assert app.session_state[key] == default, key
    assert not {key for key in app.query_params if key in settings.settings}
