"""The shared quick model: the quick_model preset, trained by one background job per process."""

import pytest

from core import quick_model
from core.engine import DONE
from core.model_check import load_model_bytes
from core.models import describe_model
from core.presets import PRESETS, QUICK_MODEL
from core.quick_model import (
    QUICK_CONFIG,
    existing_quick_model_job,
    forget_quick_model,
    quick_model_job,
    trained_quick_model,
)
from core.training import check_config

pytest.importorskip("keras")


def test_the_quick_model_is_a_preset_of_the_normal_training_path():
    assert QUICK_CONFIG is PRESETS[QUICK_MODEL].config
    assert check_config(QUICK_CONFIG) == []
    assert describe_model(QUICK_CONFIG.model).startswith("CNN")


@pytest.mark.slow
def test_shared_job_trains_a_model_above_97_percent(real_data_dir, monkeypatch):
    """Every caller gets the same run; when done, the model reads MNIST's test set at >= 97 %.

    The accuracy is re-measured here, batch by batch through Keras' evaluate, as a reference.
    """
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(real_data_dir))
    from core.data import load_dataset

    job = quick_model_job()
    assert quick_model_job() is job
    assert existing_quick_model_job() is job
    job.join(timeout=300)
    snapshot = job.snapshot()
    assert snapshot.state == DONE, snapshot.error
    assert snapshot.progress["fraction"] == pytest.approx(1.0)
    quick = trained_quick_model()
    assert quick is snapshot.result
    assert quick.test_accuracy >= 0.97
    assert quick.class_names == tuple(str(digit) for digit in range(10))

    _, (x_test, y_test), _ = load_dataset("mnist")
    assert len(quick.test_labels) == len(x_test) == 10_000  # what the page's caption says
    checked = load_model_bytes(quick.model_bytes)  # it came back from a worker as a file
    checked.model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    _, keras_accuracy = checked.model.evaluate(x_test / 255.0, y_test, verbose=0)
    assert quick.test_accuracy == pytest.approx(keras_accuracy, abs=1e-4)
    assert checked.gives_probabilities

    # another server process, or the next start: the model comes from the state folder,
    # without a run on the trainers
    quick_model._saved, quick_model._job = None, None
    kept = trained_quick_model()
    assert existing_quick_model_job() is None
    assert kept.test_accuracy == quick.test_accuracy and kept.model_bytes == quick.model_bytes
    forget_quick_model()
    assert trained_quick_model() is None and not quick_model.saved_path().exists()


def test_a_damaged_saved_model_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_STATE_DIR", str(tmp_path))
    monkeypatch.setattr(quick_model, "_saved", None)
    quick_model.saved_path().parent.mkdir(parents=True)
    quick_model.saved_path().write_bytes(b"not a pickle")
    assert trained_quick_model() is None
