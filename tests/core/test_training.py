"""Training core: settings checks, numpy evaluation against references, short real runs."""

import math
import re

import numpy as np
import pytest

from core.ledger import COLUMNS, ledger_csv, ledger_row
from core.metrics import accuracy
from core.models import ModelConfig
from core.presets import PRESETS, preset_for
from core.training import (
    DIVERGED,
    DONE,
    STOPPED,
    QuietContext,
    TrainConfig,
    check_config,
    steps_per_epoch,
    train,
)

SOFTMAX_SMALL = TrainConfig(
    "mnist", ModelConfig("softmax"), "sgd", 0.5, 50, 2, 3_000, 0.1, seed=1, test_size=2_000
)


# --- settings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"learning_rate": 0.0}, "learning rate must be greater than 0"),
        ({"learning_rate": -1e-3}, "learning rate must be greater than 0"),
        ({"epochs": 0}, "epochs must be at least 1"),
        ({"subset_size": 0}, "at least 1 image"),
        ({"batch_size": 2_000}, "between 1 and 1024"),
        ({"batch_size": 512, "subset_size": 300}, "larger than the 270 training images"),
        ({"validation_split": 0.9}, "between 0 and 0.5"),
        ({"optimizer": "lbfgs"}, "unknown optimizer"),
        ({"dataset": "cifar10"}, "unknown data set"),
    ],
)
def test_bad_settings_are_explained(changes, message):
    config = TrainConfig(**{**vars(SOFTMAX_SMALL), **changes})
    problems = check_config(config, available=60_000)
    assert any(message in problem for problem in problems), problems


def test_subset_larger_than_the_data_set_is_refused():
    config = TrainConfig(dataset="digits", subset_size=5_000)
    assert any("has only 1437" in problem for problem in check_config(config, available=1437))


def test_good_settings_pass_and_count_steps():
    assert check_config(SOFTMAX_SMALL, available=60_000) == []
    assert steps_per_epoch(SOFTMAX_SMALL) == math.ceil(2_700 / 50)


def test_every_preset_is_a_valid_run():
    for key, preset in PRESETS.items():
        assert check_config(preset.config, available=60_000) == [], key
    assert preset_for("tutorial_cnn").tutorial_accuracy == pytest.approx(0.992)
    with pytest.raises(ValueError, match="unknown preset"):
        preset_for("nope")


def test_mnist_softmax_tutorial_is_1000_steps_of_50():
    assert steps_per_epoch(preset_for("tutorial_mnist_softmax").config) == 1000


# --- real training on a small subset -------------------------------------------------------


def test_softmax_regression_learns_mnist(real_data_dir):
    """2 epochs of 2 700 real digits: softmax regression passes 85 % on 2 000 test digits."""
    context = QuietContext()
    result = train(SOFTMAX_SMALL, context)
    assert result.status == DONE
    assert result.test_accuracy >= 0.85
    assert result.test_probabilities.shape == (2_000, 10)
    assert result.test_accuracy == pytest.approx(
        accuracy(result.test_probabilities, result.test_labels)
    )
    assert context.series["epoch"] == [1, 2]
    assert context.series["epoch_loss"][1] < context.series["epoch_loss"][0]
    assert len(context.series["batch_loss"]) == len(context.series["batch_epoch"]) > 20
    assert context.progress["fraction"] == pytest.approx(1.0)
    assert context.progress["samples_per_second"] > 0


def test_same_seed_gives_the_same_curves(real_data_dir):
    config = TrainConfig(**{**vars(SOFTMAX_SMALL), "epochs": 1, "subset_size": 1_000})
    first, second = QuietContext(), QuietContext()
    train(config, first)
    train(config, second)
    np.testing.assert_allclose(first.series["batch_loss"], second.series["batch_loss"], rtol=1e-6)


class StopAfter(QuietContext):
    """Asks to stop once `batches` batches have been reported."""

    def __init__(self, batches):
        super().__init__()
        self.batches = batches

    @property
    def stop_requested(self):
        return self.progress.get("batch", 0) >= self.batches

    @stop_requested.setter
    def stop_requested(self, value):
        pass


def test_stop_ends_at_the_next_batch_and_keeps_the_model(real_data_dir):
    result = train(SOFTMAX_SMALL, StopAfter(5))
    assert result.status == STOPPED
    stopped_after = int(re.match(r"stopped after (\d+) of", result.message).group(1))
    assert 5 <= stopped_after <= 8  # the flag is read before each batch; reports trail a little
    assert result.epochs_completed == pytest.approx(stopped_after / steps_per_epoch(SOFTMAX_SMALL))
    assert result.test_accuracy > 0.5  # 5 steps of lr 0.5 already teach it something


def test_a_diverging_loss_stops_the_run_with_advice(real_data_dir):
    config = TrainConfig(
        "mnist", ModelConfig("mlp", 2, 64, "relu"), "sgd", 1e4, 32, 1, 1_000, 0.0, test_size=100
    )
    result = train(config)
    assert result.status == DIVERGED
    assert result.message.startswith("diverged at epoch 1, batch ")
    assert result.message.endswith("try a smaller learning rate")
    assert result.test_accuracy is None


def test_bad_settings_raise_before_training():
    with pytest.raises(ValueError, match="epochs must be at least 1"):
        train(TrainConfig(dataset="digits", epochs=0, subset_size=500))


# --- ledger ------------------------------------------------------------------------------


def test_ledger_row_and_csv(real_data_dir):
    result = train(TrainConfig(**{**vars(SOFTMAX_SMALL), "epochs": 1, "subset_size": 500}))
    rows = [
        ledger_row(1, result.config, result),
        ledger_row(2, SOFTMAX_SMALL, error="DatasetError: no data"),
    ]
    assert rows[0]["parameters"] == 7850 and rows[0]["status"] == DONE
    assert rows[0]["test acc"] == pytest.approx(result.test_accuracy, abs=1e-4)
    lines = ledger_csv(rows).splitlines()
    assert lines[0].split(",") == list(COLUMNS)
    assert lines[1].startswith(
        "1,MNIST,Softmax regression,7850,SGD (gradient descent),0.5,constant,50,1,1,"
    )
    assert lines[2].endswith(",,,,failed: DatasetError: no data")
