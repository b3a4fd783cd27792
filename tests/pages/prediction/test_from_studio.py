"""The Training studio in its surroundings: its models reach Prediction, its runs share a queue."""

import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.data import load_dataset
from core.model_check import class_probabilities, load_model_bytes
from tests.conftest import ROOT
from tests.core.engine.helper_tasks import busy_engine
from tests.pages.training.test_page import TINY as QUICK_SOFTMAX  # a softmax run of about a second

APP = str(ROOT / "dashboard" / "app.py")
STUDIO = str(ROOT / "pages" / "training" / "page.py")
PREDICTION = str(ROOT / "pages" / "prediction" / "page.py")


@pytest.mark.slow  # trains a softmax regression
def test_run_that_ends_while_on_the_prediction_page_is_offered_there(real_data_dir):
    """Press Train, go straight to Prediction: when the run ends, its model predicts there."""
    app = AppTest.from_file(APP, default_timeout=120).run()
    app.switch_page(STUDIO).run()
    for key, value in QUICK_SOFTMAX.items():
        app.session_state[key] = value
    app.button(key="train_start").click().run()
    app.query_params["prediction_input"] = "pick"  # opens Prediction on a test image
    app.switch_page(PREDICTION).run()
    app.session_state["train_job"].job.join(120)
    app.run()
    assert not app.exception, [error.value for error in app.exception]

    [model] = app.session_state["session_models"]
    assert model.label == "run 1 · Softmax regression on MNIST"
    assert app.segmented_control(key="prediction_source").value == "session"
    assert any("finished training" in toast.value for toast in app.toast)
    _, (x_test, _), _ = load_dataset("mnist")
    expected = class_probabilities(load_model_bytes(model.model_bytes), x_test[0] / 255.0)
    shown = next(item.value for item in app.metric if item.label == "#1")
    assert shown == str(int(np.argmax(expected)))


@pytest.mark.slow  # trains a softmax regression
def test_a_run_waits_in_the_server_queue_and_shows_its_place(real_data_dir):
    """With every trainer of the server busy, Train queues the run and says its position, why
    it waits and for how long (the runs ahead say they end in a minute)."""
    with busy_engine(eta=60):
        app = AppTest.from_file(APP, default_timeout=120).run()
        app.switch_page(STUDIO).run()
        for key, value in QUICK_SOFTMAX.items():
            app.session_state[key] = value
        app.button(key="train_start").click().run()
        assert not app.exception, [error.value for error in app.exception]
        shown = [element.value for element in (*app.error, *app.info)]
        waiting = [text for text in shown if "server's queue" in text]
        assert len(waiting) == 1, shown
        [waiting] = waiting
        assert waiting.startswith(
            "Run 1 is waiting for a free trainer: position 1 in the server's queue. Every "
            "trainer is busy with another student's run. It should start in about "
        )
        assert 20 <= int(re.search(r"about (\d+) s\.$", waiting).group(1)) <= 60
    app.session_state["train_job"].job.join(120)
    app.run()
    assert app.session_state["session_models"][0].label == "run 1 · Softmax regression on MNIST"


def train_in_the_studio(app: AppTest) -> None:
    """Train one small run on the studio page and wait there until it is collected."""
    app.switch_page(STUDIO).run()
    for key, value in QUICK_SOFTMAX.items():
        app.session_state[key] = value
    app.button(key="train_start").click().run()
    app.session_state["train_job"].job.join(120)
    app.run()
    assert not app.exception, [error.value for error in app.exception]


def captions(app: AppTest) -> str:
    return " ".join(caption.value for caption in app.caption)


@pytest.mark.slow  # trains three softmax regressions
def test_prediction_follows_the_newest_run_trained_elsewhere(real_data_dir):
    """Issue 15: Prediction kept run 1 after a better run 2 finished in the studio. It
    predicts with the newest finished run and says which; one picked by hand stays."""
    app = AppTest.from_file(APP, default_timeout=120).run()
    app.query_params["prediction_input"] = "pick"
    app.switch_page(PREDICTION).run()
    assert app.segmented_control(key="prediction_source").value == "quick"  # no run yet
    train_in_the_studio(app)
    app.switch_page(PREDICTION).run()
    assert app.segmented_control(key="prediction_source").value == "session"
    assert app.selectbox(key="prediction_session_label").value.startswith("run 1 ·")

    train_in_the_studio(app)
    app.switch_page(PREDICTION).run()
    assert not app.exception, [error.value for error in app.exception]
    assert app.selectbox(key="prediction_session_label").value.startswith("run 2 ·")
    assert "the newest finished run" in captions(app)

    app.selectbox(key="prediction_session_label").select_index(0).run()  # run 1, by hand
    train_in_the_studio(app)
    app.switch_page(PREDICTION).run()
    assert app.selectbox(key="prediction_session_label").value.startswith("run 1 ·")
    assert "picked by hand; the newest is run 3 ·" in captions(app)
