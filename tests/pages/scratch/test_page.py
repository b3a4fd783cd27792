"""The From-scratch page through the real entry point (AppTest)."""

import re
import time

import pytest
from streamlit.testing.v1 import AppTest

from core.engine import engine_client
from core.engine.settings import default_workers
from dashboard.text import plain
from pages.scratch.settings import SETTINGS
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


def finish_check(app: AppTest, timeout: float = 120) -> AppTest:
    """Wait for the gradient check on the engine, then rerun as the polling fragment would."""
    job = app.session_state["scratch_check_job"]
    job.join(timeout)
    assert job.finished
    return app.run()


def test_the_gradient_check_defaults_to_the_tutorials_784_50_10():
    """Issue 15: the text says the tutorial checks 784-50-10, the box said 10 units."""
    app = open_scratch()
    assert app.number_input(key="scratch_check_hidden").value == 50
    assert "784-50-10" in " ".join(str(markdown.value) for markdown in app.markdown)


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
    app = finish_check(app)
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
    app = finish_check(app)
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


@pytest.mark.slow  # trains a net
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
    # issue 15: the tutorial's number up front, beside this run's
    shown = {metric.label: metric.value for metric in app.metric}
    assert shown["The tutorial printed"] == "0.9454"
    assert float(shown["Final test accuracy"]) == pytest.approx(
        app.session_state["scratch_job"].snapshot().result.test_accuracy, abs=5e-5
    )
    assert "The net you trained: run 1" in captions(app)
    assert "showing 50 of 50 units" in captions(app)


@pytest.mark.slow  # trains a net
def test_a_bad_workers_setting_is_named_and_training_still_runs(monkeypatch):
    """DASHBOARD_WORKERS=two: the page names the setting as the studio does, and Start works."""
    monkeypatch.setenv("DASHBOARD_WORKERS", "two")
    app = on_digits(open_scratch())
    message = (
        "Server setting: DASHBOARD_WORKERS='two' must be a whole number of at least 1; "
        f"using {default_workers()}."
    )
    assert message in [warning.value for warning in app.warning]
    app.number_input(key="scratch_iterations").set_value(30).run()
    app = finish_training(app)
    assert any(success.value.startswith("Done: run 1") for success in app.success)


@pytest.mark.slow  # trains a net
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


@pytest.mark.slow  # trains a net (until it diverges)
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


# One sentence per bad link value, in the settings schema's words: the value, why, the default.
BAD_LINK_VALUES = [
    ("scratch_hidden", "lots", "The link's hidden units (scratch_hidden='lots') is not a whole number; using 50."),
    ("scratch_hidden", "0", "The link's hidden units (scratch_hidden='0'): must be from 1 to 1000; using 50."),
    ("scratch_example", "2.5", "The link's test picture (scratch_example='2.5') is not a whole number; using 0."),
    ("scratch_check_examples", "101", "The link's pictures in the check's batch (scratch_check_examples='101'): must be from 1 to 100; using 3."),
    ("scratch_iterations", "99999", "The link's iterations (scratch_iterations='99999'): must be from 1 to 50000; using 10000."),
    ("scratch_batch", "-5", "The link's batch size (scratch_batch='-5'): must be at least 1; using 100."),
    ("scratch_dataset", "cifar", "The link's data set (scratch_dataset='cifar'): choose one of mnist, fashion_mnist, digits; using mnist."),
    ("scratch_activation", "tanh", "The link's hidden activation (scratch_activation='tanh'): choose one of sigmoid, relu; using sigmoid."),
    ("scratch_check_activation", "Relu", "The link's hidden activation of the checked net (scratch_check_activation='Relu'): choose one of sigmoid, relu; using sigmoid."),
    ("scratch_learning_rate", "fast", "The link's learning rate (scratch_learning_rate='fast') is not a number; using 0.1."),
    ("scratch_learning_rate", "nan", "The link's learning rate (scratch_learning_rate='nan') is not a finite number; using 0.1."),
    ("scratch_learning_rate", "0", "The link's learning rate (scratch_learning_rate='0'): must be above 0; using 0.1."),
    ("scratch_weight_scale", "inf", "The link's initial weight scale (scratch_weight_scale='inf') is not a finite number; using 0.01."),
    ("scratch_weight_scale", "-0.01", "The link's initial weight scale (scratch_weight_scale='-0.01'): must be above 0; using 0.01."),
]  # fmt: skip


@pytest.mark.parametrize(("key", "text", "sentence"), BAD_LINK_VALUES)
def test_each_bad_link_value_gets_one_sentence_and_the_default(key, text, sentence):
    """Every kind of value the table refuses: not a number, out of range, unknown choice."""
    values, problems = SETTINGS.read_link({key: text})
    assert problems == [sentence]
    assert values == SETTINGS.defaults


def test_a_mangled_link_is_reported_on_the_page_and_the_widgets_get_the_defaults():
    """A link with a bad value of each kind: one warning each, the page works with defaults."""
    link = {
        "scratch_hidden": "lots",
        "scratch_iterations": "99999",
        "scratch_dataset": "cifar",
        "scratch_activation": "tanh",
        "scratch_learning_rate": "nan",
        "scratch_weight_scale": "inf",
    }
    app = open_scratch(link)
    assert not app.exception
    sentences = [sentence for key, text, sentence in BAD_LINK_VALUES if link.get(key) == text]
    shown = [warning.value for warning in app.warning]  # in the table's order
    assert sorted(shown) == sorted(plain(sentence) for sentence in sentences)
    assert app.number_input(key="scratch_hidden").value == 50
    assert app.number_input(key="scratch_iterations").value == 10_000
    assert app.selectbox(key="scratch_dataset").value == "mnist"
    assert app.selectbox(key="scratch_activation").value == "sigmoid"
    assert app.number_input(key="scratch_learning_rate").value == 0.1
    assert app.number_input(key="scratch_weight_scale").value == 0.01
    assert app.query_params == {}  # the link now says what the page shows: the defaults


def test_a_link_opens_its_run_and_the_page_keeps_it_in_the_url():
    """A teacher's link sets the data set, the net and the run; the URL keeps exactly those."""
    link = {
        "scratch_dataset": "digits",
        "scratch_hidden": "80",
        "scratch_activation": "relu",
        "scratch_learning_rate": "0.5",
        "scratch_check_examples": "2",
    }
    app = open_scratch(link)
    assert not app.exception and not app.warning
    assert app.selectbox(key="scratch_dataset").value == "digits"
    assert app.number_input(key="scratch_hidden").value == 80
    assert app.selectbox(key="scratch_activation").value == "relu"
    assert app.number_input(key="scratch_learning_rate").value == 0.5
    assert app.number_input(key="scratch_check_examples").value == 2
    assert dict(app.query_params) == link


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
    # and the link is written back, so the address bar can be shared as it is
    assert dict(app.query_params) == {
        "scratch_dataset": "digits",
        "scratch_hidden": "80",
        "scratch_check_activation": "relu",
    }


@pytest.mark.slow
def test_the_gradient_check_runs_on_the_engine_with_progress_and_stop(real_data_dir):
    """The tutorial's 784-50-10 check takes seconds: the page answers at once, shows how many
    parameters are nudged, and Stop ends it, keeping the last finished check."""
    app = open_scratch()
    app.number_input(key="scratch_check_hidden").set_value(50)
    app.number_input(key="scratch_check_examples").set_value(3).run()
    # under a server the page's warm-up has started the engine by now; AppTest has no
    # server, so start it here: the time below is the click's, not the workers' start
    engine_client()
    started = time.monotonic()
    app.button(key="scratch_check_run").click().run()
    assert time.monotonic() - started < 5  # the page is not held while 79,520 losses run
    job = app.session_state["scratch_check_job"]
    deadline = time.monotonic() + 120
    while job.snapshot().progress.get("nudged", 0) < 100:
        assert time.monotonic() < deadline, "the check never started nudging"
        time.sleep(0.1)
    app.run()
    assert any(
        re.search(r"parameter [\d,]+ of 39,760", bar.proto.text) for bar in app.get("progress")
    )
    assert app.button(key="scratch_check_run").disabled
    app.button(key="scratch_check_stop").click().run()
    job.join(60)
    app.run()
    assert not app.exception, [error.value for error in app.exception]
    assert "The check was stopped after nudging" in " ".join(info.value for info in app.info)
    assert not app.button(key="scratch_check_run").disabled
