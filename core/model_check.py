"""Load an uploaded .keras file safely, check it can read MNIST, and ask it about one image.

    from core.model_check import load_model_bytes, class_probabilities
    checked = load_model_bytes(open("my_model.keras", "rb").read())
    p = class_probabilities(checked.model, image_28x28)     # 10 probabilities summing to 1

A model here must take one 28x28 image (as (28, 28), (28, 28, 1) or a flat 784)
and give 10 numbers. Softmax outputs are used as they are; raw scores (logits)
are turned into probabilities with a softmax, and the check says which it is.
TensorFlow is imported only inside the functions that need it: the web server uses
`plain_checked_model`, the same checks on the model run in NumPy (core.plain_model), and a
worker compares the two on every upload (`check_same_answers`).

An upload is refused before Keras reads it when its archive would inflate past a bound
(each member, all of them, and config.json, which only describes layers), and before it
answers anything when its parameters or the multiply-adds of one 28x28 image are past a
bound: a tiny file can describe a network that takes gigabytes and minutes per image.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.information import softmax
from core.metrics import accuracy, predicted_classes

MAX_MODEL_BYTES = 20_000_000  # same as the upload limit in .streamlit/config.toml
MAX_MEMBERS = 64  # a .keras archive holds config.json, metadata.json, the weights, assets
MAX_MEMBER_BYTES = 40_000_000  # one member, inflated (Keras itself only refuses 4 GiB)
MAX_ARCHIVE_BYTES = 60_000_000  # every member together, inflated
MAX_CONFIG_BYTES = 1_000_000  # config.json lists layers: a few kilobytes in practice
MAX_PARAMETERS = 5_000_000  # the tutorial CNN, the largest model here, has 3.3 million
MAX_MULTIPLY_ADDS = 100_000_000  # per 28x28 image; the tutorial CNN needs about 14 million
NUM_CLASSES = 10
INPUT_SHAPES = ((28, 28), (28, 28, 1), (784,))  # per-image shapes a model may expect
ZIP_MAGIC = b"PK\x03\x04"  # a .keras file is a zip archive
PROBE_IMAGES = np.stack([np.zeros((28, 28)), np.full((28, 28), 0.5)])  # black and grey
AGREEMENT = 1e-4  # NumPy against Keras: float32 sums in another order differ by ~1e-6
ANSI_CODE = re.compile(r"\x1b\[[0-9;]*m")  # Keras puts bold text in its error messages


class ModelCheckError(ValueError):
    """A model file or object the page cannot use; the message says why and what to do."""


@dataclass(frozen=True)
class CheckedModel:
    model: Any  # keras.Model that passed the checks
    input_shape: tuple[int, ...]  # per-image shape it expects, one of INPUT_SHAPES
    gives_probabilities: bool  # False: it outputs logits and a softmax is applied here
    parameters: int  # trainable and frozen weights together


def check_archive(data: bytes, max_bytes: int = MAX_MODEL_BYTES) -> None:
    """Refuse a file that is no .keras archive or that would inflate past the bounds,
    reading only the archive's listing (nothing is decompressed)."""
    if len(data) == 0:
        raise ModelCheckError("the model file is empty")
    if len(data) > max_bytes:
        raise ModelCheckError(
            f"the model file is {len(data) / 1e6:.1f} MB; up to {max_bytes / 1e6:.0f} MB is accepted"
        )
    if not data.startswith(ZIP_MAGIC):
        raise ModelCheckError(
            "this is not a Keras model: a .keras file (from model.save('name.keras')) is a zip "
            "archive, and this file is not one"
        )
    try:  # Keras reports a cut-short zip as "File not found", naming its temporary file
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise ModelCheckError(f"the model file is damaged or cut short ({error})") from None
    if len(members) > MAX_MEMBERS:
        raise ModelCheckError(
            f"the model file holds {len(members):,} files; a Keras model has a handful"
        )
    for member in members:
        limit = MAX_CONFIG_BYTES if member.filename == "config.json" else MAX_MEMBER_BYTES
        if member.file_size > limit:
            raise ModelCheckError(
                f"{member.filename[:60]} in the model file would inflate to "
                f"{member.file_size / 1e6:,.1f} MB; at most {limit / 1e6:.0f} MB is accepted"
            )
    total = sum(member.file_size for member in members)
    if total > MAX_ARCHIVE_BYTES:
        raise ModelCheckError(
            f"the model file would inflate to {total / 1e6:,.1f} MB; at most "
            f"{MAX_ARCHIVE_BYTES / 1e6:.0f} MB is accepted"
        )


def load_model_bytes(data: bytes, max_bytes: int = MAX_MODEL_BYTES) -> CheckedModel:
    """Load a .keras file with Keras' safe mode (no arbitrary code), then check its cost and shapes.

    Keras builds the layers the file describes, so a file from outside is loaded on a
    training-engine worker first (core.engine.tasks.upload_check_task), where a model that
    asks for more memory than a worker has ends that worker, not the web server.
    """
    check_archive(data, max_bytes)
    import keras

    # Keras reads a path, so the bytes go to a private temporary file, deleted right after.
    handle, path = tempfile.mkstemp(suffix=".keras")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        model = keras.saving.load_model(path, safe_mode=True, compile=False)
    except (zipfile.BadZipFile, EOFError) as error:
        raise ModelCheckError(f"the model file is damaged or cut short ({error})") from None
    except Exception as error:  # Keras raises ValueError, TypeError, KeyError... for bad files
        raise ModelCheckError(
            f"Keras could not load this file as a model ({error_summary(error)})"
        ) from None
    finally:
        os.unlink(path)
    check_cost(model)
    return check_model(model)


def multiply_adds(model: Any) -> int:
    """Multiply-adds of one forward pass, from the layers' weights and outputs.

    Each weight is used once per output position it slides over: a Dense kernel once,
    a convolution kernel at every pixel of its output. Layers without weights count one
    operation per output number. An upper bound for the layers Keras' safe mode loads.
    """
    total = 0
    for layer in model.layers:
        output = getattr(layer, "output", None)
        shape = tuple(output.shape[1:]) if output is not None else ()
        size = int(np.prod([dimension or 1 for dimension in shape])) if shape else 1
        weights = int(layer.count_params())
        positions = int(np.prod([d or 1 for d in shape[:-1]])) if len(shape) > 1 else 1
        total += weights * positions if weights else size
    return total


def check_cost(model: Any) -> None:
    """Refuse a model too big to answer a class quickly, before it answers anything."""
    parameters = int(model.count_params())
    if parameters > MAX_PARAMETERS:
        raise ModelCheckError(
            f"the model has {parameters:,} weights; up to {MAX_PARAMETERS:,} are accepted "
            "(the tutorial CNN has 3,274,634)"
        )
    cost = multiply_adds(model)
    if cost > MAX_MULTIPLY_ADDS:
        raise ModelCheckError(
            f"one image through this model takes about {cost:,} multiply-adds; up to "
            f"{MAX_MULTIPLY_ADDS:,} are accepted (the tutorial CNN needs about 14 million)"
        )


def check_model(model: Any) -> CheckedModel:
    """A model qualifies when it has one input of a 28x28 image and one output of 10 classes."""
    inputs = getattr(model, "inputs", None)
    outputs = getattr(model, "outputs", None)
    if not inputs or not outputs:
        raise ModelCheckError(
            "the model has no defined input and output; build it with keras.Input(shape=(28, 28))"
        )
    if len(inputs) != 1 or len(outputs) != 1:
        raise ModelCheckError(
            f"the model has {len(inputs)} inputs and {len(outputs)} outputs; one of each is needed"
        )
    input_shape = tuple(inputs[0].shape[1:])
    _check_input_shape(input_shape)
    output_shape = tuple(outputs[0].shape[1:])
    if output_shape != (NUM_CLASSES,):
        raise ModelCheckError(
            f"the model outputs shape {output_shape}; 10 class scores, shape (10,), are needed"
        )
    input_type = str(getattr(inputs[0], "dtype", "float32"))
    if "float" not in input_type:
        raise ModelCheckError(
            f"the model expects {input_type} inputs, but this page gives brightness as floats "
            "from 0 to 1; build it with keras.Input(shape=(28, 28)), which takes float32"
        )
    return _probed(model, input_shape, int(model.count_params()))


def _check_input_shape(input_shape: tuple) -> None:
    if input_shape not in INPUT_SHAPES:
        accepted = ", ".join(str(shape) for shape in INPUT_SHAPES)
        raise ModelCheckError(
            f"the model expects images of shape {input_shape}, but this page gives 28 x 28 "
            f"images; accepted input shapes are {accepted}"
        )


def _probed(model: Any, input_shape: tuple[int, ...], parameters: int) -> CheckedModel:
    """Ask the model about two plain images: one finite row of 10 scores each, or refused."""
    try:
        answer = model(_batch(PROBE_IMAGES, input_shape), training=False)
        several = isinstance(answer, (dict, list, tuple))
        probe = None if several else np.array(answer, dtype=np.float64)
    except Exception as error:  # a model can load and still fail on data: a bad layer, ...
        raise ModelCheckError(
            f"the model fails when asked about a test image ({error_summary(error)})"
        ) from None
    if probe is None:
        raise ModelCheckError(
            f"the model answers with a {type(answer).__name__} of outputs; one tensor of "
            "10 class scores per image is needed"
        )
    if probe.shape != (len(PROBE_IMAGES), NUM_CLASSES):
        raise ModelCheckError(
            f"the model gave outputs of shape {probe.shape[1:]} for one image, though it "
            "declares (10,); 10 class scores per image are needed"
        )
    if not np.all(np.isfinite(probe)):
        raise ModelCheckError("the model outputs NaN or infinity on a plain image")
    return CheckedModel(model, input_shape, looks_like_probabilities(probe), parameters)


def plain_checked_model(data: bytes, max_bytes: int = MAX_MODEL_BYTES) -> CheckedModel:
    """The model of a .keras file run by core.plain_model (NumPy, no TensorFlow), checked as
    load_model_bytes checks a Keras model. For the web server, on files a worker passed."""
    from core.plain_model import UnsupportedModel, read_plain_model

    check_archive(data, max_bytes)
    try:
        plain = read_plain_model(data)
    except UnsupportedModel as error:
        raise ModelCheckError(f"this page cannot run it: {error}") from None
    except Exception as error:  # a zip without config.json, a weights file cut short...
        raise ModelCheckError(f"the model file is damaged ({error_summary(error)})") from None
    _check_input_shape(plain.input_shape)
    return _probed(plain, plain.input_shape, plain.parameters)


def agreement_images() -> np.ndarray:
    """Plain, noisy and digit-like (N, 28, 28) images for comparing two forward passes."""
    noise = np.random.default_rng(0).random((6, 28, 28))
    stroke = np.zeros((28, 28))
    stroke[4:24, 12:16] = 1.0  # a "1"
    return np.concatenate([PROBE_IMAGES, noise, stroke[None]]).astype(np.float32)


def check_same_answers(keras_model: CheckedModel, plain: CheckedModel, images=None) -> None:
    """Refuse a model whose NumPy forward pass (what the web server runs) differs from
    Keras' on these (N, 28, 28) images (default: agreement_images()): no silently wrong
    probabilities."""
    images = agreement_images() if images is None else images
    expected = class_probabilities(keras_model, images)
    got = class_probabilities(plain, images)
    gap = float(np.max(np.abs(expected - got)))
    if not gap <= AGREEMENT:
        raise ModelCheckError(
            f"this page's own forward pass gives other probabilities than Keras for this "
            f"model (by up to {gap:.2g}); it uses a layer setting this page does not run"
        )


def error_summary(error: Exception) -> str:
    """One line such as "TypeError: what went wrong", without Keras' colours and preamble."""
    lines = [line.strip() for line in ANSI_CODE.sub("", str(error)).splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].startswith("Exception encountered when calling"):
        lines = lines[1:]  # Keras' wrapper line; the cause is on the next one
    return f"{type(error).__name__}: {lines[0][:300]}" if lines else type(error).__name__


def looks_like_probabilities(outputs: np.ndarray, tolerance: float = 1e-3) -> bool:
    """Rows of non-negative numbers summing to 1, as a softmax layer gives."""
    outputs = np.asarray(outputs, dtype=np.float64)
    return bool(np.all(outputs >= 0) and np.allclose(outputs.sum(axis=-1), 1.0, atol=tolerance))


def _batch(images: np.ndarray, input_shape: tuple[int, ...]) -> np.ndarray:
    return np.asarray(images, dtype=np.float32).reshape((len(images), *input_shape))


def _raw_outputs(model: Any, input_shape: tuple[int, ...], images: np.ndarray) -> np.ndarray:
    return np.array(model(_batch(images, input_shape), training=False), dtype=np.float64)


def class_probabilities(checked: CheckedModel, images: np.ndarray) -> np.ndarray:
    """(10,) probabilities for one (28, 28) image, or (N, 10) for (N, 28, 28) images."""
    images = np.asarray(images, dtype=np.float32)
    single = images.ndim == 2
    batch = images[None] if single else images
    if batch.ndim != 3 or batch.shape[1:] != (28, 28):
        raise ValueError(f"expected a (28, 28) image or (N, 28, 28) images, got {images.shape}")
    outputs = _raw_outputs(checked.model, checked.input_shape, batch)
    probabilities = outputs if checked.gives_probabilities else softmax(outputs, axis=-1)
    probabilities = probabilities / probabilities.sum(axis=-1, keepdims=True)  # float32 drift
    return probabilities[0] if single else probabilities


def scaled(images: np.ndarray) -> np.ndarray:
    """uint8 pixels 0..255 -> float32 0..1, as every model here was trained."""
    return images.astype(np.float32) / np.float32(255.0)


def model_accuracy(
    checked: CheckedModel, images: np.ndarray, labels: np.ndarray, batch: int = 2000
) -> float:
    """Share of uint8 (N, 28, 28) images whose most probable class is their label."""
    images, labels = np.asarray(images), np.asarray(labels)
    if len(images) != len(labels) or len(images) == 0:
        raise ValueError(
            f"need as many labels as images, at least one: {len(images)} and {len(labels)}"
        )
    predicted = np.concatenate(
        [
            predicted_classes(class_probabilities(checked, scaled(images[start : start + batch])))
            for start in range(0, len(images), batch)  # in batches: memory stays flat
        ]
    )
    return accuracy(predicted, labels)


# --- what one prediction says -----------------------------------------------------------


def top_classes(p: np.ndarray, k: int = 3) -> list[tuple[int, float]]:
    """The k most probable classes as (index, probability), most probable first."""
    p = np.asarray(p, dtype=np.float64)
    order = np.argsort(-p, kind="stable")[:k]
    return [(int(index), float(p[index])) for index in order]
