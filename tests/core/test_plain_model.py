"""The NumPy forward pass gives what Keras gives, for every studio model and the usual layers."""

import numpy as np
import pytest

from core.models import FAMILIES, ModelConfig, build_model
from core.plain_model import UnsupportedModel, read_plain_model, snake_case

keras = pytest.importorskip("keras")
layers = keras.layers


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(1).random((4, 28, 28)).astype(np.float32)


def saved(model, tmp_path) -> bytes:
    path = tmp_path / "model.keras"
    model.save(path)
    return path.read_bytes()


def same_as_keras(model, images, tmp_path, atol=1e-5):
    plain = read_plain_model(saved(model, tmp_path))
    batch = images.reshape((len(images), *plain.input_shape))
    expected = np.asarray(model(batch, training=False), dtype=np.float64)
    got = plain(batch)
    assert got.shape == expected.shape
    assert np.allclose(got, expected, atol=atol), np.abs(got - expected).max()
    assert plain.parameters == model.count_params()
    return plain


def with_busy_weights(model):
    """Random weights everywhere (a fresh model has zero biases and unit BN statistics)."""
    rng = np.random.default_rng(2)
    for weight in model.weights:
        values = rng.normal(0, 0.2, weight.shape)
        if "variance" in weight.path:
            values = np.abs(values) + 0.5
        weight.assign(values.astype(np.float32))
    return model


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_studio_model_runs_the_same_in_numpy(family, images, tmp_path):
    keras.utils.set_random_seed(0)
    config = ModelConfig(family=family, hidden_layers=2, width=16, filters=4)
    same_as_keras(with_busy_weights(build_model(config)), images, tmp_path)


LAYER_ZOO = {
    "strided same convolution, batch norm, average pooling": [
        layers.Reshape((28, 28, 1)),
        layers.Conv2D(3, 4, strides=2, padding="same", activation="tanh"),
        layers.BatchNormalization(),
        layers.AveragePooling2D(2),
        layers.Conv2D(5, (3, 2), padding="same"),
        layers.Activation("sigmoid"),
        layers.MaxPooling2D(3, strides=2, padding="same"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(10),
    ],
    "rescaling, global max, softmax layer": [
        layers.Rescaling(2.0, offset=-1.0),
        layers.Reshape((28, 28, 1)),
        layers.Conv2D(4, 3, activation="elu"),
        layers.ReLU(),
        layers.GlobalMaxPooling2D(),
        layers.Dense(10, activation="selu"),
        layers.Softmax(),
    ],
    "flat input, dropout, swish, softplus": [
        layers.Dense(12, activation="swish"),
        layers.Dropout(0.5),
        layers.BatchNormalization(center=False),
        layers.Dense(10, activation="softplus"),
    ],
}


@pytest.mark.parametrize("name", sorted(LAYER_ZOO))
def test_tutorial_layers_run_the_same_in_numpy(name, images, tmp_path):
    keras.utils.set_random_seed(0)
    stack = LAYER_ZOO[name]
    shape = (784,) if name.startswith("flat") else (28, 28)
    model = keras.Sequential(
        [keras.Input(shape), *[layer.from_config(layer.get_config()) for layer in stack]]
    )
    same_as_keras(with_busy_weights(model), images, tmp_path)


def test_a_functional_chain_runs_and_two_layers_of_a_kind_keep_their_own_weights(images, tmp_path):
    inputs = keras.Input((28, 28, 1))
    x = layers.Flatten()(inputs)
    x = layers.Dense(7, activation="relu", name="first")(x)
    x = layers.Dense(7, name="zzz")(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    same_as_keras(with_busy_weights(keras.Model(inputs, outputs)), images, tmp_path)


def test_a_branching_model_is_refused(tmp_path):
    inputs = keras.Input((28, 28))
    flat = layers.Flatten()(inputs)
    outputs = layers.Dense(10)(layers.Add()([layers.Dense(784)(flat), flat]))
    with pytest.raises(UnsupportedModel, match="one chain"):
        read_plain_model(saved(keras.Model(inputs, outputs), tmp_path))


@pytest.mark.parametrize(
    ("stack", "message"),
    [
        ([layers.Flatten(), layers.Dense(10, activation="gelu")], "activation 'gelu'"),
        ([layers.Conv1D(2, 3), layers.Flatten(), layers.Dense(10)], "Conv1D layer"),
        ([layers.Reshape((28, 28, 1)), layers.Conv2D(2, 3, dilation_rate=2)], "dilated"),
    ],
)
def test_layers_it_cannot_run_are_refused_with_their_name(stack, message, tmp_path):
    model = keras.Sequential([keras.Input((28, 28)), *stack])
    with pytest.raises(UnsupportedModel, match=message):
        read_plain_model(saved(model, tmp_path))


def test_snake_case_matches_keras_names_for_weights():
    assert [snake_case(n) for n in ("Dense", "Conv2D", "MaxPooling2D", "BatchNormalization")] == [
        "dense",
        "conv2d",
        "max_pooling2d",
        "batch_normalization",
    ]


def test_the_worker_refuses_a_numpy_pass_that_answers_otherwise_than_keras(images, tmp_path):
    """check_same_answers: the web server's NumPy pass must give Keras' probabilities."""
    from dataclasses import replace

    from core.model_check import (
        ModelCheckError,
        check_model,
        check_same_answers,
        plain_checked_model,
    )

    model = with_busy_weights(build_model(ModelConfig(family="cnn_fast", filters=4, width=16)))
    in_keras = check_model(model)
    in_numpy = plain_checked_model(saved(model, tmp_path))
    check_same_answers(in_keras, in_numpy, images)  # the same model: no complaint
    shifted = lambda batch, training=False: np.roll(in_numpy.model(batch), 1, axis=-1)  # noqa: E731
    off = replace(in_numpy, model=shifted)  # classes one place off
    with pytest.raises(ModelCheckError, match="other probabilities than Keras"):
        check_same_answers(in_keras, off, images)
