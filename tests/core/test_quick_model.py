"""The shared quick model: one background training per process, good enough to read digits."""

import pytest

from core.jobs import DONE
from core.model_check import check_model
from core.quick_model import (
    QuickModelConfig,
    existing_quick_model_job,
    quick_model_job,
    train_quick_model,
    trained_quick_model,
)

pytest.importorskip("keras")


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("train_images", 10, "train_images"),
        ("epochs", 0, "epochs"),
        ("batch_size", 0, "batch_size"),
        ("learning_rate", 0.0, "learning_rate"),
    ],
)
def test_config_is_validated(field, value, message):
    with pytest.raises(ValueError, match=message):
        train_quick_model(QuickModelConfig(**{field: value}))


@pytest.mark.slow
def test_shared_job_trains_a_model_above_97_percent(real_data_dir, monkeypatch):
    """Every caller gets the same job; when done, the model reads MNIST's test set at >= 97 %.

    The accuracy is re-measured here, batch by batch through Keras' evaluate, as a reference.
    """
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(real_data_dir))
    from core.data import load_dataset

    job = quick_model_job()
    assert quick_model_job() is job
    assert existing_quick_model_job() is job
    job.join(timeout=180)
    snapshot = job.snapshot()
    assert snapshot.state == DONE, snapshot.error
    assert snapshot.progress["fraction"] == pytest.approx(1.0)
    quick = trained_quick_model()
    assert quick is snapshot.result
    assert quick.test_accuracy >= 0.97
    assert quick.class_names == tuple(str(digit) for digit in range(10))

    _, (x_test, y_test), _ = load_dataset("mnist")
    assert quick.test_images == len(x_test) == 10_000  # what the page's caption says
    quick.model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    _, keras_accuracy = quick.model.evaluate(x_test / 255.0, y_test, verbose=0)
    assert quick.test_accuracy == pytest.approx(keras_accuracy, abs=1e-4)
    assert check_model(quick.model).gives_probabilities
