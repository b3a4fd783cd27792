"""Uploaded .keras files: safe loading, shape checks, and what one prediction says."""

import io
import re
import zipfile

import numpy as np
import pytest
from scipy.special import softmax as scipy_softmax

from core.model_check import (
    MAX_PARAMETERS,
    ModelCheckError,
    check_archive,
    check_cost,
    check_model,
    class_probabilities,
    load_model_bytes,
    looks_like_probabilities,
    model_accuracy,
    multiply_adds,
    top_classes,
)

keras = pytest.importorskip("keras")


def small_model(input_shape=(28, 28), outputs=10, activation="softmax"):
    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [
            keras.Input(shape=input_shape),
            keras.layers.Flatten(),
            keras.layers.Dense(outputs, activation=activation),
        ]
    )


def keras_bytes(model, tmp_path):
    path = tmp_path / "model.keras"
    model.save(path)
    return path.read_bytes()


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(0).random((3, 28, 28)).astype(np.float32)


def test_softmax_model_loads_and_predicts_like_keras(tmp_path, images):
    """The loaded copy gives the same probabilities as the original model."""
    model = small_model()
    checked = load_model_bytes(keras_bytes(model, tmp_path))
    assert checked.input_shape == (28, 28)
    assert checked.gives_probabilities
    assert checked.parameters == 784 * 10 + 10
    expected = np.asarray(model(images))
    assert np.allclose(class_probabilities(checked, images), expected, atol=1e-6)
    assert class_probabilities(checked, images[0]).shape == (10,)


def test_logits_model_gets_a_softmax(images):
    """A model ending without softmax outputs scores; the page turns them into probabilities."""
    model = small_model(activation=None)
    checked = check_model(model)
    assert not checked.gives_probabilities
    expected = scipy_softmax(np.asarray(model(images), dtype=np.float64), axis=1)
    assert np.allclose(class_probabilities(checked, images), expected, atol=1e-6)


@pytest.mark.parametrize("input_shape", [(28, 28, 1), (784,)])
def test_other_28x28_layouts_are_accepted(input_shape, images):
    model = small_model(input_shape)
    checked = check_model(model)
    assert checked.input_shape == input_shape
    direct = np.asarray(model(images.reshape((3, *input_shape))))
    assert np.allclose(class_probabilities(checked, images), direct, atol=1e-6)


def test_wrong_input_shape_is_refused_with_the_shape(tmp_path):
    data = keras_bytes(small_model((32, 32, 3)), tmp_path)
    with pytest.raises(ModelCheckError, match=r"\(32, 32, 3\)"):
        load_model_bytes(data)


def test_wrong_number_of_outputs_is_refused():
    with pytest.raises(ModelCheckError, match=r"\(5,\)"):
        check_model(small_model(outputs=5))


def test_a_non_model_object_is_refused():
    with pytest.raises(ModelCheckError, match="no defined input"):
        check_model(object())


def test_non_zip_file_is_refused():
    with pytest.raises(ModelCheckError, match="not a Keras model"):
        load_model_bytes(b"\x89PNG\r\n\x1a\n a picture renamed model.keras")


def test_zip_that_is_not_a_keras_model_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "homework")
    with pytest.raises(ModelCheckError, match="could not load"):
        load_model_bytes(buffer.getvalue())


def test_truncated_model_file_is_refused(tmp_path):
    data = keras_bytes(small_model(), tmp_path)
    with pytest.raises(ModelCheckError, match="damaged or cut short"):
        load_model_bytes(data[: len(data) // 2])


def test_empty_and_oversized_files_are_refused(tmp_path):
    with pytest.raises(ModelCheckError, match="empty"):
        load_model_bytes(b"")
    with pytest.raises(ModelCheckError, match="MB"):
        load_model_bytes(keras_bytes(small_model(), tmp_path), max_bytes=100)


def test_lambda_layer_is_refused_by_safe_mode(tmp_path):
    """A Lambda layer stores Python bytecode; safe mode will not run code from a file."""
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Lambda(lambda x: x * 2.0),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    with pytest.raises(ModelCheckError, match="could not load"):
        load_model_bytes(keras_bytes(model, tmp_path))


def dict_output_model():
    inputs = keras.Input(shape=(28, 28))
    scores = keras.layers.Dense(10, activation="softmax")(keras.layers.Flatten()(inputs))
    return keras.Model(inputs, {"digit": scores})


def test_model_with_dict_outputs_is_refused_after_loading(tmp_path):
    """It loads, has one (10,) output, and answers with a dict: refused when asked, not later."""
    with pytest.raises(ModelCheckError, match="answers with a dict of outputs"):
        load_model_bytes(keras_bytes(dict_output_model(), tmp_path))


class Broken(keras.layers.Layer):
    """A layer that builds but fails when called, like a bug in a student's own layer."""

    def call(self, x):
        raise RuntimeError("this layer divides by the wrong axis")

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 10)


def test_model_that_fails_when_called_is_refused_with_the_reason():
    inputs = keras.Input(shape=(28, 28))
    model = keras.Model(inputs, Broken()(inputs))
    with pytest.raises(
        ModelCheckError,
        match=r"fails when asked about a test image \(RuntimeError: this layer divides",
    ) as raised:
        check_model(model)
    assert "\x1b" not in str(raised.value)  # Keras' terminal colours are removed


def test_model_with_integer_input_is_refused():
    """An int32 input would floor every brightness in [0, 1) to 0: a silent wrong answer."""
    inputs = keras.Input(shape=(28, 28), dtype="int32")
    flat = keras.layers.Flatten()(keras.ops.cast(inputs, "float32"))
    model = keras.Model(inputs, keras.layers.Dense(10)(flat))
    with pytest.raises(ModelCheckError, match="expects int32 inputs"):
        check_model(model)


def test_looks_like_probabilities():
    assert looks_like_probabilities(np.array([[0.2, 0.8], [0.5, 0.5]]))
    assert not looks_like_probabilities(np.array([[2.0, -1.0]]))
    assert not looks_like_probabilities(np.array([[0.2, 0.2]]))


def test_top_classes_are_sorted_most_probable_first():
    p = np.array([0.1, 0.05, 0.5, 0.05, 0.3])
    assert top_classes(p, 3) == [(2, 0.5), (4, 0.3), (0, 0.1)]


def test_accuracy_counts_argmax_hits():
    """A model whose answer is the brightness of pixel (0, 0): the accuracy is known exactly."""
    weights = np.zeros((784, 10), dtype=np.float32)
    weights[0] = np.arange(10) * 10.0  # logit k grows with k times that pixel
    model = keras.Sequential(
        [keras.Input(shape=(28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)]
    )
    model.layers[-1].set_weights([weights, -(np.arange(10) ** 2) * 0.4])
    checked = check_model(model)
    images = np.zeros((4, 28, 28), dtype=np.uint8)
    images[:, 0, 0] = [0, 255, 0, 255]  # dark: class 0 wins; bright: a high class wins
    predicted = class_probabilities(checked, images / 255.0).argmax(axis=1)
    assert predicted[0] == 0 and predicted[1] > 0
    labels = np.array([0, predicted[1], 5, 0])  # right, right, wrong, wrong
    assert model_accuracy(checked, images, labels, batch=3) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="as many labels"):
        model_accuracy(checked, images, labels[:2])


# --- hostile archives and costly models: refused before they cost the server -------------


def archive(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as file:
        for name, content in members.items():
            file.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            {"config.json": b" " * 2_000_000},
            "config.json in the model file would inflate to 2.0 MB",
        ),
        ({"model.weights.h5": bytes(50_000_000)}, "would inflate to 50.0 MB"),
        ({f"assets/{i}": b"x" for i in range(100)}, "holds 100 files"),
        (
            {f"w{i}.h5": bytes(30_000_000) for i in range(3)},
            "the model file would inflate to 90.0 MB",
        ),
    ],
)
def test_an_archive_that_would_inflate_is_refused_from_its_listing(members, message):
    data = archive(members)
    assert len(data) < 1_000_000  # small on the wire: the bomb is in the inflating
    with pytest.raises(ModelCheckError, match=re.escape(message)):
        check_archive(data)


def test_a_model_costing_too_many_multiply_adds_is_refused_before_it_answers(tmp_path):
    """Four 256-filter convolutions at full 28x28 resolution: 1.8 million weights, a 7 MB
    file, but more than a billion multiply-adds per image."""
    model = keras.Sequential(
        [keras.Input(shape=(28, 28, 1))]
        + [keras.layers.Conv2D(256, 3, padding="same") for _ in range(4)]
        + [keras.layers.Flatten(), keras.layers.Dense(10)]
    )
    assert model.count_params() < MAX_PARAMETERS
    path = tmp_path / "costly.keras"
    model.save(path)
    with pytest.raises(ModelCheckError, match="multiply-adds; up to 100,000,000 are accepted"):
        load_model_bytes(path.read_bytes())


def test_a_model_with_too_many_weights_is_refused():
    model = keras.Sequential(
        [keras.Input(shape=(28, 28)), keras.layers.Flatten(), keras.layers.Dense(8_000)]
    )
    with pytest.raises(ModelCheckError, match="6,280,000 weights; up to 5,000,000"):
        check_cost(model)


def test_the_largest_model_of_the_studio_passes_the_bounds():
    from core.models import ModelConfig, build_model

    tutorial = build_model(ModelConfig("cnn", dropout_rate=0.5))
    check_cost(tutorial)
    assert 13_000_000 < multiply_adds(tutorial) < 15_000_000
