"""Fuzzers: random widget steps and random link values on every page raise nothing.

A class is full of curious people. Each page gets seeded random steps through AppTest (a
widget set to any of its options, a number box to anything at all, a text box to hostile
text, a button pressed) and random links (every setting given a value from a catalogue of
trouble). The page must show no exception after any of them. `make test` runs a few hundred
steps per page; FUZZ_STEPS=5000 runs a longer search.
"""

import math
import os
import random

import pytest
from streamlit.errors import StreamlitAPIException
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.errors import AppTestError

from dashboard.navigation import available_pages
from tests.pages.test_every_page import run_page

pytestmark = pytest.mark.slow

STEPS = int(os.environ.get("FUZZ_STEPS", "200"))
# buttons that start minutes of work on the engine: the fuzzer's steps stay bounded
LONG_WORK = {"train_start", "scratch_train_start", "scratch_check_run"}
TROUBLE_TEXT = [
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "nan",
    "inf",
    "0.5, 0.5",
    "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11",
    "**bold** [link](http://evil.example)",
    "<script>alert(1)</script>",
    "ünïcödé ✓ 数字",
    "9" * 300,
    "0.1,0.1,,0.8",
    "; ; ;",
]
TROUBLE_NUMBERS = [0, -1, 1, 0.5, 1e-12, 1e12, -1e12, 10**9, 2.5, 100_000]


def page_ids():
    return [page for page in available_pages()]


def open_page(page, query: dict | None = None) -> AppTest:
    return run_page(page, timeout=120, query=query)


def no_exception(app: AppTest, what: str) -> None:
    assert not app.exception, (what, [error.value for error in app.exception])


def raw_values(widget, table) -> list:
    """The values a browser could send for a widget: its setting's choices or grid."""
    setting = table.settings.get(getattr(widget, "key", None)) if table is not None else None
    if setting is None:
        return []
    values = list(setting.choices or setting.grid or [])
    shown = getattr(widget, "options", None)
    format_func = getattr(widget, "format_func", None)
    if shown is None or format_func is None:
        return values
    # a browser can only send what the widget shows now (a page may narrow its options)
    return [value for value in values if str(format_func(value)) in shown]


def random_step(app: AppTest, rng: random.Random, table) -> str | None:
    """Set one random widget to a random value; returns what it did, None if nothing fit."""

    def choose(widget):
        values = raw_values(widget, table)
        if not values:
            raise ValueError("no value known for this widget")
        widget.set_value(rng.choice(values))

    kinds = {
        "selectbox": choose,
        "radio": choose,
        "segmented_control": choose,
        "select_slider": choose,
        "multiselect": lambda w: w.set_value(
            rng.sample(raw_values(w, table), rng.randint(0, len(raw_values(w, table))))
        ),
        "slider": lambda w: w.set_value(
            rng.uniform(w.min, w.max) if isinstance(w.min, float) else rng.randint(w.min, w.max)
        ),
        "number_input": lambda w: w.set_value(rng.choice(TROUBLE_NUMBERS)),
        "text_input": lambda w: w.input(rng.choice(TROUBLE_TEXT)),
        "toggle": lambda w: w.set_value(not w.value),
        "checkbox": lambda w: w.set_value(not w.value),
        "button": lambda w: w.click(),
    }
    widgets = [
        (kind, widget)
        for kind in kinds
        for widget in app.get(kind)
        if not getattr(widget, "disabled", False)
        and not (kind == "button" and getattr(widget, "key", None) in LONG_WORK)
    ]
    if not widgets:
        return None
    kind, widget = rng.choice(widgets)
    try:
        kinds[kind](widget)
    except (StreamlitAPIException, AppTestError, ValueError, TypeError, IndexError):
        return None  # no value a browser could send: skipped
    return f"{kind} {getattr(widget, 'key', None) or getattr(widget, 'label', '')}"


@pytest.mark.parametrize("page", page_ids(), ids=lambda page: page.name)
def test_random_widget_steps_raise_nothing(page, real_data_dir):
    rng = random.Random(f"widgets-{page.name}")
    table = settings_of(page)
    app = open_page(page)
    no_exception(app, "opening")
    done = []
    for _ in range(STEPS):
        step = random_step(app, rng, table)
        if step is None:
            continue
        app.run()
        done.append(step)
        no_exception(app, done[-5:])
    assert len(done) >= STEPS // 3, "the fuzzer found too few widgets to step"


def settings_of(page):
    import importlib

    try:
        return importlib.import_module(f"pages.{page.name}.settings").SETTINGS
    except ModuleNotFoundError:
        return None


def trouble_value(setting, rng: random.Random) -> str:
    """A link value: often one of trouble, sometimes a good one, sometimes a near miss."""
    good = [setting.encode(choice) for choice in (setting.choices or ())]
    if setting.kind == "choices" and setting.choices:
        good.append(",".join(rng.choices(list(setting.choices), k=rng.randint(1, 50))))
    if setting.default is not None:
        good.append(setting.encode(setting.default))
    numbers = [repr(value) for value in (rng.uniform(-1e6, 1e6), -0.0, math.pi, 2**63, 1e-320)]
    return rng.choice(TROUBLE_TEXT + numbers + good + ["x" * rng.randint(1, 5000)])


@pytest.mark.parametrize(
    "page", [page for page in page_ids() if settings_of(page)], ids=lambda page: page.name
)
def test_random_links_raise_nothing(page, real_data_dir):
    rng = random.Random(f"links-{page.name}")
    settings = list(settings_of(page).linked)
    for _ in range(max(5, STEPS // 8)):
        chosen = rng.sample(settings, rng.randint(1, len(settings)))
        query = {setting.key: trouble_value(setting, rng) for setting in chosen}
        app = open_page(page, query)
        no_exception(app, query)
        assert len(app.warning) <= len(query) + 3, "one sentence per link value at most"
