"""The engine's task functions, called directly as a notebook would: no cluster."""

import threading
from dataclasses import replace

import pytest

from core.codegen import script_for
from core.data import load_dataset
from core.engine.context import LocalChannel
from core.engine.tasks import (
    gradient_check_task,
    scratch_training_task,
    training_task,
    upload_check_task,
)
from core.model_check import load_model_bytes, model_accuracy
from core.models import ModelConfig
from core.scratch import MAX_CHECK_PARAMETERS, MAX_CHECK_PICTURE_PASSES
from core.scratch import TrainConfig as ScratchConfig
from core.training import STOPPED, TrainConfig

SMALL_MLP = TrainConfig(
    "mnist", ModelConfig("mlp", 1, 32), "adam", 1e-3, 64, 1, 2_000, 0.1, seed=2, test_size=500
)


@pytest.mark.slow
def test_a_training_comes_back_with_its_model_as_bytes_and_what_the_pages_show(real_data_dir):
    channel = LocalChannel()
    result = training_task(SMALL_MLP, channel=channel)
    assert result.model is None  # crossed a process: bytes only
    checked = load_model_bytes(result.model_bytes)
    _, (x_test, y_test), _ = load_dataset("mnist")
    assert model_accuracy(checked, x_test[:500], y_test[:500]) == pytest.approx(
        result.test_accuracy, abs=1e-9
    )
    kind, pictures = result.weight_pictures
    assert kind == "dense" and pictures.shape == (32, 28, 28)
    script = script_for(SMALL_MLP, layers=result.layer_code)
    assert "layers.Dense(32, activation='relu')" in script
    assert channel.published["progress"]["fraction"] == pytest.approx(1.0)
    assert len(channel.published["series"]["batch_loss"]) > 0


@pytest.mark.slow
def test_stop_ends_a_training_within_a_batch_and_keeps_the_model(real_data_dir):
    channel = LocalChannel()
    long_run = replace(SMALL_MLP, epochs=20, subset_size=20_000)
    seen = {}

    def stop_when_training():
        while "batch" not in (channel.published or {}).get("progress", {}):
            threading.Event().wait(0.01)
        seen["batch"] = channel.published["progress"]["batch"]
        channel.stop.set()

    threading.Thread(target=stop_when_training, daemon=True).start()
    result = training_task(long_run, channel=channel)
    assert result.status == STOPPED
    assert result.epochs_completed < 1
    assert result.test_accuracy is not None and result.model_bytes


def test_scratch_training_on_digits_learns_and_reports_each_epoch():
    channel = LocalChannel()
    config = ScratchConfig(hidden_size=20, learning_rate=0.5, batch_size=50, iterations=120)
    result = scratch_training_task(config, "digits", channel=channel)
    assert result.iterations == 120
    assert result.test_accuracy > 0.5
    assert len(channel.published["series"]["epochs"]) >= 2
    assert channel.published["progress"]["iteration"] == 120


def test_a_diverging_scratch_training_is_a_message_not_a_crash():
    channel = LocalChannel()
    config = ScratchConfig(activation="relu", learning_rate=1e100, iterations=50)
    assert scratch_training_task(config, "digits", channel=channel) is None
    assert "diverged" in channel.published["progress"]["diverged"]


LIMITS = {"max_parameters": MAX_CHECK_PARAMETERS, "max_picture_passes": MAX_CHECK_PICTURE_PASSES}


def test_gradient_check_agrees_and_reports_the_parameters_nudged():
    channel = LocalChannel()
    check = gradient_check_task("digits", 3, 2, "sigmoid", LIMITS, channel=channel)
    assert max(row.max_abs_difference for row in check.differences) < 1e-7
    assert channel.published["progress"]["nudged"] == check.parameter_count


def test_a_stopped_gradient_check_says_how_far_it_got():
    channel = LocalChannel()
    channel.stop.set()  # seen by the watcher at once, before many parameters are done
    check = gradient_check_task("digits", 40, 5, "sigmoid", LIMITS, channel=channel)
    assert check is None
    assert "stopped after nudging" in channel.published["progress"]["stopped_early"]


def test_a_check_over_the_caps_is_refused_before_any_work():
    with pytest.raises(ValueError):
        gradient_check_task("digits", 5_000, 100, "sigmoid", LIMITS, channel=LocalChannel())


def test_tasks_never_receive_data_in_their_arguments():
    """Only settings cross to a worker: the data set is named, and loaded there."""
    import inspect

    for task in (training_task, scratch_training_task, gradient_check_task):
        for name in inspect.signature(task).parameters:
            assert name not in ("x_train", "y_train", "images", "data"), (task, name)


@pytest.mark.slow
def test_an_upload_is_scored_on_a_bounded_sample_in_small_batches(real_data_dir):
    """A good upload: its weights, cost and accuracy on the first 1 000 test images."""
    model_bytes = training_task(SMALL_MLP, channel=LocalChannel()).model_bytes
    channel = LocalChannel()
    check = upload_check_task(
        model_bytes, ("mnist", "fashion_mnist"), sample=1_000, channel=channel
    )
    assert check.parameters == 25_450 and check.input_shape == (28, 28)
    assert 0.5 < check.accuracies["mnist"] <= 1  # one short epoch on digits
    assert check.accuracies["fashion_mnist"] < 0.5  # digits are no clothes
    assert channel.published["progress"]["scored"] == 2_000
    checked = load_model_bytes(model_bytes)
    _, (x_test, y_test), _ = load_dataset("mnist")
    expected = model_accuracy(checked, x_test[:1000], y_test[:1000])
    assert check.accuracies["mnist"] == pytest.approx(expected)


@pytest.mark.slow
def test_a_stopped_upload_check_gives_no_accuracy_from_part_of_the_sample(real_data_dir):
    model_bytes = training_task(SMALL_MLP, channel=LocalChannel()).model_bytes
    channel = LocalChannel()
    channel.stop.set()
    check = upload_check_task(model_bytes, ("mnist",), sample=10_000, channel=channel)
    assert check.accuracies == {"mnist": None}


def test_a_costly_upload_is_refused_on_the_worker(tmp_path):
    import keras

    from core.model_check import ModelCheckError

    model = keras.Sequential(
        [keras.Input(shape=(28, 28, 1))]
        + [keras.layers.Conv2D(256, 3, padding="same") for _ in range(4)]
        + [keras.layers.Flatten(), keras.layers.Dense(10)]
    )
    path = tmp_path / "costly.keras"
    model.save(path)
    with pytest.raises(ModelCheckError, match="multiply-adds"):
        upload_check_task(path.read_bytes(), ("digits",), channel=LocalChannel())


@pytest.mark.parametrize(
    ("layer", "message"),
    [
        ("gelu", "this page cannot run it: its activation 'gelu'"),
        ("leaky", "this page cannot run it: its ReLU layer is capped, shifted or leaky"),
    ],
)
def test_an_upload_the_web_server_cannot_run_in_numpy_is_refused_on_the_worker(
    tmp_path, layer, message
):
    """Keras loads and runs it, but the web server predicts in NumPy: refused with why."""
    import keras

    from core.model_check import ModelCheckError

    last = (
        [keras.layers.Dense(10, activation="gelu")]
        if layer == "gelu"
        else [keras.layers.Dense(10), keras.layers.ReLU(negative_slope=0.1)]
    )
    model = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(), *last])
    path = tmp_path / "model.keras"
    model.save(path)
    with pytest.raises(ModelCheckError, match=message):
        upload_check_task(path.read_bytes(), ("digits",), channel=LocalChannel())
