"""Prediction predicts in the web server without importing TensorFlow (core.plain_model).

Checked in a fresh process, since other tests here import TensorFlow; the quick model is
a small CNN saved in that process's state folder, as a finished quick-model run leaves it.
"""

import pickle
import subprocess
import sys

import numpy as np
import pytest

from core.engine.tasks import keras_bytes
from core.model_check import check_model, class_probabilities
from core.quick_model import QUICK_CONFIG, saved_path
from core.training import RunResult
from tests.conftest import ROOT

keras = pytest.importorskip("keras")

PICK_AND_PREDICT = """
import sys
from streamlit.testing.v1 import AppTest
app = AppTest.from_file({app!r}, default_timeout=120)
app.query_params["prediction_input"] = "pick"
app.run().switch_page({page!r}).run()
assert not app.exception, [e.value for e in app.exception]
first = next(m for m in app.metric if m.label == "#1")
print("FIRST", first.value, first.proto.delta)
print("MODULES", "tensorflow" in sys.modules, "keras" in sys.modules)
"""


def small_cnn():
    keras.utils.set_random_seed(3)
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((28, 28)),
            layers.Reshape((28, 28, 1)),
            layers.Conv2D(4, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ]
    )


def test_the_page_predicts_with_the_quick_model_and_never_imports_tensorflow(
    tmp_path, real_data_dir, monkeypatch
):
    monkeypatch.setenv("DASHBOARD_STATE_DIR", str(tmp_path))
    model = small_cnn()
    result = RunResult(
        QUICK_CONFIG, "done", "", None, tuple("0123456789"), model.count_params(), 1.0, 1.0,
        1.0, 1.0, None, None, 0.5, None, None, np.zeros(10, dtype=np.int64),
        model_bytes=keras_bytes(model),
    )  # fmt: skip
    saved_path().parent.mkdir(parents=True)
    saved_path().write_bytes(pickle.dumps(result))
    code = PICK_AND_PREDICT.format(
        app=str(ROOT / "dashboard" / "app.py"), page=str(ROOT / "pages" / "prediction" / "page.py")
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in run.stdout.splitlines() if " " in line)
    assert lines["MODULES"] == "False False"
    from core.data import load_dataset

    _, (x_test, _), _ = load_dataset("mnist")  # the page picks test image 0 first
    keras_answer = class_probabilities(check_model(model), x_test[0] / 255.0)
    winner = int(np.argmax(keras_answer))
    assert lines["FIRST"] == f"{winner} {keras_answer[winner]:.1%}"
