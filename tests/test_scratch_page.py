"""The From-scratch page through the real entry point (AppTest)."""

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
PAGE = str(ROOT / "pages" / "scratch.py")


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


def finish_training(app: AppTest, timeout: float = 60) -> AppTest:
    """Start, wait for the background job, then rerun as the polling fragment would."""
    app.button(key="scratch_train_start").click().run()
    assert not app.exception, [error.value for error in app.exception]
    job = app.session_state["scratch_job"]
    job.join(timeout)
    assert job.finished
    return app.run()


def test_gradient_check_shows_agreement_and_measured_times(real_data_dir):
    """Both gradients of the same MNIST batch agree per parameter; the times are shown."""
    app = open_scratch()
    app.number_input(key="scratch_check_hidden").set_value(5)
    app.number_input(key="scratch_check_examples").set_value(2)
    app.button(key="scratch_check_run").click().run()
    assert not app.exception, [error.value for error in app.exception]
    table = next(frame.value for frame in app.dataframe if "parameter" in frame.value)
    assert list(table["parameter"]) == ["W1", "b1", "W2", "b2"]
    assert (table["max |numerical − backprop|"] < 1e-7).all()
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Numerical gradient"].endswith(" s")
    assert metrics["Numerical / backprop"].endswith("×")
    assert "784-5-10 sigmoid net, first 2 training pictures" in " ".join(
        caption.value for caption in app.caption
    )


@pytest.mark.parametrize(
    ("hidden", "message"),
    [(0, "hidden size must be at least 1"), (60, "At most 40,000 parameters")],
)
def test_gradient_check_bad_size_keeps_the_last_result(hidden, message):
    """A refused check says why, and the previous table stays on the page."""
    app = on_digits(open_scratch())
    app.number_input(key="scratch_check_hidden").set_value(3)
    app.button(key="scratch_check_run").click().run()
    app.number_input(key="scratch_check_hidden").set_value(hidden)
    app.button(key="scratch_check_run").click().run()
    assert not app.exception
    assert message in errors(app)
    assert "784-3-10" in " ".join(caption.value for caption in app.caption)


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
    captions = " ".join(caption.value for caption in app.caption)
    assert "The net you trained: run 1" in captions
    assert "showing 50 of 50 units" in captions


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
    assert "The net you trained: run 1" in " ".join(caption.value for caption in app.caption)


def test_overflowing_training_says_it_diverged():
    """relu with learning rate 1e100 overflows: a message, the curves so far, no traceback."""
    app = on_digits(open_scratch())
    app.selectbox(key="scratch_activation").set_value("relu")
    app.number_input(key="scratch_learning_rate").set_value(1e100).run()
    app = finish_training(app)
    assert not app.exception
    assert "training diverged at iteration 2" in errors(app)
    assert "smaller learning rate" in errors(app)


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
