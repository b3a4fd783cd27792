"""The settings schema: URL text to values and back, one message style, bounded input."""

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.settings import (
    CHOICE,
    CHOICES,
    FLAG,
    NUMBER,
    NUMBERS,
    TEXT,
    WHOLE,
    PageSettings,
    Setting,
    SettingError,
    echo,
)

RATES = (0.001, 0.01, 0.1, 1.0, 10.0)
SETTINGS = PageSettings(
    "example",
    [
        Setting("lr", 0.1, "learning rate", kind=NUMBER, low=1e-10, high=10, grid=RATES),
        Setting("steps", 100, "steps", kind=WHOLE, low=1, high=10_000),
        Setting("mode", "one", "mode", kind=CHOICE, choices=("one", "many")),
        Setting("names", ["sgd", "adam"], "optimizers", kind=CHOICES, choices=("sgd", "adam")),
        Setting("p", "0.5, 0.5", "p", kind=NUMBERS, max_items=10),
        Setting("normalise", False, "auto-normalise", kind=FLAG),
        Setting("title", "hello", "title", kind=TEXT, max_chars=20),
        Setting("step", 0, "step shown", kind=WHOLE, low=0, in_url=False),
    ],
)


@pytest.mark.parametrize(
    "key, value",
    [("lr", 0.01), ("steps", 7), ("mode", "many"), ("names", ["adam"]), ("normalise", True)],
)
def test_values_round_trip_through_the_link(key, value):
    setting = SETTINGS[key]
    assert setting.parse(setting.encode(value)) == value


def test_defaults_leave_the_link_empty_and_changes_appear():
    assert SETTINGS.link_query(SETTINGS.defaults) == {}
    values = {**SETTINGS.defaults, "lr": 1.0, "names": ["adam"], "step": 5}
    assert SETTINGS.link_query(values) == {"lr": "1", "names": "adam"}
    assert SETTINGS.link(values, "/gd") == "/gd?lr=1&names=adam"


def test_a_value_that_does_not_fit_keeps_the_links_last_good_value():
    values = {**SETTINGS.defaults, "p": "0.5, oops", "steps": 7}
    assert SETTINGS.link_query(values) == {"steps": "7"}
    kept = SETTINGS.link_query(values, current={"p": "0.2,0.8", "steps": "3"})
    assert kept == {"p": "0.2,0.8", "steps": "7"}


def test_numbers_can_require_a_least_count():
    setting = Setting("z", "1, 2", "logits", kind=NUMBERS, min_items=2, max_items=10)
    assert setting.parse("1,2,3") == "1, 2, 3"
    with pytest.raises(SettingError, match="at least 2 numbers, got 1"):
        setting.parse("5")


@pytest.mark.parametrize(
    "key, text, reason",
    [
        ("steps", "abc", "is not a whole number"),
        ("steps", "2.5", "is not a whole number"),
        ("steps", "0", "must be from 1 to 10000"),
        ("lr", "nan", "is not a finite number"),
        ("lr", "x", "is not a number"),
        ("mode", "three", "choose one of one, many"),
        ("names", "sgd,rmsprop", "'rmsprop' is not one of sgd, adam"),
        ("p", "0.5, x", "'x' is not a number"),
        ("normalise", "yes", "is not 0 or 1"),
        ("title", "x" * 21, "longer than 20 characters"),
    ],
)
def test_bad_link_values_get_one_sentence_and_the_default(key, text, reason):
    values, problems = SETTINGS.read_link({key: text})
    assert values[key] == SETTINGS[key].default
    [problem] = problems
    assert reason in problem
    assert problem.startswith(f"The link's {SETTINGS[key].label} ({key}=")
    assert problem.endswith(f"; using {SETTINGS[key].shown(SETTINGS[key].default)}.")
    assert "invalid literal" not in problem


def test_a_huge_value_is_echoed_short_and_never_parsed():
    values, [problem] = SETTINGS.read_link({"steps": "9" * 10_000})
    assert values["steps"] == 100
    assert len(problem) < 200
    assert "characters long" in problem


def test_echo_cuts_long_text():
    assert echo("x" * 100) == "'" + "x" * 39 + "…'"
    assert echo("short") == "'short'"


def test_duplicates_in_a_list_are_dropped_and_the_length_capped():
    assert SETTINGS["names"].parse("sgd,sgd,adam,sgd") == ["sgd", "adam"]
    with pytest.raises(SettingError, match="at most 10 numbers"):
        SETTINGS["p"].parse(",".join(["0.1"] * 11))


def test_an_off_grid_value_snaps_to_the_nearest_on_a_log_scale_with_a_note():
    values, [note] = SETTINGS.read_link({"lr": "0.04"})
    assert values["lr"] == 0.01 or values["lr"] == 0.1
    assert values["lr"] == 0.1  # log10(0.04) is nearer to -1 than to -2
    assert "not on the slider" in note and "0.1" in note
    values, problems = SETTINGS.read_link({"lr": "1e-1"})
    assert values["lr"] == 0.1 and problems == []


def test_session_only_settings_never_come_from_a_link():
    values, problems = SETTINGS.read_link({"step": "5"})
    assert "step" not in values and problems == []


def test_a_bad_default_is_refused_when_the_table_is_written():
    with pytest.raises(SettingError):
        PageSettings("bad", [Setting("n", 0, "n", kind=WHOLE, low=1)])
    with pytest.raises(ValueError, match="twice"):
        PageSettings("bad", [Setting("n", 1, "n", kind=WHOLE), Setting("n", 2, "n", kind=WHOLE)])


def example_page():
    """A page with two settings, as the real pages use them."""
    import streamlit as st

    from dashboard.settings import KEEP, WHOLE, PageSettings, Setting

    table = PageSettings(
        "example",
        [
            Setting("steps", 100, "steps", kind=WHOLE, low=1, high=1000),
            Setting("mode", "one", "mode", kind="choice", choices=("one", "many")),
        ],
    )
    opened = table.sync_from_link()
    for problem in opened.problems:
        st.warning(problem)
    st.number_input("Steps", key="steps", persist_state=KEEP)
    st.radio("Mode", ("one", "many"), key="mode", persist_state=KEEP)
    st.button("Reset", on_click=table.reset)
    table.write_link()
    st.write(f"opened: {sorted(opened.keys)}")


def run_example(query: dict | None = None) -> AppTest:
    app = AppTest.from_function(example_page, default_timeout=30)
    app.query_params.update(query or {})
    return app.run()


def test_a_link_sets_the_widgets_and_a_bad_value_is_reported():
    app = run_example({"steps": "7", "mode": "nonsense"})
    assert app.number_input(key="steps").value == 7
    assert app.radio(key="mode").value == "one"
    assert "choose one of one, many" in app.warning[0].value
    assert app.query_params == {"steps": "7"}


def test_changes_go_to_the_link_and_reset_clears_it():
    app = run_example()
    app.number_input(key="steps").set_value(12).run()
    app.radio(key="mode").set_value("many").run()
    assert app.query_params == {"steps": "12", "mode": "many"}
    app.button[0].click().run()
    assert app.number_input(key="steps").value == 100
    assert app.radio(key="mode").value == "one"
    assert app.query_params == {}


def test_a_new_link_in_the_same_session_is_applied_and_a_plain_visit_keeps_the_values():
    app = run_example()
    app.number_input(key="steps").set_value(12).run()
    app.query_params.clear()  # a visit without parameters (e.g. from the menu)
    app.run()
    assert app.number_input(key="steps").value == 12
    assert app.query_params == {"steps": "12"}  # written back
    app.query_params.clear()
    app.query_params.update({"mode": "many"})  # a link from another page or the teacher
    app.run()
    assert app.radio(key="mode").value == "many"
    assert app.number_input(key="steps").value == 100  # a link is the whole state
    assert "opened: ['mode']" in app.markdown[-1].value


def test_above_refuses_the_bound_itself():
    step = Setting("lr", 0.1, "learning rate", kind=NUMBER, above=0)
    assert step.parse("1e-9") == 1e-9
    for text in ("0", "-1"):
        with pytest.raises(SettingError, match="must be above 0"):
            step.parse(text)


def test_a_grid_bounds_its_setting_unless_told_otherwise():
    sizes = Setting("batch", 50, "batch size", kind=WHOLE, grid=(1, 50, 1024))
    assert (sizes.low, sizes.high) == (1, 1024)
    with pytest.raises(SettingError, match="must be from 1 to 1024"):
        sizes.parse("5000")
    assert sizes.parse("40") == 50


def test_a_url_the_page_wrote_a_run_ago_does_not_undo_the_next_move():
    """Quick moves: the browser's URL can lag a rerun behind; it is no new link."""
    app = run_example()
    app.number_input(key="steps").set_value(12).run()
    app.number_input(key="steps").set_value(13).run()
    app.query_params.clear()
    app.query_params.update({"steps": "12"})  # what the browser still shows
    app.number_input(key="steps").set_value(14).run()
    assert app.number_input(key="steps").value == 14
    assert app.query_params == {"steps": "14"}
