"""The Gradient-descent lab through the real entry point: regimes, compare mode, bad input."""

import base64
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.descent import MAX_STEPS
from dashboard.navigation import PAGES
from tests.pages.test_every_page import APP

PAGE = next(page for page in PAGES if page.name == "gradient_descent")


def open_lab(**link) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params.update({key: str(value) for key, value in link.items()})
    app.run()
    app.switch_page(str(PAGE.path)).run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def texts(elements) -> str:
    return "\n".join(str(element.value) for element in elements)


def plots(app: AppTest) -> int:
    return len(app.get("plotly_chart"))


def contour(app: AppTest) -> dict:
    """The contour plot's figure as sent to the browser (after the η strip on a bowl)."""
    charts = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    return next(chart for chart in charts if chart["data"][0].get("type") == "contour")


def test_opens_on_the_tutorial_bowl():
    """Defaults: the bowl from (-3, 4) with SGD, η = 0.1, 100 steps, which converges."""
    app = open_lab()
    assert "SGD: converged: within tolerance from step 39" in texts(app.success)
    assert "SGD with η = 0.1: monotone." in texts(app.markdown)
    assert plots(app) == 6  # regime strip, contour, 3-D, loss, field, error vs h
    assert not app.error


@pytest.mark.parametrize(
    "rate, regime",
    [(0.7, "oscillating"), (1.0, "bounded"), (1.01, "diverging")],  # monotone: the default
)
def test_slider_names_the_regime_the_maths_predicts(rate, regime):
    """On the bowl the page says which of x <- (1 - 2η) x's regimes the slider is in."""
    app = open_lab()
    app.select_slider(key="gd_lr").set_value(rate).run()
    assert not app.exception
    assert f"SGD with η = {rate:g}: {regime}." in texts(app.markdown)


def test_divergence_is_reported_with_its_step():
    """η = 10 multiplies x by -19 each step: 'diverged at step 5', and the plots still draw."""
    app = open_lab()
    app.select_slider(key="gd_lr").set_value(10.0).run()
    assert not app.exception
    assert "diverged at step 5" in texts(app.error)
    assert plots(app) == 6


def test_eta_one_on_the_bowl_is_a_bounded_oscillation_not_a_success():
    """η = 1: x <- -x, f stays 25. A warning that says so, no green box, no 'descending'."""
    app = open_lab()
    app.select_slider(key="gd_lr").set_value(1.0).run()
    assert not app.exception
    assert not app.success
    assert (
        "SGD: bounded oscillation, not converging: f − min stays at 25 as it jumps back and "
        "forth." in texts(app.warning)
    )
    assert "descending" not in texts(app.warning)


def test_eta_just_past_one_is_diverged_although_no_coordinate_blew_up():
    """η = 1.01 for 100 steps: f − min 25 -> 1312, every point finite. An error that names
    the step (59) and the rule, and the contour marks where the path left the plot (12)."""
    app = open_lab()
    app.select_slider(key="gd_lr").set_value(1.01).run()
    assert not app.exception
    assert not app.success
    message = texts(app.error)
    assert (
        "SGD: diverged at step 59: from there on f − min stayed above 250, 10× its start "
        "value, and kept growing, to 1.31e+03 at step 100." in message
    )
    assert "descending" not in message
    # |x1| = 4 * 1.02^k passes the box's 5 at k = 12
    annotations = [note["text"] for note in contour(app)["layout"]["annotations"]]
    assert annotations == ["left the plot at step 12<br>diverged at step 59"]


def test_fewer_steps_just_past_one_say_diverging():
    """η = 1.01 for 50 steps: f − min has grown to 181 but not past 250: 'diverging'."""
    app = open_lab(gd_lr=1.01, gd_steps=50)
    assert not app.success
    assert "SGD: diverging: f − min grew from 25 to 181 in 50 steps and is still rising." in texts(
        app.error
    )


def test_bound_divergence_marks_where_the_path_left_the_plot():
    """η = 1.5 on the bowl: x <- -2x leaves the box at step 1 and passes 1e6 at step 18."""
    app = open_lab(gd_lr=1.5)
    annotations = [note["text"] for note in contour(app)["layout"]["annotations"]]
    assert annotations == ["left the plot at step 1<br>diverged at step 18"]
    assert "diverged at step 18: a coordinate passed ±1e+06" in texts(app.error)


def test_wells_default_start_is_stuck_in_a_local_minimum():
    """Two wells from (-2.5, -2): it settles in the shallow well, 0.4 above the deep one."""
    app = open_lab(gd_surface="wells")
    assert not app.success
    warning = texts(app.warning)
    assert "SGD: stuck in a local minimum near (-1.5, -0.999)" in warning
    assert "the global minimum is lower" in warning


def test_wells_start_on_the_plateau_is_stuck_on_a_plateau():
    """From (3.5, -3.5), where f is within 1e-6 of 1, the gradient is too small to move."""
    app = open_lab(gd_surface="wells", gd_x0=3.5, gd_x1=-3.5)
    assert not app.success
    warning = texts(app.warning)
    assert "SGD: stuck on a plateau near (3.5, -3.5)" in warning
    assert "local minimum" not in warning


def test_saddle_start_is_stuck_at_the_saddle():
    """The saddle surface's own start (2.5, 0) rolls to (0, 0) and stops: named a saddle."""
    app = open_lab(gd_surface="saddle")
    warning = texts(app.warning)
    assert "SGD: stuck at a saddle point near (0, 0)" in warning
    assert "curves down along ±(0, 1)" in warning


def test_compare_optimizers_table():
    """Six optimizers from one start: one table row each with steps to 1e-6 and outcome."""
    app = open_lab(gd_mode="optimizers", gd_steps=1000)
    table = app.dataframe[0].value
    assert list(table["run"]) == ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam"]
    sgd = table.iloc[0]
    assert sgd["steps to f − min ≤ 1e-6"] == 39  # 25 * 0.64^k <= 1e-6 first at k = 39
    np.testing.assert_allclose([sgd["final x0"], sgd["final x1"]], [0, 0], atol=1e-12)


def test_compare_learning_rates_marks_the_diverging_one():
    """Several η for SGD on one plot: 1.5 diverges at step 18, the others do not."""
    app = open_lab(gd_mode="rates", gd_rates="0.1, 0.7, 1.5")
    table = app.dataframe[0].value
    assert list(table["η"]) == [0.1, 0.7, 1.5]
    assert list(table["outcome"])[2].startswith("diverged at step 18: a coordinate passed")
    assert "SGD, η=1.5: diverged at step 18" in texts(app.error)
    assert len(app.error) == 1  # the others are in the table, not repeated


@pytest.mark.parametrize(
    "rates, message",
    [
        ("0.1, 0", "'0' is not a positive learning rate"),
        ("0.1, fast", "'fast' is not a positive learning rate"),
        ("", "Type at least one learning rate"),
    ],
)
def test_bad_learning_rates_keep_the_last_picture(rates, message):
    """A zero, negative or non-numeric η is refused by name; the last valid run stays drawn."""
    app = open_lab(gd_mode="rates")
    table, charts = app.dataframe[0].value, plots(app)
    app.text_input(key="gd_rates").input(rates).run()
    assert not app.exception
    assert message in texts(app.error)
    assert "the plots show the last valid run" in texts(app.info)
    assert app.dataframe[0].value.equals(table)
    assert plots(app) == charts == 5  # contour, 3-D, loss, field, error vs h


@pytest.mark.parametrize(
    "link, message",
    [
        ({"gd_lr": 0}, "the learning rate must be a positive number, got 0"),
        ({"gd_lr": "nan"}, "the learning rate must be a positive number, got nan"),
        ({"gd_lr": "fast"}, "Link value gd_lr='fast' ignored"),
        ({"gd_lr": 0.11}, "η = 0.11 is not on the slider: using 0.1"),
    ],
)
def test_bad_learning_rate_in_a_link(link, message):
    """A link with η = 0, negative, NaN or text opens with a warning and a working default."""
    app = open_lab(**link)
    assert message in texts(app.warning)
    assert app.select_slider(key="gd_lr").value == 0.1
    assert "SGD: converged" in texts(app.success)


def test_zero_steps_is_refused_and_the_last_run_stays():
    """Steps 0: an error, and the converged run is still the one on screen."""
    app = open_lab()
    app.number_input(key="gd_steps").set_value(0).run()
    assert not app.exception
    assert "Steps must be at least 1, got 0." in texts(app.error)
    assert "SGD: converged" in texts(app.success)
    assert plots(app) == 6


def test_huge_steps_are_capped_and_said_so():
    """A million steps runs the cap, 10 000, and the page says so."""
    app = open_lab()
    app.number_input(key="gd_steps").set_value(1_000_000).run()
    assert not app.exception
    assert "capped at 10,000" in texts(app.warning)
    assert app.slider(key="gd_step").max == MAX_STEPS


def test_start_outside_the_view_box():
    """A start off the plot is refused with the box it must be in."""
    app = open_lab()
    app.number_input(key="gd_x0").set_value(7.0).run()
    assert not app.exception
    assert "outside the view box" in texts(app.error)
    assert "x0 in [-5, 5]" in texts(app.error)
    assert "the plots show the last valid run" in texts(app.info)


def test_non_finite_start_from_a_link():
    """x0 = inf in a link: a clear error, and the page says the default run is drawn."""
    app = open_lab(gd_x0="inf")
    assert "The start point must be finite numbers" in texts(app.error)
    assert "meanwhile the plots show the default run" in texts(app.info)
    assert "SGD: converged: within tolerance from step 39" in texts(app.success)
    assert plots(app) == 6


@pytest.mark.parametrize(
    "h, message",
    [
        (0.0, "h must be a positive step, got 0.0"),
        (1e-300, "h must be between 1e-12 and 1, got 1e-300: a smaller step is lost to rounding"),
        (5.0, "h must be between 1e-12 and 1, got 5: a bigger step measures the slope far"),
    ],
)
def test_bad_h_is_refused_and_the_last_picture_stays(h, message):
    """h = 0 divides by zero; h = 1e-300 makes x + h == x, a zero gradient that would pass
    for 'stuck'; h = 5 is no local slope. Refused by name, the last numerical run stays."""
    app = open_lab(gd_gradient="numerical", gd_lr=0.7)
    before = [chart.proto.spec for chart in app.get("plotly_chart")]
    app.number_input(key="gd_h").set_value(h).run()
    assert not app.exception
    assert message in texts(app.error)
    assert "the plots show the last valid run" in texts(app.info)
    assert "SGD: converged: within tolerance from step 10" in texts(app.success)
    assert [chart.proto.spec for chart in app.get("plotly_chart")] == before


def test_bad_optimizer_setting():
    """Momentum 1 never forgets a step: refused with the allowed range."""
    app = open_lab(gd_mode="optimizers")
    app.number_input(key="gd_momentum").set_value(1.0).run()
    assert not app.exception
    assert "momentum must be at least 0 and below 1" in texts(app.error)


def test_no_optimizer_chosen():
    app = open_lab(gd_mode="optimizers")
    app.multiselect(key="gd_optimizers").set_value([]).run()
    assert not app.exception
    assert "Choose at least one optimizer" in texts(app.error)


def test_numerical_gradient_matches_analytic_at_the_shown_step():
    """Step 10 of the bowl run is 0.8^10 (-3, 4); numerical and analytic agree there."""
    app = open_lab(gd_gradient="numerical")
    app.slider(key="gd_step").set_value(10).run()
    point = 0.8**10 * np.array([-3.0, 4.0])
    assert f"x = ({point[0]:.6g}, {point[1]:.6g})" in texts(app.markdown)
    table = app.dataframe[0].value
    np.testing.assert_allclose(table["analytic"], 2 * point)
    assert np.abs(table["difference"]).max() < 1e-9


def test_new_surface_starts_from_its_own_start():
    """Switching to Rosenbrock moves the start to (-1.5, 2) and η to 0.001."""
    app = open_lab()
    app.selectbox(key="gd_surface").set_value("rosenbrock").run()
    assert not app.exception
    assert (app.number_input(key="gd_x0").value, app.number_input(key="gd_x1").value) == (-1.5, 2)
    assert app.select_slider(key="gd_lr").value == 0.001


def test_state_is_in_the_url():
    """Changed values go to the query string, defaults stay out of it."""
    app = open_lab()
    app.select_slider(key="gd_lr").set_value(0.7).run()
    app.radio(key="gd_mode").set_value("optimizers").run()
    assert app.query_params["gd_lr"] == "0.7"
    assert app.query_params["gd_mode"] == "optimizers"
    assert "gd_steps" not in app.query_params


def test_link_naming_only_a_surface_uses_its_start():
    """?gd_surface=rosenbrock opens at Rosenbrock's own start and η, not the bowl's (-3, 4)."""
    app = open_lab(gd_surface="rosenbrock")
    assert not app.error
    assert (app.number_input(key="gd_x0").value, app.number_input(key="gd_x1").value) == (-1.5, 2)
    assert app.select_slider(key="gd_lr").value == 0.001


def test_learning_rate_grid_spans_the_slider_and_the_thresholds():
    """1e-10 to 10 on a log grid, with points on both sides of the bowl's 0.5 and 1."""
    from pages.gradient_descent.inputs import LEARNING_RATES, parse_rates

    assert LEARNING_RATES[0] == 1e-10 and LEARNING_RATES[-1] == 10
    assert sorted(set(LEARNING_RATES)) == LEARNING_RATES
    assert {0.49, 0.5, 0.51, 0.99, 1.0, 1.01} <= set(LEARNING_RATES)
    assert parse_rates("0.1, 1e-3;2  0.5") == ([0.1, 0.001, 2.0, 0.5], [])


def test_a_click_on_the_plot_becomes_the_start():
    """The clicked point, rounded to 0.01, is the new start; clicks off the box are ignored."""
    from pages.gradient_descent.inputs import start_from_click

    clicked = {"points": [{"x": -2.4999, "y": 1.0001, "curve_number": 9}]}
    assert start_from_click(clicked, "bowl") == (-2.5, 1.0)
    assert start_from_click({"points": [{"x": 7.0, "y": 0.0}]}, "bowl") is None
    assert start_from_click({"points": []}, "bowl") is None
    assert start_from_click(None, "bowl") is None


def page_figures(surface_name: str) -> list:
    """Every figure the page draws, on runs that converge, crawl and leave the box."""
    from core.calculus import difference_errors
    from core.descent import compare, quadratic_regime
    from core.surfaces import get_surface
    from pages.gradient_descent import figures
    from pages.gradient_descent.inputs import LEARNING_RATES

    cached = (figures._field_figure, figures._regime_figure, figures.h_error_panel)
    for built_once in cached:
        built_once.cache_clear()
    surface = get_surface(surface_name)
    runs = [("sgd", 50.0), ("adam", 0.05), ("momentum", 1e-3)]  # SGD leaves every box
    results = compare(surface, surface.default_start, runs, 60)
    assert figures.left_view(surface, results[0].path) is not None  # the exit label is drawn
    hs = np.logspace(-12, 0, 7)
    central, forward = difference_errors(surface.function, surface.gradient, (0.5, 0.5), hs)
    built = [
        figures.contour_figure(surface, results, 10, True),
        figures.surface_figure(surface, results, 10, True),
        figures.loss_figure(results, 10, 1e-6, True),
        figures.field_figure(surface),
        figures.h_error_figure(hs, central, forward, 1e-4),
        figures.h_error_panel(surface_name, (0.5, 0.5), 1e-4),
        figures.regime_figure(0.3, quadratic_regime(0.3, (1.0, 1.0)), LEARNING_RATES),
    ]
    for built_once in cached:
        built_once.cache_clear()  # leave no copy built under other settings
    return built


@pytest.mark.parametrize("surface_name", ["bowl", "rosenbrock", "wells"])
def test_figures_skip_no_plotly_check_that_matters(monkeypatch, surface_name):
    """The page builds figures without Plotly's checks for speed: the JSON sent to the
    browser must be exactly what the checked figures give (Plotly's checks also rewrite
    values, e.g. colour-scale names), and the checked build must raise nothing."""
    import json

    import plotly.io

    from pages.gradient_descent import figures

    fast = page_figures(surface_name)
    monkeypatch.setattr(figures, "VALIDATE", True)
    checked = page_figures(surface_name)
    for quick, slow in zip(fast, checked):
        assert json.loads(plotly.io.to_json(quick, validate=False)) == json.loads(
            plotly.io.to_json(slow, validate=False)
        ), slow.layout.title.text


@pytest.mark.parametrize("surface_name", ["bowl", "elongated", "rosenbrock", "saddle", "wells"])
def test_field_arrows_point_along_minus_the_gradient(surface_name):
    """Every arrow of the field plot runs from its grid point along −∇f there, and its head
    is turned the same way (Plotly turns an arrow marker clockwise from 'up')."""
    from core.surfaces import get_surface
    from pages.gradient_descent import figures

    surface = get_surface(surface_name)
    xs, ys, tips, size, angles = figures._field(surface_name)
    bases = np.column_stack([xs[0::3], ys[0::3]])
    np.testing.assert_array_equal(np.column_stack([xs[1::3], ys[1::3]]), tips)
    downhill = -surface.gradient(bases)
    moving = np.linalg.norm(downhill, axis=1) > 1e-12  # flat spots have no direction
    assert moving.sum() > len(bases) / 2
    shafts = tips - bases
    unit_shafts = shafts[moving] / np.linalg.norm(shafts[moving], axis=1)[:, None]
    unit_downhill = downhill[moving] / np.linalg.norm(downhill[moving], axis=1)[:, None]
    np.testing.assert_allclose(unit_shafts, unit_downhill, atol=1e-9)
    heads = np.radians(angles[moving])
    np.testing.assert_allclose(
        np.column_stack([np.sin(heads), np.cos(heads)]), unit_downhill, atol=1e-9
    )
    np.testing.assert_allclose(size, np.linalg.norm(downhill, axis=1))


def test_paths_are_thinned_to_a_pixel_and_keep_their_arrows():
    """1000 steps that crawl into the minimum are sent as a few dozen points: every arrow
    step, the last point, and one per pixel travelled, so no dropped point is a pixel away
    from a kept one; later points stay visible as small arrows."""
    from core.descent import compare
    from core.surfaces import get_surface
    from pages.gradient_descent import figures

    bowl = get_surface("bowl")
    results = compare(bowl, bowl.default_start, [("adam", 0.1)], 1000)
    path = results[0].path
    kept = figures.path_points(bowl, path)
    assert kept[-1] == len(path) - 1
    assert list(kept[: figures.ARROW_STEPS + 1]) == list(range(figures.ARROW_STEPS + 1))
    assert len(kept) < len(path) / 3
    pixel = 10 / figures.PIXELS  # the bowl's box is 10 wide
    previous_kept = kept[np.searchsorted(kept, np.arange(len(path)), side="right") - 1]
    assert np.linalg.norm(path - path[previous_kept], axis=1).max() < pixel
    trace = next(
        trace
        for trace in figures.contour_figure(bowl, results, 0, False).to_plotly_json()["data"]
        if trace.get("name") == "Adam"
    )
    sizes = np.frombuffer(base64.b64decode(trace["marker"]["size"]["bdata"]), dtype=np.int8)
    assert sizes[0] == 0 and set(sizes[1 : figures.ARROW_STEPS + 1]) == {11}
    assert len(sizes) > figures.ARROW_STEPS + 1 and set(sizes[figures.ARROW_STEPS + 1 :]) == {6}
