"""The Gradient-descent lab through the real entry point: regimes, compare mode, bad input."""

import inspect
import json
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.descent import MAX_STEPS
from core.optimizers import OPTIMIZERS
from dashboard.navigation import PAGES
from pages.gradient_descent.settings import SETTINGS
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
    """The elements' text as the student reads it (plain() backslash-escapes punctuation)."""
    return "\n".join(
        re.sub(r"\\([!-/:-@[-`{-~])", r"\1", str(element.value)) for element in elements
    )


def plots(app: AppTest) -> int:
    return len(app.get("plotly_chart"))


def contour(app: AppTest) -> dict:
    """The contour plot's figure as sent to the browser (after the η strip on a bowl)."""
    charts = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    return next(chart for chart in charts if chart.get("frames"))


def exit_labels(app: AppTest) -> list[str]:
    """The contour's notes where a path left the plot (beside the subplot titles)."""
    notes = contour(app)["layout"]["annotations"]
    return [note["text"] for note in notes if "left the plot" in note["text"]]


PLOTS = 2  # on screen at first: the η regime strip, and the paths with their loss


def test_opens_on_the_tutorial_bowl():
    """Defaults: the bowl from (-3, 4) with SGD, η = 0.1, 100 steps, which converges."""
    app = open_lab()
    assert "SGD: converged: within tolerance from step 39" in texts(app.success)
    assert "SGD with η = 0.1: monotone." in texts(app.markdown)
    assert plots(app) == PLOTS  # the 3-D view, the field and error vs h open on demand
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
    assert plots(app) == PLOTS


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
    assert exit_labels(app) == ["left the plot at step 12<br>diverged at step 59"]


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
    assert exit_labels(app) == ["left the plot at step 1<br>diverged at step 18"]
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
    assert sgd["steps to f − min ≤ 1e-6"] == "39"  # 25 * 0.64^k <= 1e-6 first at k = 39
    np.testing.assert_allclose([sgd["final x0"], sgd["final x1"]], [0, 0], atol=1e-12)


def test_compare_learning_rates_marks_the_diverging_one():
    """Several η for SGD on one plot: 1.5 diverges at step 18, the others do not."""
    app = open_lab(gd_mode="rates", gd_rates="0.1, 0.7, 1.5")
    table = app.dataframe[0].value
    assert list(table["η"]) == ["0.1", "0.7", "1.5"]
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
    assert plots(app) == charts == 1  # paths and loss (each line has its own η: no strip)


@pytest.mark.parametrize(
    "link, message",
    [
        (
            {"gd_lr": 0},
            "The link's learning rate η (gd_lr='0'): must be from 1e-10 to 10; using 0.1.",
        ),
        (
            {"gd_lr": -1},
            "The link's learning rate η (gd_lr='-1'): must be from 1e-10 to 10; using 0.1.",
        ),
        (
            {"gd_lr": "nan"},
            "The link's learning rate η (gd_lr='nan') is not a finite number; using 0.1.",
        ),
        (
            {"gd_lr": "fast"},
            "The link's learning rate η (gd_lr='fast') is not a number; using 0.1.",
        ),
        (
            {"gd_lr": 0.11},
            "The link's learning rate η '0.11' is not on the slider; using the nearest, 0.1.",
        ),
    ],
)
def test_bad_learning_rate_in_a_link(link, message):
    """A link with η = 0, negative, NaN or text opens with a warning and a working default."""
    app = open_lab(**link)
    assert [message] == texts(app.warning).splitlines()
    assert app.select_slider(key="gd_lr").value == 0.1
    assert "SGD: converged" in texts(app.success)


def test_zero_steps_is_refused_and_the_last_run_stays():
    """Steps 0: an error, and the converged run is still the one on screen."""
    app = open_lab()
    app.number_input(key="gd_steps").set_value(0).run()
    assert not app.exception
    assert "Steps must be at least 1, got 0." in texts(app.error)
    assert "SGD: converged" in texts(app.success)
    assert plots(app) == PLOTS


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
    assert "x0 must be from -5 to 5 and x1 from -5 to 5." in texts(app.error)
    assert "the plots show the last valid run" in texts(app.info)


def test_non_finite_start_from_a_link():
    """x0 = inf in a link: one sentence, and the default start's run is drawn."""
    app = open_lab(gd_x0="inf")
    assert (
        texts(app.warning) == "The link's start x0 (gd_x0='inf') is not a finite number; using -3."
    )
    assert app.number_input(key="gd_x0").value == -3.0
    assert not app.error
    assert "SGD: converged: within tolerance from step 39" in texts(app.success)
    assert plots(app) == PLOTS


def test_start_off_the_plot_from_a_link_gets_the_surface_start():
    """A link's start outside the view box: one sentence naming the box, the surface's start."""
    app = open_lab(gd_surface="rosenbrock", gd_x0=9, gd_x1=1)
    assert texts(app.warning).splitlines()[0] == (
        "The link's start (9, 1) is outside the view box of Rosenbrock valley: "
        "x0 must be from -2 to 2 and x1 from -1 to 3; using (-1.5, 2)."
    )
    assert (app.number_input(key="gd_x0").value, app.number_input(key="gd_x1").value) == (-1.5, 2)
    assert not app.error


def test_a_bad_value_on_the_first_visit_draws_the_default_run():
    """A link with an empty optimizer list: the error says what to do, the default run shows."""
    app = open_lab(gd_mode="optimizers", gd_optimizers="")
    assert "Choose at least one optimizer to compare." in texts(app.error)
    assert "meanwhile the plots show the default run" in texts(app.info)
    assert "SGD: converged: within tolerance from step 39" in texts(app.success)
    assert plots(app) == PLOTS


@pytest.mark.parametrize(
    "h, message",
    [
        (0.0, "h must be a positive step, got 0.0"),
        (1e-300, "h must be from 1e-12 to 1, got 1e-300: a smaller step is lost to rounding"),
        (5.0, "h must be from 1e-12 to 1, got 5: a bigger step measures the slope far"),
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


WIDGETS = {  # setting key -> the kind of widget that shows it
    "gd_surface": "selectbox",
    "gd_x0": "number_input",
    "gd_x1": "number_input",
    "gd_lr": "select_slider",
    "gd_steps": "number_input",
    "gd_mode": "radio",
    "gd_optimizer": "selectbox",
    "gd_optimizers": "multiselect",
    "gd_rates": "text_input",
    "gd_gradient": "radio",
    "gd_h": "number_input",
    "gd_momentum": "number_input",
    "gd_rho": "number_input",
    "gd_beta_1": "number_input",
    "gd_beta_2": "number_input",
    "gd_step": "slider",
}


def widget_value(app: AppTest, key: str):
    return getattr(app, WIDGETS[key])(key=key).value


def test_every_setting_has_its_widget():
    """The table and the page agree: each setting is drawn by a widget with its key."""
    assert set(WIDGETS) == {setting.key for setting in SETTINGS}
    app = open_lab(gd_mode="optimizers")
    assert widget_value(app, "gd_optimizers") == SETTINGS["gd_optimizers"].default
    assert widget_value(app, "gd_lr") == SETTINGS["gd_lr"].default
    app.radio(key="gd_mode").set_value("rates").run()  # the rest of the mode widgets
    for key in set(WIDGETS) - {"gd_optimizers", "gd_mode", "gd_lr"}:
        assert widget_value(app, key) == SETTINGS[key].default


@pytest.mark.parametrize(
    "link, reason",
    [
        ({"gd_surface": "moon"}, "choose one of bowl, elongated, rosenbrock, saddle, wells"),
        ({"gd_x1": "north"}, "is not a number"),
        ({"gd_lr": "1e9"}, "must be from 1e-10 to 10"),
        ({"gd_steps": "2.5"}, "is not a whole number"),
        ({"gd_steps": "20000"}, "must be from 1 to 10000"),
        ({"gd_mode": "all"}, "choose one of one, optimizers, rates"),
        ({"gd_optimizer": "adamw"}, "choose one of sgd, momentum, nesterov, adagrad"),
        ({"gd_mode": "optimizers", "gd_optimizers": "sgd,adamw"}, "'adamw' is not one of sgd"),
        ({"gd_mode": "rates", "gd_rates": "0.1, fast"}, "'fast' is not a number"),
        ({"gd_mode": "rates", "gd_rates": "0.1, 0"}, "'0' must be above 0"),
        ({"gd_mode": "rates", "gd_rates": ",".join(["0.1"] * 9)}, "at most 8 numbers, got 9"),
        ({"gd_gradient": "exact"}, "choose one of analytic, numerical"),
        ({"gd_h": "0"}, "must be from 1e-12 to 1"),
        ({"gd_momentum": "1"}, "must be at least 0 and below 1"),
        ({"gd_beta_2": "-0.5"}, "must be at least 0 and below 1"),
        ({"gd_step": "-1"}, "must be from 0 to 10000"),
    ],
)
def test_a_bad_link_value_of_each_kind_gets_one_sentence_and_the_default(link, reason):
    """Whatever the setting's kind, a value that does not fit is named in one sentence of
    the table's style, its widget shows the default, and the page runs without an error."""
    key = list(link)[-1]
    setting = SETTINGS[key]
    app = open_lab(**link)
    [sentence] = texts(app.warning).splitlines()
    assert sentence.startswith(f"The link's {setting.label} ({key}='")
    assert reason in sentence
    assert sentence.endswith(f"; using {setting.shown(setting.default)}.")
    assert widget_value(app, key) == setting.default
    assert not app.info  # nothing to fix: the page runs the default (1.02 blows up)
    errors = texts(app.error).splitlines()
    assert all(error.startswith("SGD, η=1.02: diverged at step 30") for error in errors), errors
    assert contour(app)["frames"]  # the paths and their loss still draw


@pytest.mark.parametrize("repeats", [1000, 400])
def test_a_link_repeating_an_optimizer_runs_at_most_six(repeats):
    """sgd named 1000 times is too long a value to read (the default six run); 400 times
    fits, and SGD runs once. Either way one sentence says so and no optimizer runs twice."""
    app = open_lab(gd_mode="optimizers", gd_optimizers=",".join(["sgd"] * repeats))
    [sentence] = texts(app.warning).splitlines()
    if repeats == 1000:
        assert "(gd_optimizers='sgd,sgd,sgd" in sentence and "3,999 characters long" in sentence
        assert len(sentence) < 300  # the value is echoed short
        runs = list(app.dataframe[0].value["run"])
        assert runs == ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam"]
    else:
        assert sentence.startswith("The link's optimizers to compare (gd_optimizers=")
        assert sentence.endswith("names one more than once; each is used once: sgd.")
        assert app.multiselect(key="gd_optimizers").value == ["sgd"]
        assert "SGD: converged" in texts(app.success)
        assert "run" not in app.dataframe[0].value  # one run: no comparison table
    app.session_state["gd_code_open"] = True
    app.run()
    assert len(app.code) <= len(OPTIMIZERS)  # the code of each optimizer that ran


def test_a_link_repeating_optimizers_runs_each_once():
    app = open_lab(gd_mode="optimizers", gd_optimizers="adam,sgd,adam,sgd")
    assert texts(app.warning) == (
        "The link's optimizers to compare (gd_optimizers='adam,sgd,adam,sgd') names one more "
        "than once; each is used once: adam, sgd."
    )
    assert list(app.dataframe[0].value["run"]) == ["Adam", "SGD"]


def test_the_code_that_ran_is_each_optimizers_readable_rule():
    """The expander shows the rule in core/optimizers.py of every optimizer that ran, with
    the comment above it, and no other, once it is opened."""
    app = open_lab(gd_mode="optimizers", gd_optimizers="momentum,adam")
    assert not app.code  # closed: nothing drawn
    app.session_state["gd_code_open"] = True  # what a click on the expander does
    app.run()
    shown = [code.value for code in app.code]
    assert len(shown) == 2
    for source, name in zip(shown, ("momentum", "adam")):
        rule = OPTIMIZERS[name].step
        assert source.startswith(f"# {OPTIMIZERS[name].title}: ")
        assert source.endswith(inspect.getsource(rule).rstrip())
        assert f"def {name}(params, gradient, state" in source
    app.radio(key="gd_mode").set_value("one").run()
    [sgd] = [code.value for code in app.code]
    assert (
        sgd
        == "# SGD: step straight down the gradient.\n"
        + inspect.getsource(OPTIMIZERS["sgd"].step).rstrip()
    )


def test_a_url_the_browser_has_not_updated_yet_does_not_undo_a_move():
    """Each rerun carries the browser's URL; after quick moves (arrow keys on the η slider)
    it can still be one the page wrote a run or two ago. That is not a new link: the value
    just set stays, and the link catches up."""
    app = open_lab()
    app.select_slider(key="gd_lr").set_value(0.4).run()
    behind = dict(app.query_params)
    app.select_slider(key="gd_lr").set_value(0.5).run()
    app.query_params.clear()
    app.query_params.update(behind)  # the browser's URL, one run behind
    app.select_slider(key="gd_lr").set_value(0.6).run()
    assert app.select_slider(key="gd_lr").value == 0.6
    assert app.query_params["gd_lr"] == "0.6"
    assert "SGD with η = 0.6: oscillating." in texts(app.markdown)


def test_a_new_link_in_the_same_session_is_opened():
    """A link the page never wrote (another page's, a teacher's) sets the values it names,
    and the surface's own start and η."""
    app = open_lab()
    app.select_slider(key="gd_lr").set_value(0.7).run()
    app.query_params.clear()
    app.query_params.update({"gd_surface": "rosenbrock"})
    app.run()
    assert app.selectbox(key="gd_surface").value == "rosenbrock"
    assert (app.number_input(key="gd_x0").value, app.number_input(key="gd_x1").value) == (-1.5, 2)
    assert app.select_slider(key="gd_lr").value == 0.001


def test_the_paths_open_on_their_last_step_and_step_in_the_browser():
    """Issue 15: 'Step shown' started at 0 and each step was a rerun. The figure now opens
    on the final point, and its slider and ▶ play are animation frames (no rerun)."""
    app = open_lab()
    figure = contour(app)
    [slider] = figure["layout"]["sliders"]
    assert slider["active"] == len(slider["steps"]) - 1 == 100
    assert [frame["name"] for frame in figure["frames"]] == [str(k) for k in range(101)]
    assert all(step["method"] == "animate" for step in slider["steps"])
    [play, pause] = figure["layout"]["updatemenus"][0]["buttons"]
    assert (play["label"], play["method"], play["args"][0]) == ("▶ play", "animate", None)
    marker = figure["data"][figure["frames"][-1]["traces"][0]]
    np.testing.assert_allclose([marker["x"][0], marker["y"][0]], 0.8**100 * np.array([-3, 4]))
    step_10 = figure["frames"][10]["data"][0]
    np.testing.assert_allclose([step_10["x"][0], step_10["y"][0]], 0.8**10 * np.array([-3, 4]))


def test_the_3d_view_the_field_and_error_against_h_are_drawn_on_demand():
    """Issue 15: six figures redrew on every η (the WebGL surface for seconds). The 3-D
    view, the field and the error-vs-h plot are drawn only while their expander is open."""
    app = open_lab()
    assert plots(app) == PLOTS
    app.session_state["gd_views_open"] = True  # what a click on the expander does
    app.run()
    kinds = [json.loads(chart.proto.spec)["data"][0]["type"] for chart in app.get("plotly_chart")]
    assert "surface" in kinds and plots(app) == PLOTS + 2
    app.session_state["gd_h_open"] = True
    app.run()
    assert plots(app) == PLOTS + 3


def test_the_eta_slider_hides_when_each_run_has_its_own():
    """Issue 15: comparing learning rates, the η slider did nothing but was still there."""
    app = open_lab(gd_mode="rates")
    assert not app.get("select_slider")
    assert "Each line runs with its own η" in texts(app.caption)
    app.radio(key="gd_mode").set_value("optimizers").run()
    assert app.select_slider(key="gd_lr").value == 0.1


def test_compared_rates_print_as_typed_and_no_cell_says_none():
    """Issue 15: η printed as 0.0000000001 and 'steps to 1e-6' as a raw None."""
    app = open_lab(gd_mode="rates", gd_rates="1e-10, 0.1")
    table = app.dataframe[0].value
    assert list(table["η"]) == ["1e-10", "0.1"]
    assert list(table["steps to f − min ≤ 1e-6"]) == ["never", "39"]
    assert not table.isna().any().any()
    assert "None" not in table.astype(str).to_numpy()


def test_a_tiny_eta_says_the_point_does_not_visibly_move():
    """Issue 15: at η = 1e-10 the page said 'x ← (1)·x: it slides straight down'."""
    app = open_lab(gd_lr=1e-10)
    assert (
        "**SGD with η = 1e-10: monotone.** x ← (1 − 2e-10)·x per step: each step covers only "
        "2e-10 of the way to the minimum, so the point does not visibly move."
    ) in texts(app.markdown)


def test_the_shared_results_cache_is_bounded_in_bytes():
    """Issue 17: links with many optimizers and 10 000 steps once held ~1 GB each in the
    results cache shared by every session; it is bounded in bytes as well as entries."""
    from pages.gradient_descent import results

    for start in ("-1.5", "-1.4", "-1.3"):
        open_lab(
            gd_mode="optimizers",
            gd_optimizers="sgd,momentum,nesterov,adagrad,rmsprop,adam",
            gd_steps=str(MAX_STEPS),
            gd_x0=start,
        )
    assert results.run.cache_entries() >= 1
    assert results.run.cache_bytes() <= results.RESULTS_CACHE_BYTES
