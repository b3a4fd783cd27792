"""The From-scratch page through the real entry point (AppTest)."""

import re
import time

import pytest
from streamlit.testing.v1 import AppTest

from core import jobs
from tests.conftest import ROOT

APP = str(ROOT / "dashboard" / "app.py")
PAGE = str(ROOT / "pages" / "scratch" / "page.py")


def open_scratch(query: dict | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60).run()
    for key, value in (query or {}).items():
        app.query_params[key] = value
    return app.switch_page(PAGE).run()


def on_digits(app: AppTest) -> AppTest:
    """The small bundled data set: trainings finish in a second."""
    return app.selectbox(key="scratch_dataset").set_value("digits").run()


def errors(app: AppTest) -> str:
    return " ".join(error.value for error in app.error)


def captions(app: AppTest) -> str:
    return " ".join(caption.value for caption in app.caption)


def finish_training(app: AppTest, timeout: float = 60) -> AppTest:
    """Start, wait for the background job, then rerun as the polling fragment would."""
    app.button(key="scratch_train_start").click().run()
    assert not app.exception, [error.value for error in app.exception]
    job = app.session_state["scratch_job"]
    job.join(timeout)
    assert job.finished
    return app.run()


def test_forward_pass_lists_every_array_with_its_shape_and_formula(real_data_dir):
    """Tab 1 on one MNIST picture: x 1×784 through W1, a1, z1, W2, a2 to y 1×10, and the maths."""
    app = open_scratch()
    assert not app.exception, [error.value for error in app.exception]
    table = next(frame.value for frame in app.dataframe if "array" in frame.value)
    assert dict(zip(table["array"], table["shape"], strict=True)) == {
        "x": "1 × 784",
        "W1": "784 × 50",
        "b1": "50",
        "a1": "1 × 50",
        "z1": "1 × 50",
        "W2": "50 × 10",
        "b2": "10",
        "a2": "1 × 10",
        "y": "1 × 10",
    }
    formulas = dict(zip(table["array"], table["computed as"], strict=True))
    assert formulas["a1"] == "x · W1 + b1" and formulas["z1"] == "sigmoid(a1)"
    assert formulas["a2"] == "z1 · W2 + b2" and formulas["y"] == "softmax(a2)"
    latex = " ".join(element.value for element in app.latex)
    assert r"a_1 = x W_1 + b_1" in latex and r"\operatorname{softmax}(a_2)" in latex
    assert r"\sigma(a) = \frac{1}{1 + e^{-a}}" in latex  # the hidden activation's formula
    assert "An untrained 784-50-10 net" in captions(app)
    predicted = next(metric for metric in app.metric if metric.label == "Predicted class")
    assert predicted.value in [str(digit) for digit in range(10)]


def test_forward_pass_of_a_missing_picture_says_which_exist():
    app = on_digits(open_scratch())
    app.number_input(key="scratch_example").set_value(360).run()
    assert not app.exception
    assert "picture 360 does not exist: choose 0 to 359" in errors(app)


def test_gradient_check_shows_agreement_and_measured_times(real_data_dir):
    """Both gradients of the same MNIST batch agree per parameter; the times are shown."""
    app = open_scratch()
    app.number_input(key="scratch_check_hidden").set_value(5)
    app.number_input(key="scratch_check_examples").set_value(2).run()
    # before running: what it will cost (784-5-10 has 3 985 parameters)
    assert re.search(r"the loss of these 2 pictures 7,970 times: about \d+\.\d s", captions(app))
    app.button(key="scratch_check_run").click().run()
    assert not app.exception, [error.value for error in app.exception]
    table = next(frame.value for frame in app.dataframe if "parameter" in frame.value)
    assert list(table["parameter"]) == ["W1", "b1", "W2", "b2"]
    assert (table["max |numerical − backprop|"] < 1e-7).all()
    metrics = {metric.label: metric for metric in app.metric}
    assert re.fullmatch(r"\d+\.\d{3} s", metrics["Numerical gradient"].value)
    assert metrics["Backpropagation"].help == "median of 21 runs"
    ratio = metrics["Numerical / backprop"].value
    assert ratio.endswith("×") and float(ratio[:-1].replace(",", "")) > 1
    assert "784-5-10 sigmoid net, first 2 training pictures" in captions(app)


@pytest.mark.parametrize(
    ("hidden", "pictures", "message"),
    [
        (0, 3, "hidden size must be at least 1"),
        (60, 3, "At most 40,000 parameters"),
        (50, 100, "use at most 5 pictures with this net"),
        (3, 0, "pictures in the batch must be 1 to 100"),
    ],
)
def test_gradient_check_too_costly_or_empty_is_refused_before_running(hidden, pictures, message):
    """Said as soon as the numbers are entered, the button is disabled, the last table stays."""
    app = on_digits(open_scratch())
    app.number_input(key="scratch_check_hidden").set_value(3)
    app.button(key="scratch_check_run").click().run()
    app.number_input(key="scratch_check_hidden").set_value(hidden)
    app.number_input(key="scratch_check_examples").set_value(pictures).run()
    assert not app.exception
    assert message in errors(app)
    assert app.button(key="scratch_check_run").disabled
    assert "Last check: 784-3-10" in captions(app)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("scratch_hidden", 0, "hidden size must be at least 1"),
        ("scratch_hidden", 100_000, "hidden size 100000 is too large: at most 1000"),
        ("scratch_learning_rate", 0.0, "learning rate must be a positive number"),
        ("scratch_learning_rate", -1.0, "learning rate must be a positive number"),
        ("scratch_batch", 5000, "larger than the 1437 training examples"),
    ],
)
def test_bad_training_settings_are_refused_with_a_message(key, value, message):
    """Nothing starts; the page says what to change."""
    app = on_digits(open_scratch())
    app.number_input(key=key).set_value(value).run()
    app.button(key="scratch_train_start").click().run()
    assert not app.exception
    assert message in errors(app)
    assert "scratch_job" not in app.session_state


def test_short_training_fills_the_table_and_draws_the_hidden_weights():
    """A finished run shows the tutorial's lines, and its weights in tab 4 and tab 1."""
    app = on_digits(open_scratch())
    app.number_input(key="scratch_iterations").set_value(60).run()
    app = finish_training(app)
    assert not app.exception, [error.value for error in app.exception]
    lines = app.code[0].value.splitlines()
    assert len(lines) == 6  # epochs of 14 iterations: 0, 14, 28, 42, 56, then the end
    assert all(line.startswith("train acc, test acc | ") for line in lines)
    assert any(success.value.startswith("Done: run 1") for success in app.success)
    assert "The net you trained: run 1" in captions(app)
    assert "showing 50 of 50 units" in captions(app)


def test_a_bad_max_jobs_setting_is_named_and_training_still_runs(monkeypatch):
    """DASHBOARD_MAX_JOBS=two: the page names the setting as the studio does, and Start works."""
    monkeypatch.setenv("DASHBOARD_MAX_JOBS", "two")
    monkeypatch.setattr(jobs, "_default_queue", None)  # the queue reads it when it is made
    app = on_digits(open_scratch())
    message = (
        "Server setting: DASHBOARD_MAX_JOBS='two' must be a whole number of at least 1; using 2."
    )
    assert message in [warning.value for warning in app.warning]
    app.number_input(key="scratch_iterations").set_value(30).run()
    app = finish_training(app)
    assert any(success.value.startswith("Done: run 1") for success in app.success)
    assert jobs.default_queue().max_running == 2


def test_stop_button_ends_a_long_run_and_keeps_its_weights():
    """Stop while training: the run ends early, says so, and its net is still drawn."""
    app = on_digits(open_scratch())
    app.number_input(key="scratch_iterations").set_value(50_000).run()
    app.button(key="scratch_train_start").click().run()
    job = app.session_state["scratch_job"]
    deadline = time.monotonic() + 30
    while job.snapshot().progress.get("iteration", 0) < 20 and time.monotonic() < deadline:
        time.sleep(0.05)  # let it take a few steps, so there are weights to keep
    app.button(key="scratch_train_stop").click().run()
    job.join(30)
    app.run()
    assert not app.exception, [error.value for error in app.exception]
    assert job.snapshot().progress["iteration"] < 50_000
    assert any(success.value.startswith("Stopped: run 1") for success in app.success)
    assert "The net you trained: run 1" in captions(app)


@pytest.mark.parametrize(
    ("learning_rate", "weight_scale", "iteration"),
    [(1e100, 0.01, 2), (0.1, 1e200, 0)],  # a step overflows / the first evaluation does
)
def test_overflowing_training_says_it_diverged(learning_rate, weight_scale, iteration):
    """relu with huge steps or huge initial weights: a message, no traceback, no 'failed'."""
    app = on_digits(open_scratch())
    app.selectbox(key="scratch_activation").set_value("relu")
    app.number_input(key="scratch_learning_rate").set_value(learning_rate)
    app.number_input(key="scratch_weight_scale").set_value(weight_scale).run()
    app = finish_training(app)
    assert not app.exception
    assert f"training diverged at iteration {iteration} " in errors(app)
    assert "smaller learning rate" in errors(app)
    assert "failed" not in errors(app)


def test_a_mangled_link_value_is_reported_and_ignored():
    app = open_scratch({"scratch_hidden": "lots"})
    assert not app.exception
    assert any("scratch_hidden='lots' ignored" in warning.value for warning in app.warning)
    assert app.number_input(key="scratch_hidden").value == 50


def test_an_unknown_choice_in_the_link_falls_back_to_the_default():
    app = open_scratch({"scratch_dataset": "cifar", "scratch_activation": "tanh"})
    assert not app.exception
    warnings = " ".join(warning.value for warning in app.warning)
    assert "scratch_dataset='cifar' ignored" in warnings
    assert "scratch_activation='tanh' ignored" in warnings
    assert app.selectbox(key="scratch_dataset").value == "mnist"
    assert app.selectbox(key="scratch_activation").value == "sigmoid"


@pytest.mark.parametrize(
    ("key", "text", "default"),
    [("scratch_learning_rate", "nan", 0.1), ("scratch_weight_scale", "inf", 0.01)],
)
def test_a_link_with_a_non_finite_number_says_so_and_uses_the_default(key, text, default):
    """float('nan') parses, so the page itself must refuse it instead of showing 0."""
    app = open_scratch({key: text})
    assert not app.exception
    warnings = " ".join(warning.value for warning in app.warning)
    assert f"Link value {key}={text} ignored: it must be a finite number" in warnings
    assert app.number_input(key=key).value == default


def test_settings_survive_a_visit_to_another_page():
    """A student sets up a run, looks at the home page, comes back: the settings are as left."""
    app = on_digits(open_scratch())
    app.number_input(key="scratch_hidden").set_value(80).run()
    app.selectbox(key="scratch_check_activation").set_value("relu").run()
    app.switch_page(str(ROOT / "pages" / "home" / "page.py")).run()
    app.switch_page(PAGE).run()
    assert not app.exception
    assert app.selectbox(key="scratch_dataset").value == "digits"
    assert app.number_input(key="scratch_hidden").value == 80
    assert app.selectbox(key="scratch_check_activation").value == "relu"
