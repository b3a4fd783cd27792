"""The models a student can train, built with Keras 3 from one config.

    model = build_model(ModelConfig(family="mlp", hidden_layers=2, width=128))

Every model takes images of shape (28, 28) with pixels scaled to 0..1 (divide
the uint8 images by 255) and outputs 10 class probabilities (softmax).
Keras is imported inside the functions, so `import core.models` is instant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

IMAGE_SHAPE = (28, 28)
NUM_CLASSES = 10
ACTIVATIONS = ("relu", "sigmoid", "tanh")
MAX_HIDDEN_LAYERS = 4
MIN_FILTERS, MAX_FILTERS = 4, 128


@dataclass(frozen=True)
class ModelConfig:
    family: str = "softmax"  # softmax | mlp | cnn | cnn_fast (see FAMILIES)
    hidden_layers: int = 1  # MLP only: how many hidden Dense layers, 1..4
    width: int = 128  # MLP: units in each hidden layer; fast CNN: units of its dense layer
    activation: str = "relu"  # MLP only: relu | sigmoid | tanh
    dropout_rate: float = 0.0  # MLP and CNNs: fraction of units zeroed while training, 0..0.9
    filters: int = 32  # fast CNN only: filters of its first convolution (the second has twice)


FAMILY_TITLES = {
    "softmax": "Softmax regression",
    "mlp": "MLP",
    "cnn": "CNN (tutorial)",
    "cnn_fast": "CNN (fast)",
}


def check_model_config(config: ModelConfig) -> list[str]:
    """Everything wrong with a config, as sentences a student understands (empty when fine)."""
    problems = []
    if config.family not in FAMILIES:
        problems.append(
            f"unknown model family {config.family!r}; choose one of {', '.join(FAMILIES)}"
        )
    if config.family == "mlp":
        if not 1 <= config.hidden_layers <= MAX_HIDDEN_LAYERS:
            problems.append(
                f"an MLP has 1 to {MAX_HIDDEN_LAYERS} hidden layers, got {config.hidden_layers}"
            )
        if config.activation not in ACTIVATIONS:
            problems.append(
                f"unknown activation {config.activation!r}; choose one of {', '.join(ACTIVATIONS)}"
            )
    if config.family in ("mlp", "cnn_fast") and config.width < 1:
        problems.append(f"a dense layer needs at least 1 unit, got {config.width}")
    if config.family == "cnn_fast" and not MIN_FILTERS <= config.filters <= MAX_FILTERS:
        problems.append(
            f"the fast CNN's first convolution has {MIN_FILTERS} to {MAX_FILTERS} filters, "
            f"got {config.filters}"
        )
    if not 0.0 <= config.dropout_rate < 1.0:
        problems.append(
            f"dropout rate is the fraction of units dropped, from 0 to below 1, got {config.dropout_rate}"
        )
    return problems


def _softmax_regression(config: ModelConfig, layers) -> list:
    # 784 inputs -> 10 scores -> softmax: the simplest classifier, one weight template per class
    return [layers.Flatten(), layers.Dense(NUM_CLASSES, activation="softmax")]


def _mlp(config: ModelConfig, layers) -> list:
    stack = [layers.Flatten()]
    for _ in range(config.hidden_layers):
        stack.append(layers.Dense(config.width, activation=config.activation))
        if config.dropout_rate > 0:
            stack.append(layers.Dropout(config.dropout_rate))
    return [*stack, layers.Dense(NUM_CLASSES, activation="softmax")]


def _cnn_tutorial(config: ModelConfig, layers) -> list:
    # TensorFlow's "Deep MNIST for experts": 5x5 convs with 32 and 64 filters, dense 1024
    return [
        layers.Reshape((*IMAGE_SHAPE, 1)),
        layers.Conv2D(32, 5, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 5, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(1024, activation="relu"),
        layers.Dropout(config.dropout_rate),
        layers.Dense(NUM_CLASSES, activation="softmax"),
    ]


def _cnn_fast(config: ModelConfig, layers) -> list:
    # 3x3 convs and a small dense layer: ~20x fewer parameters, trains in seconds per epoch;
    # the second convolution costs filters^2: 16 filters train about 3x faster than 32
    return [
        layers.Reshape((*IMAGE_SHAPE, 1)),
        layers.Conv2D(config.filters, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(2 * config.filters, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(config.width, activation="relu"),
        layers.Dropout(config.dropout_rate),
        layers.Dense(NUM_CLASSES, activation="softmax"),
    ]


FAMILIES: dict[str, Callable[[ModelConfig, Any], list]] = {
    "softmax": _softmax_regression,
    "mlp": _mlp,
    "cnn": _cnn_tutorial,
    "cnn_fast": _cnn_fast,
}


def multiply_adds(config: ModelConfig) -> int:
    """Multiply-adds of one image through the model, worked out without Keras, the way
    core.model_check.multiply_adds counts a built model (a test holds them equal): each
    weight once per output position, one per output number of a layer without weights."""

    def dense(inputs: int, units: int) -> int:
        return inputs * units + units

    def convolution(kernel: int, channels: int, filters: int, side: int) -> int:
        return (kernel * kernel * channels * filters + filters) * side * side

    pixels = IMAGE_SHAPE[0] * IMAGE_SHAPE[1]
    if config.family == "softmax":
        return pixels + dense(pixels, NUM_CLASSES)
    if config.family == "mlp":
        total, inputs = pixels, pixels
        for _ in range(config.hidden_layers):
            total += dense(inputs, config.width) + (config.width if config.dropout_rate > 0 else 0)
            inputs = config.width
        return total + dense(inputs, NUM_CLASSES)
    if config.family == "cnn_fast":  # 28 -conv3-> 26 -pool-> 13 -conv3-> 11 -pool-> 5
        first, second = config.filters, 2 * config.filters
        flat = 5 * 5 * second
        return (
            pixels + convolution(3, 1, first, 26) + 13 * 13 * first
            + convolution(3, first, second, 11) + 2 * flat
            + dense(flat, config.width) + config.width + dense(config.width, NUM_CLASSES)
        )  # fmt: skip
    if config.family == "cnn":  # 'same' 5x5 convolutions: 28 -pool-> 14 -pool-> 7
        flat = 7 * 7 * 64
        return (
            pixels + convolution(5, 1, 32, 28) + 14 * 14 * 32
            + convolution(5, 32, 64, 14) + 2 * flat
            + dense(flat, 1024) + 1024 + dense(1024, NUM_CLASSES)
        )  # fmt: skip
    raise ValueError(f"unknown model family {config.family!r}")


def build_model(config: ModelConfig, name: str | None = None):
    """A fresh, uncompiled keras.Sequential for `config`."""
    problems = check_model_config(config)
    if problems:
        raise ValueError("; ".join(problems))
    import keras
    from keras import layers

    stack = FAMILIES[config.family](config, layers)
    return keras.Sequential([keras.Input(shape=IMAGE_SHAPE), *stack], name=name or config.family)


def describe_model(config: ModelConfig) -> str:
    """One line for the ledger, e.g. 'MLP 2x128 relu, dropout 0.2'."""
    title = FAMILY_TITLES.get(config.family, config.family)
    if config.family == "mlp":
        title += f" {config.hidden_layers}x{config.width} {config.activation}"
    if config.family == "cnn_fast" and (config.filters, config.width) != (32, 128):
        title += f" {config.filters} filters, dense {config.width}"
    if config.family != "softmax" and config.dropout_rate > 0:
        title += f", dropout {config.dropout_rate:g}"
    return title


# --- optimizers: name -> function(learning_rate) -> keras optimizer ---------------------


def _sgd(learning_rate):
    import keras

    return keras.optimizers.SGD(learning_rate=learning_rate)


def _momentum(learning_rate):
    import keras

    return keras.optimizers.SGD(learning_rate=learning_rate, momentum=0.9)


def _rmsprop(learning_rate):
    import keras

    return keras.optimizers.RMSprop(learning_rate=learning_rate)


def _adam(learning_rate):
    import keras

    return keras.optimizers.Adam(learning_rate=learning_rate)


OPTIMIZERS: dict[str, Callable[[float], Any]] = {
    "sgd": _sgd,
    "momentum": _momentum,
    "rmsprop": _rmsprop,
    "adam": _adam,
}
OPTIMIZER_TITLES = {
    "sgd": "SGD (gradient descent)",
    "momentum": "SGD + momentum 0.9",
    "rmsprop": "RMSprop",
    "adam": "Adam",
}


# --- learning-rate schedules: how the step size changes over the run --------------------

SCHEDULES = {
    "constant": "Constant",
    "cosine": "Cosine decay to 0",  # big steps first, small ones to settle: fewer epochs
}


def learning_rate_schedule(name: str, learning_rate: float, total_steps: int):
    """The optimizer's learning_rate argument: a number, or a Keras schedule over the steps."""
    if name not in SCHEDULES:
        raise ValueError(f"unknown schedule {name!r}; choose one of {', '.join(SCHEDULES)}")
    if name == "constant":
        return learning_rate
    import keras

    return keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=max(1, total_steps))


def make_optimizer(name: str, learning_rate: float, schedule: str = "constant", steps: int = 1):
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}")
    if not learning_rate > 0:
        raise ValueError(f"learning rate must be greater than 0, got {learning_rate}")
    return OPTIMIZERS[name](learning_rate_schedule(schedule, learning_rate, steps))


def compile_model(
    model, optimizer: str, learning_rate: float, schedule: str = "constant", steps: int = 1
):
    """Cross-entropy on integer labels, accuracy as the metric, like every tutorial here.

    `steps` is the run's number of gradient steps, over which a schedule runs."""
    model.compile(
        optimizer=make_optimizer(optimizer, learning_rate, schedule, steps),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


# --- looking inside ---------------------------------------------------------------------


def first_layer_pictures(model, limit: int = 32) -> tuple[str, np.ndarray]:
    """The first trainable layer's weights as pictures: (kind, array of shape (n, h, w)).

    Dense after Flatten: one 28x28 picture per unit (for softmax regression, the
    10 class templates). Conv2D: one k x k picture per filter (first input channel).
    """
    for layer in model.layers:
        kind = type(layer).__name__
        if kind == "Dense":
            kernel = np.asarray(layer.get_weights()[0])  # (784, units)
            units = kernel.shape[1]
            return "dense", kernel.T[:limit].reshape(min(units, limit), *IMAGE_SHAPE)
        if kind == "Conv2D":
            kernel = np.asarray(layer.get_weights()[0])  # (k, k, channels_in, filters)
            return "conv", np.transpose(kernel[:, :, 0, :limit], (2, 0, 1))
    raise ValueError("this model has no Dense or Conv2D layer to picture")
