"""A .keras file's forward pass in NumPy, so the web server predicts without TensorFlow.

    from core.plain_model import read_plain_model
    model = read_plain_model(open("my_model.keras", "rb").read())
    scores = model(images.reshape(-1, *model.input_shape))     # (N, 10), as Keras gives

A .keras file is a zip of config.json (the layers and their settings) and
model.weights.h5 (their weights, under layers/<snake_case class name>[_k], numbered in
the order the model lists its layers). The layers below are the ones the studio's models
and the usual tutorials use; a model with any other, or whose layers do not form one
chain, is refused with a sentence. Uploads are also run through Keras on a worker and
compared with this forward pass before a page uses them (core.engine.tasks).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.information import softmax


class UnsupportedModel(ValueError):
    """The file is a model, but not one this forward pass can run; the message says why."""


def _relu(x):
    return np.maximum(x, 0)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _elu(x):
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))


def _selu(x):
    return 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * np.expm1(np.minimum(x, 0)))


ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "linear": lambda x: x,
    "relu": _relu,
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
    "softmax": lambda x: softmax(x, axis=-1),
    "elu": _elu,
    "selu": _selu,
    "softplus": lambda x: np.logaddexp(x, 0),
    "swish": lambda x: x * _sigmoid(x),
    "silu": lambda x: x * _sigmoid(x),
}


def _activation(name) -> Callable[[np.ndarray], np.ndarray]:
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise UnsupportedModel(
            f"its activation {str(name)[:40]!r} is not one this page runs "
            f"({', '.join(ACTIVATIONS)})"
        )
    return ACTIVATIONS[name]


def _pairs(value, what: str) -> tuple[int, int]:
    values = tuple(value) if isinstance(value, (list, tuple)) else (value, value)
    if len(values) != 2 or not all(isinstance(v, int) and v > 0 for v in values):
        raise UnsupportedModel(f"its {what} {str(value)[:40]} is not two positive whole numbers")
    return values


def _padding(config: dict) -> str:
    padding = config.get("padding", "valid")
    if padding not in ("valid", "same"):
        raise UnsupportedModel(f"its padding {str(padding)[:20]!r} is neither 'valid' nor 'same'")
    return padding


def _padded(x: np.ndarray, window: tuple[int, int], strides, padding: str, fill=0.0):
    """Pad (N, H, W, C) the way Keras' 'same' does: the extra row or column goes last."""
    if padding == "valid":
        return x
    widths = [(0, 0)]
    for size, kernel, stride in zip(x.shape[1:3], window, strides, strict=True):
        out = -(-size // stride)
        total = max((out - 1) * stride + kernel - size, 0)
        widths.append((total // 2, total - total // 2))
    return np.pad(x, [*widths, (0, 0)], constant_values=fill)


def _windows(x: np.ndarray, window, strides) -> np.ndarray:
    """(N, H', W', C, kh, kw): every window the kernel slides over."""
    view = np.lib.stride_tricks.sliding_window_view(x, window, axis=(1, 2))
    return view[:, :: strides[0], :: strides[1]]


def _channels_last(config: dict) -> None:
    if config.get("data_format", "channels_last") != "channels_last":
        raise UnsupportedModel("it stores images channels first; this page runs channels last")


def _dense(config, weights):
    kernel, *bias = weights
    act = _activation(config.get("activation", "linear"))
    return lambda x: act(x @ kernel + (bias[0] if bias else 0))


def _conv2d(config, weights):
    _channels_last(config)
    if _pairs(config.get("dilation_rate", 1), "dilation") != (1, 1) or config.get("groups", 1) != 1:
        raise UnsupportedModel("it has a dilated or grouped convolution")
    kernel, *bias = weights
    window, strides = kernel.shape[:2], _pairs(config.get("strides", 1), "strides")
    padding, act = _padding(config), _activation(config.get("activation", "linear"))

    def convolve(x):
        patches = _windows(_padded(x, window, strides, padding), window, strides)
        # patches (N, H', W', C, kh, kw) against the kernel (kh, kw, C, F): one BLAS product
        product = np.tensordot(patches, kernel, axes=([3, 4, 5], [2, 0, 1]))
        return act(product + (bias[0] if bias else 0))

    return convolve


def _pooling(reduce):
    def build(config, weights):
        _channels_last(config)
        window = _pairs(config.get("pool_size", 2), "pool size")
        strides = _pairs(config.get("strides") or window, "strides")
        padding = _padding(config)
        fill = -np.inf if reduce is np.max else 0.0
        if reduce is np.mean and padding == "same":
            raise UnsupportedModel("it averages over padded windows")
        return lambda x: reduce(
            _windows(_padded(x, window, strides, padding, fill), window, strides), axis=(-2, -1)
        )

    return build


def _global(reduce):
    def build(config, weights):
        _channels_last(config)
        keep = bool(config.get("keepdims", False))
        return lambda x: reduce(x, axis=(1, 2), keepdims=keep)

    return build


def _batch_normalization(config, weights):
    axis = config.get("axis", -1)
    if axis not in (-1, [-1]) and not (isinstance(axis, int) and axis > 0):
        raise UnsupportedModel(f"it normalises over axis {str(axis)[:20]}")
    names = [config.get("scale", True) and "gamma", config.get("center", True) and "beta"]
    values = dict(zip([n for n in names if n] + ["mean", "variance"], weights, strict=True))
    scale = values.get("gamma", 1) / np.sqrt(values["variance"] + config.get("epsilon", 1e-3))
    shift = values.get("beta", 0) - values["mean"] * scale
    if axis not in (-1, [-1]):
        return lambda x: _along(x, axis, scale, shift)
    return lambda x: x * scale + shift


def _along(x, axis, scale, shift):
    shape = [1] * x.ndim
    shape[axis] = -1
    return x * scale.reshape(shape) + shift.reshape(shape)


def _reshape(config, weights):
    target = tuple(config["target_shape"])
    return lambda x: x.reshape((len(x), *target))


def _rescaling(config, weights):
    scale, offset = config.get("scale", 1.0), config.get("offset", 0.0)
    if not all(isinstance(v, (int, float)) for v in (scale, offset)):
        raise UnsupportedModel("it rescales by a list of numbers")
    return lambda x: x * scale + offset


def _relu_layer(config, weights):
    if (
        config.get("max_value") is not None
        or config.get("threshold", 0)
        or config.get("negative_slope", 0)
    ):
        raise UnsupportedModel("its ReLU layer is capped, shifted or leaky")
    return _relu


def _softmax_layer(config, weights):
    if config.get("axis", -1) != -1:
        raise UnsupportedModel("its softmax is not over the last axis")
    return ACTIVATIONS["softmax"]


def _identity(config, weights):
    return lambda x: x


LAYERS: dict[str, Callable[[dict, list], Callable[[np.ndarray], np.ndarray]]] = {
    "Dense": _dense,
    "Conv2D": _conv2d,
    "MaxPooling2D": _pooling(np.max),
    "AveragePooling2D": _pooling(np.mean),
    "GlobalMaxPooling2D": _global(np.max),
    "GlobalAveragePooling2D": _global(np.mean),
    "BatchNormalization": _batch_normalization,
    "Flatten": lambda config, weights: lambda x: x.reshape(len(x), -1),
    "Reshape": _reshape,
    "Rescaling": _rescaling,
    "Activation": lambda config, weights: _activation(config.get("activation")),
    "ReLU": _relu_layer,
    "Softmax": _softmax_layer,
    "Dropout": _identity,  # only active in training
    "SpatialDropout2D": _identity,
    "GaussianNoise": _identity,
}


@dataclass(frozen=True)
class PlainModel:
    """A chain of NumPy layers; called on a float batch, it gives what Keras' model would."""

    steps: tuple[Callable[[np.ndarray], np.ndarray], ...]
    input_shape: tuple[int, ...]  # per image, from the model's Input
    parameters: int

    def __call__(self, batch: np.ndarray, training: bool = False) -> np.ndarray:
        """training is accepted so it can stand where a Keras model is called; it has none."""
        x = np.asarray(batch, dtype=np.float32)
        for step in self.steps:
            x = step(x)
        return np.asarray(x, dtype=np.float64)


def snake_case(name: str) -> str:
    """Keras' name for a layer's group in the weights file: Conv2D -> conv2d."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def read_plain_model(data: bytes) -> PlainModel:
    """The model in a .keras file's bytes (checked by core.model_check.check_archive first).

    Raises UnsupportedModel for a model this forward pass cannot run, ValueError (or
    KeyError, OSError from the weights file) for a damaged one.
    """
    import h5py  # Keras' own weights format; h5py does not import TensorFlow

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        config = json.loads(archive.read("config.json"))
        weights_file = archive.read("model.weights.h5")
    layers = _chain(config)
    input_shape = _input_shape(layers[0]) if layers[0]["class_name"] == "InputLayer" else None
    if input_shape is None:
        raise UnsupportedModel("it has no Input layer saying what shape of image it takes")
    steps, parameters, seen = [], 0, {}
    with h5py.File(io.BytesIO(weights_file), "r") as stored:
        for layer in layers[1:]:
            kind = layer["class_name"]
            if kind not in LAYERS:
                raise UnsupportedModel(
                    f"it has a {kind[:40]} layer; this page runs {', '.join(LAYERS)}"
                )
            group = snake_case(kind)
            seen[group] = seen.get(group, -1) + 1
            path = f"layers/{group}{'_' + str(seen[group]) if seen[group] else ''}/vars"
            variables = stored.get(path, {})
            weights = [
                np.asarray(variables[str(k)], dtype=np.float32) for k in range(len(variables))
            ]
            parameters += sum(w.size for w in weights)
            steps.append(LAYERS[kind](layer.get("config", {}), weights))
    return PlainModel(tuple(steps), input_shape, parameters)


def _chain(config: dict) -> list[dict]:
    """The model's layers in order, when each takes the previous one's output."""
    kind = config.get("class_name")
    layers = config.get("config", {}).get("layers")
    if kind not in ("Sequential", "Functional") or not isinstance(layers, list) or not layers:
        raise UnsupportedModel(f"it is a {str(kind)[:40]}, not a Sequential or Functional model")
    if kind == "Functional":
        outputs = config["config"].get("output_layers") or [None]
        if isinstance(outputs[0], list):  # several outputs are a list of [name, node, index]
            outputs = outputs[0] if len(outputs) == 1 else [None]
        if outputs[0] != layers[-1]["config"]["name"]:
            raise UnsupportedModel("its output is not its last layer")
        for previous, layer in zip(layers, layers[1:]):
            if _inputs_of(layer) != [previous["config"]["name"]]:
                raise UnsupportedModel("its layers do not form one chain")
    return layers


def _inputs_of(layer: dict) -> list[str]:
    names = []
    for node in layer.get("inbound_nodes") or []:
        for argument in node.get("args", []):
            history = (
                argument.get("config", {}).get("keras_history")
                if isinstance(argument, dict)
                else None
            )
            if history:
                names.append(history[0])
    return names


def _input_shape(layer: dict) -> tuple[int, ...] | None:
    config = layer.get("config", {})
    shape = config.get("batch_shape") or config.get("batch_input_shape")
    return tuple(shape[1:]) if shape else None
