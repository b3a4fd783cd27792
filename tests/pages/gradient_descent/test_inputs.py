"""The Gradient-descent lab's widget values as a run request, without a browser."""

from core.descent import MAX_STEPS
from pages.gradient_descent.inputs import parse_rates, read_request, start_from_click
from pages.gradient_descent.settings import SETTINGS


def test_rates_are_read_with_any_separator():
    assert parse_rates("0.1, 1e-3;2  0.5") == ([0.1, 0.001, 2.0, 0.5], [])


def test_the_defaults_are_the_tutorial_run():
    request, errors, warnings = read_request(SETTINGS.defaults)
    assert errors == warnings == []
    assert (request.surface, request.start, request.runs, request.steps) == (
        "bowl",
        (-3.0, 4.0),
        (("sgd", 0.1),),
        100,
    )


def test_more_steps_than_the_page_runs_are_capped_with_a_warning():
    request, errors, [warning] = read_request({**SETTINGS.defaults, "gd_steps": 25_000})
    assert request.steps == MAX_STEPS and errors == []
    assert warning == "25,000 steps is more than this page runs: capped at 10,000."


def test_only_the_first_rates_run():
    state = {**SETTINGS.defaults, "gd_mode": "rates", "gd_rates": "0.1 0.2 0.1 " * 4}
    request, errors, [warning] = read_request(state)
    assert [rate for _, rate in request.runs] == [0.1, 0.2]  # repeats run once
    assert warning == "Only the first 8 learning rates are run."


def test_a_click_on_the_plot_becomes_the_start():
    """The clicked point, rounded to 0.01, is the new start; clicks off the box are ignored."""
    clicked = {"points": [{"x": -2.4999, "y": 1.0001, "curve_number": 0}]}
    assert start_from_click(clicked, "bowl") == (-2.5, 1.0)
    assert start_from_click({"points": [{"x": 7.0, "y": 0.0, "curve_number": 0}]}, "bowl") is None
    # the loss curve beside the contours: step 3 at f − min 2 is no start (3, 2)
    assert start_from_click({"points": [{"x": 3, "y": 2.0, "curve_number": 5}]}, "bowl") is None
    assert start_from_click({"points": []}, "bowl") is None
    assert start_from_click(None, "bowl") is None
