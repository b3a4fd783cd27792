"""The Gradient-descent lab's settings table, and what it adds for a link that was opened."""

import pytest

from core.surfaces import SURFACES
from dashboard.settings import SettingError
from pages.gradient_descent.settings import (
    LEARNING_RATES,
    MAX_RATES,
    SETTINGS,
    fit_link,
)


def test_learning_rate_grid_spans_the_slider_and_the_thresholds():
    """1e-10 to 10 on a log grid, with points on both sides of the bowl's 0.5 and 1."""
    assert LEARNING_RATES[0] == 1e-10 and LEARNING_RATES[-1] == 10
    assert sorted(set(LEARNING_RATES)) == LEARNING_RATES
    assert {0.49, 0.5, 0.51, 0.99, 1.0, 1.01} <= set(LEARNING_RATES)


def test_an_empty_link_gives_the_defaults_and_the_defaults_an_empty_link():
    values, problems = SETTINGS.read_link({})
    assert values == SETTINGS.defaults and problems == []
    assert SETTINGS.link_query(SETTINGS.defaults) == {}


def test_a_rate_on_the_slider_is_kept_and_one_off_it_snaps_with_a_note():
    assert SETTINGS.read_link({"gd_lr": "0.7"}) == ({**SETTINGS.defaults, "gd_lr": 0.7}, [])
    values, [note] = SETTINGS.read_link({"gd_lr": "0.11"})
    assert values["gd_lr"] == 0.1
    assert note == (
        "The link's learning rate η '0.11' is not on the slider; using the nearest, 0.1."
    )


@pytest.mark.parametrize(
    "text, reason",
    [
        ("0.1, 0", "'0' must be above 0"),
        ("0.5 -1", "'-1' must be above 0"),
        ("0.1, fast", "'fast' is not a number"),
        (", ".join(["0.1"] * (MAX_RATES + 1)), f"at most {MAX_RATES} numbers, got 9"),
    ],
)
def test_learning_rates_to_compare_are_positive_and_few(text, reason):
    with pytest.raises(SettingError, match=reason):
        SETTINGS["gd_rates"].parse(text)
    assert SETTINGS["gd_rates"].parse("0.1, 1e-3, 2") == "0.1, 1e-3, 2"


@pytest.mark.parametrize("key", ["gd_momentum", "gd_rho", "gd_beta_1", "gd_beta_2"])
def test_decays_are_at_least_0_and_below_1(key):
    """A decay of 1 never forgets (Keras refuses it too); 0.999 is Adam's own β2."""
    setting = SETTINGS[key]
    assert setting.parse("0") == 0 and setting.parse("0.999") == 0.999
    for text in ("1", "1.5", "-0.1"):
        with pytest.raises(SettingError, match="must be at least 0 and below 1"):
            setting.parse(text)


def test_h_must_be_in_the_range_the_descent_accepts():
    assert SETTINGS["gd_h"].parse("1e-12") == 1e-12 and SETTINGS["gd_h"].parse("1") == 1
    for text in ("1e-13", "2", "0"):
        with pytest.raises(SettingError, match="must be from 1e-12 to 1"):
            SETTINGS["gd_h"].parse(text)


def opened(**values) -> dict:
    return {**SETTINGS.defaults, **values}


def test_a_link_naming_only_a_surface_gets_its_start_and_rate():
    state = opened(gd_surface="rosenbrock")
    assert fit_link(state, frozenset({"gd_surface"})) == []
    assert (state["gd_x0"], state["gd_x1"], state["gd_lr"]) == (-1.5, 2.0, 0.001)


def test_what_a_link_names_is_kept_beside_the_surface():
    state = opened(gd_surface="rosenbrock", gd_x0=1.0, gd_lr=0.002)
    assert fit_link(state, frozenset({"gd_surface", "gd_x0", "gd_lr"})) == []
    assert (state["gd_x0"], state["gd_x1"], state["gd_lr"]) == (1.0, 2.0, 0.002)


def test_a_link_start_off_the_plot_gets_the_surface_start():
    state = opened(gd_surface="saddle", gd_x0=2.5, gd_x1=-7.0)
    [problem] = fit_link(state, frozenset({"gd_surface", "gd_x0", "gd_x1"}))
    assert problem == (
        "The link's start (2.5, -7) is outside the view box of "
        f"{SURFACES['saddle'].title}: x0 must be from -3 to 3 and x1 from -2 to 2; "
        "using (2.5, 0)."
    )
    assert (state["gd_x0"], state["gd_x1"]) == SURFACES["saddle"].default_start


def test_no_link_opened_changes_nothing():
    """A rerun or a plain visit: the student's own values stay, even off the plot (the
    page's error says so then)."""
    state = opened(gd_x0=50.0)
    assert fit_link(state, frozenset()) == []
    assert state == opened(gd_x0=50.0)


def test_repeated_optimizers_are_said_to_run_once():
    values, [note] = SETTINGS.read_link({"gd_optimizers": "sgd, adam,sgd"})
    assert values["gd_optimizers"] == ["sgd", "adam"]
    assert note == (
        "The link's optimizers to compare (gd_optimizers='sgd, adam,sgd') names one more "
        "than once; each is used once: sgd, adam."
    )
    assert SETTINGS.read_link({"gd_optimizers": "sgd,adam"})[1] == []
