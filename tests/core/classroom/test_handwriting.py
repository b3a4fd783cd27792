"""The handwriting test's task, run as the engine runs it but in this process."""

import numpy as np
import pytest

from core.classroom.handwriting import handwriting_task
from core.data import load_dataset
from core.engine.tasks import keras_bytes
from core.metrics import accuracy, confusion_matrix
from core.models import ModelConfig
from core.training import TrainConfig, train

pytestmark = pytest.mark.slow


def test_scores_confusion_and_worst_read_drawings(real_data_dir):
    config = TrainConfig("mnist", ModelConfig("softmax"), "sgd", 0.5, 50, 1, 2000, 0.0, 0, 100)
    model = train(config).model
    _, (x_test, y_test), _ = load_dataset("mnist")
    images, labels = x_test[:40].copy(), y_test[:40].copy()
    labels[:3] = (labels[:3] + 1) % 10  # three drawings whose author "meant" another digit
    result = handwriting_task(images, labels, [("softmax", keras_bytes(model))])
    [scored] = result["models"]
    predictions = np.array(scored["predictions"])
    assert scored["accuracy"] == accuracy(predictions, labels)
    assert scored["confusion"] == confusion_matrix(labels, predictions, 10).tolist()
    worst = result["worst"]
    assert {item["index"] for item in worst} >= {0, 1, 2} - {
        index for index in (0, 1, 2) if predictions[index] == labels[index]
    }
    assert all(item["said"] != item["label"] for item in worst)
    meant = np.array(scored["meant"])
    assert [item["index"] for item in worst] == sorted(
        (item["index"] for item in worst), key=lambda index: meant[index]
    )


def test_no_drawings_is_refused():
    with pytest.raises(ValueError, match="needs drawings"):
        handwriting_task(np.zeros((0, 28, 28), np.uint8), np.zeros(0), [("m", b"")])
