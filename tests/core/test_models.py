"""Model building: the layers and parameter counts of each family, bad configs refused."""

import numpy as np
import pytest

from core.models import (
    ModelConfig,
    build_model,
    check_model_config,
    describe_model,
    first_layer_pictures,
    make_optimizer,
)


def dense_parameters(inputs, units):
    return inputs * units + units


def conv_parameters(kernel, channels_in, filters):
    return kernel * kernel * channels_in * filters + filters


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (ModelConfig("softmax"), dense_parameters(784, 10)),
        (ModelConfig("mlp", 1, 512), dense_parameters(784, 512) + dense_parameters(512, 10)),
        (
            ModelConfig("mlp", 3, 64, "tanh", 0.2),
            dense_parameters(784, 64) + 2 * dense_parameters(64, 64) + dense_parameters(64, 10),
        ),
        # the tutorial's 3 274 634: two 5x5 'same' convs, 7x7x64 -> 1024 -> 10
        (
            ModelConfig("cnn", dropout_rate=0.5),
            conv_parameters(5, 1, 32)
            + conv_parameters(5, 32, 64)
            + dense_parameters(7 * 7 * 64, 1024)
            + dense_parameters(1024, 10),
        ),
        # 3x3 'valid' convs: 28 -> 26 -> 13 -> 11 -> 5
        (
            ModelConfig("cnn_fast"),
            conv_parameters(3, 1, 32)
            + conv_parameters(3, 32, 64)
            + dense_parameters(5 * 5 * 64, 128)
            + dense_parameters(128, 10),
        ),
    ],
    ids=["softmax", "mlp512", "mlp3x64", "cnn", "cnn_fast"],
)
def test_parameter_count_matches_the_layer_arithmetic(config, expected):
    """Each family has exactly the weights its layer sizes imply."""
    assert build_model(config).count_params() == expected


def test_tutorial_cnn_has_the_published_parameter_count():
    assert build_model(ModelConfig("cnn")).count_params() == 3_274_634


@pytest.mark.parametrize("family", ["softmax", "mlp", "cnn_fast"])
def test_outputs_are_probabilities(family):
    """28x28 images in, 10 probabilities summing to 1 out."""
    model = build_model(ModelConfig(family))
    images = np.random.default_rng(0).random((3, 28, 28), dtype=np.float32)
    probabilities = np.asarray(model(images))
    assert probabilities.shape == (3, 10)
    assert np.all(probabilities >= 0)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)


def test_mlp_uses_the_chosen_activation_and_dropout():
    model = build_model(ModelConfig("mlp", 2, 32, "sigmoid", 0.25))
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Flatten", "Dense", "Dropout", "Dense", "Dropout", "Dense"]
    assert model.layers[1].get_config()["activation"] == "sigmoid"
    assert model.layers[2].get_config()["rate"] == 0.25


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (ModelConfig("transformer"), "unknown model family"),
        (ModelConfig("mlp", hidden_layers=0), "1 to 4 hidden layers"),
        (ModelConfig("mlp", hidden_layers=5), "1 to 4 hidden layers"),
        (ModelConfig("mlp", width=0), "at least 1 unit"),
        (ModelConfig("mlp", activation="softplus"), "unknown activation"),
        (ModelConfig("cnn", dropout_rate=1.0), "dropout rate"),
    ],
)
def test_bad_configs_are_refused_with_a_reason(config, message):
    assert any(message in problem for problem in check_model_config(config))
    with pytest.raises(ValueError, match=message):
        build_model(config)


@pytest.mark.parametrize("learning_rate", [0.0, -0.1])
def test_optimizer_refuses_a_learning_rate_that_is_not_positive(learning_rate):
    with pytest.raises(ValueError, match="greater than 0"):
        make_optimizer("adam", learning_rate)


def test_optimizer_registry_builds_momentum_sgd():
    optimizer = make_optimizer("momentum", 0.05)
    assert type(optimizer).__name__ == "SGD"
    assert optimizer.get_config()["momentum"] == pytest.approx(0.9)
    assert float(optimizer.learning_rate) == pytest.approx(0.05)


def test_softmax_templates_are_the_dense_kernel_columns():
    """Picture k of softmax regression is column k of its 784x10 kernel, as 28x28."""
    model = build_model(ModelConfig("softmax"))
    kind, pictures = first_layer_pictures(model)
    kernel = model.layers[1].get_weights()[0]
    assert kind == "dense" and pictures.shape == (10, 28, 28)
    np.testing.assert_array_equal(pictures[3], kernel[:, 3].reshape(28, 28))


def test_conv_filters_are_pictured_per_filter():
    kind, pictures = first_layer_pictures(build_model(ModelConfig("cnn")))
    assert kind == "conv" and pictures.shape == (32, 5, 5)


def test_description_names_the_architecture():
    assert describe_model(ModelConfig("mlp", 2, 64, "tanh", 0.1)) == "MLP 2x64 tanh, dropout 0.1"
    assert describe_model(ModelConfig("softmax", dropout_rate=0.5)) == "Softmax regression"


def test_the_fast_cnn_takes_its_filters_and_dense_units_from_the_config():
    model = build_model(ModelConfig("cnn_fast", width=256, filters=16))
    convolutions = [layer for layer in model.layers if type(layer).__name__ == "Conv2D"]
    assert [layer.filters for layer in convolutions] == [16, 32]
    dense = [layer.units for layer in model.layers if type(layer).__name__ == "Dense"]
    assert dense == [256, 10]
    assert describe_model(ModelConfig("cnn_fast", width=256, filters=16)) == (
        "CNN (fast) 16 filters, dense 256"
    )
    assert describe_model(ModelConfig("cnn_fast")) == "CNN (fast)"


@pytest.mark.parametrize(
    ("config", "problem"),
    [
        (ModelConfig("cnn_fast", filters=2), "has 4 to 128 filters, got 2"),
        (ModelConfig("cnn_fast", width=0), "a dense layer needs at least 1 unit, got 0"),
    ],
)
def test_bad_fast_cnn_sizes_are_explained(config, problem):
    assert any(problem in text for text in check_model_config(config))


def test_a_cosine_schedule_decays_to_zero_over_the_run():
    optimizer = make_optimizer("adam", 5e-3, "cosine", steps=100)
    rate = optimizer.learning_rate  # the schedule, read at the optimizer's step
    schedule = optimizer._learning_rate
    assert float(schedule(0)) == pytest.approx(5e-3)
    assert float(schedule(50)) == pytest.approx(2.5e-3, rel=1e-3)
    assert float(schedule(100)) == pytest.approx(0.0, abs=1e-9)
    assert float(rate) == pytest.approx(5e-3)
    with pytest.raises(ValueError, match="unknown schedule"):
        make_optimizer("adam", 5e-3, "linear")
