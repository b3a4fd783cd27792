"""core.scratch: the NumPy two-layer net, its two gradients, and SGD training."""

import itertools

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from core.data import load_dataset
from core.scratch import (
    MAX_CHECK_PICTURE_PASSES,
    MAX_HIDDEN_SIZE,
    PARAMETER_NAMES,
    SIMPLE_INPUT,
    SIMPLE_TARGET,
    SimpleNet,
    TrainConfig,
    TrainingDiverged,
    TwoLayerNet,
    compare_gradients,
    epoch_table_line,
    flatten_images,
    forward_steps,
    gradient_check,
    one_hot,
    picture_passes,
    refuse_costly_check,
    train,
    weight_mosaic,
)


def small_problem(seed, activation, inputs=5, hidden=4, classes=3, rows=7):
    """A random net with weights of order 1 (so gradients are not all tiny) and a batch."""
    rng = np.random.default_rng(seed)
    net = TwoLayerNet(
        inputs, hidden, classes, weight_init_std=1.0, activation=activation, seed=seed
    )
    net.params["b1"] = rng.standard_normal(hidden)
    net.params["b2"] = rng.standard_normal(classes)
    return net, rng.standard_normal((rows, inputs)), rng.integers(0, classes, rows)


def test_simple_net_matches_the_tutorial_printout():
    """The book's simpleNet with its printed W: scores, loss and numerical dW as printed."""
    net = SimpleNet()
    np.testing.assert_allclose(net.predict(SIMPLE_INPUT), [1.05414809, 0.63071653, 1.1328074])
    # printed 0.92806853663411326 with log(p + 1e-7); ours uses 1e-12, so 2.5e-7 apart
    assert net.loss(SIMPLE_INPUT, SIMPLE_TARGET) == pytest.approx(0.92806853663411326, abs=1e-6)
    np.testing.assert_allclose(
        net.numerical_gradient(SIMPLE_INPUT, SIMPLE_TARGET),
        [[0.21924763, 0.14356247, -0.36281009], [0.32887144, 0.2153437, -0.54421514]],
        atol=1e-7,
    )


def test_simple_net_chain_rule_gradient_matches_the_numerical_one():
    """x^T (softmax(xW) - t) is the same 2x3 matrix the book got by nudging."""
    net = SimpleNet()
    np.testing.assert_allclose(
        net.gradient(SIMPLE_INPUT, SIMPLE_TARGET),
        net.numerical_gradient(SIMPLE_INPUT, SIMPLE_TARGET),
        atol=1e-9,
    )
    x = np.random.default_rng(0).standard_normal((4, 2))
    labels = np.array([0, 2, 1, 2])
    np.testing.assert_allclose(
        net.gradient(x, labels), net.numerical_gradient(x, labels), atol=1e-9
    )


def test_simple_net_gradient_leaves_the_weights_unchanged():
    """The numerical gradient nudges W in place; it must put every entry back."""
    net = SimpleNet()
    before = net.W.copy()
    net.numerical_gradient(SIMPLE_INPUT, SIMPLE_TARGET)
    np.testing.assert_array_equal(net.W, before)


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
@pytest.mark.parametrize("seed", range(4))
def test_backprop_agrees_with_numerical_gradient(activation, seed):
    """Every parameter of small random nets: max |numerical - backprop| < 1e-7."""
    net, x, t = small_problem(seed, activation)
    if activation == "relu":  # a kink within h of a1 would make the numerical one wrong
        assert np.abs(net.forward(x)["a1"]).min() > 1e-3
    for row in compare_gradients(net.numerical_gradient(x, t), net.gradient(x, t)):
        assert row.max_abs_difference < 1e-7, row


def test_backprop_gradients_are_not_trivially_zero():
    """The agreement above means something: the gradients themselves are of order 0.1."""
    net, x, t = small_problem(0, "sigmoid")
    gradient = net.gradient(x, t)
    assert all(np.abs(gradient[name]).max() > 1e-2 for name in PARAMETER_NAMES)


def test_backprop_matches_a_hand_derived_output_bias_gradient():
    """dL/db2 = mean over rows of (softmax(a2) - one_hot(t)), straight from the formula."""
    net, x, t = small_problem(1, "relu")
    y = net.forward(x)["y"]
    np.testing.assert_allclose(net.gradient(x, t)["b2"], (y - one_hot(t, 3)).mean(axis=0))


def test_gradients_accept_one_hot_targets_like_labels():
    net, x, t = small_problem(2, "sigmoid")
    by_label, by_row = net.gradient(x, t), net.gradient(x, one_hot(t, 3))
    for name in PARAMETER_NAMES:
        np.testing.assert_array_equal(by_label[name], by_row[name])
    assert net.loss(x, t) == pytest.approx(net.loss(x, one_hot(t, 3)))


def test_loss_of_an_untrained_ten_class_net_is_log_ten():
    """Tiny weights give every class 1/10, so the loss starts at ln 10 = 2.303."""
    net = TwoLayerNet(784, 50, 10, seed=0)
    x = np.random.default_rng(0).random((20, 784))
    assert net.loss(x, np.arange(20) % 10) == pytest.approx(np.log(10), abs=0.01)


def test_forward_steps_name_every_array_with_its_shape():
    net = TwoLayerNet(784, 50, 10)
    steps, arrays = forward_steps(net, np.zeros((3, 784)))
    shapes = {step.name: step.shape for step in steps}
    assert shapes == {
        "x": (3, 784),
        "W1": (784, 50),
        "b1": (50,),
        "a1": (3, 50),
        "z1": (3, 50),
        "W2": (50, 10),
        "b2": (10,),
        "a2": (3, 10),
        "y": (3, 10),
    }
    np.testing.assert_allclose(arrays["y"].sum(axis=1), 1.0)


@pytest.mark.parametrize(
    ("hidden_size", "message"),
    [(0, "at least 1"), (MAX_HIDDEN_SIZE + 1, "too large"), (2.5, "whole number")],
)
def test_bad_hidden_size_is_refused(hidden_size, message):
    with pytest.raises(ValueError, match=message):
        TwoLayerNet(784, hidden_size, 10)


def test_unknown_activation_names_the_choices():
    with pytest.raises(ValueError, match="sigmoid, relu"):
        TwoLayerNet(4, 3, 2, activation="tanhh")


def test_gradient_check_reports_agreement_and_a_measured_ratio():
    net = TwoLayerNet(20, 6, 4, weight_init_std=0.5, seed=3)
    x = np.random.default_rng(3).random((5, 20))
    check = gradient_check(net, x, np.arange(5) % 4, repeats=5)
    assert [row.parameter for row in check.differences] == list(PARAMETER_NAMES)
    assert max(row.max_abs_difference for row in check.differences) < 1e-7
    assert check.parameter_count == 20 * 6 + 6 + 6 * 4 + 4
    assert (check.examples, check.repeats) == (5, 5)
    # 2 x 154 losses against one forward and backward pass: slower even for this tiny net
    assert check.numerical_seconds > check.backprop_seconds > 0


def test_numerical_gradient_is_thousands_of_times_slower_on_a_real_batch(real_data_dir):
    """784-10-10 on 3 MNIST pictures: 15 920 losses against one backprop (measured ~18 000x).

    The bound is ten times below what was measured, so a busy machine cannot fail it.
    """
    (x_train, y_train), _, _ = load_dataset("mnist")
    check = gradient_check(TwoLayerNet(784, 10, 10), flatten_images(x_train[:3]), y_train[:3])
    assert check.ratio > 1000


def test_gradient_check_refuses_nets_too_big_to_nudge():
    with pytest.raises(ValueError, match="39,760 parameters.*compute the loss 79,520 times"):
        gradient_check(TwoLayerNet(784, 50, 10), np.zeros((1, 784)), [0], max_parameters=10_000)


def test_gradient_check_refuses_too_many_pictures_and_says_how_many_fit():
    """The tutorial's 784-50-10 net on 100 pictures: 7.9 million pictures through the net."""
    with pytest.raises(ValueError, match="pictures through the net.*use at most 5 pictures"):
        refuse_costly_check(39_760, 100)
    refuse_costly_check(39_760, 5)  # 397 600 passes: within MAX_CHECK_PICTURE_PASSES
    assert picture_passes(39_760, 5) <= MAX_CHECK_PICTURE_PASSES < picture_passes(39_760, 6)


def test_gradient_check_has_no_limit_unless_asked():
    """From a notebook, a big check runs: the caps are the page's."""
    net = TwoLayerNet(30, 4, 3)
    x, labels = np.zeros((200, 30)), np.arange(200) % 3
    assert picture_passes(net.parameter_count, 200) > 1000
    assert gradient_check(net, x, labels, repeats=1).examples == 200
    with pytest.raises(ValueError, match="at most 3 pictures"):
        gradient_check(net, x, labels, max_picture_passes=1000)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"learning_rate": 0.0}, "learning rate must be a positive"),
        ({"learning_rate": -0.1}, "learning rate must be a positive"),
        ({"learning_rate": float("nan")}, "learning rate must be a positive"),
        ({"batch_size": 101}, "larger than the 100 training examples"),
        ({"hidden_size": 0}, "hidden size must be at least 1"),
        ({"iterations": 0}, "iterations must be at least 1"),
        ({"weight_init_std": 0.0}, "initial weight scale"),
    ],
)
def test_train_config_refuses_bad_settings(change, message):
    config = TrainConfig(**{**vars(TrainConfig()), **change})
    with pytest.raises(ValueError, match=message):
        config.validate(train_size=100)


def separable_data(rows=400, seed=0):
    """Two blobs in 8 dimensions: any working trainer separates them."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, rows)
    x = rng.standard_normal((rows, 8)) + 3.0 * labels[:, None]
    return x, labels


def test_training_reports_each_epoch_and_each_loss():
    """Epoch rows at 0, 1, 2 ... epochs plus the end, a loss per iteration, and learning."""
    x, labels = separable_data()
    rows, losses = [], []
    config = TrainConfig(hidden_size=8, learning_rate=0.5, batch_size=50, iterations=100)
    result = train(
        config,
        x[:300],
        labels[:300],
        x[300:],
        labels[300:],
        on_epoch=rows.append,
        on_iteration=lambda i, loss: losses.append(loss),
    )
    assert [row.iteration for row in rows] == list(range(0, 100, 6)) + [100]
    assert rows == result.epochs and losses == result.losses and len(losses) == 100
    assert result.epochs[0].test_accuracy < 0.8 < result.test_accuracy
    assert np.mean(losses[-10:]) < np.mean(losses[:10])
    assert epoch_table_line(rows[-1]).startswith("train acc, test acc | ")


def test_training_stops_when_asked():
    x, labels = separable_data()
    checks = itertools.count()
    result = train(
        TrainConfig(hidden_size=4, batch_size=10, iterations=1000),
        x,
        labels,
        x,
        labels,
        should_stop=lambda: next(checks) >= 25,  # asked before the 26th step
    )
    assert result.stopped and result.iterations == 25
    # evaluated at the start and once more for the weights it stopped with
    assert [row.iteration for row in result.epochs] == [0, 25]


def test_training_stopped_before_its_first_step_has_no_final_row():
    x, labels = separable_data()
    result = train(TrainConfig(hidden_size=4), x, labels, x, labels, should_stop=lambda: True)
    assert result.stopped and result.iterations == 0 and result.epochs == []


def test_training_that_overflows_says_so():
    """relu with a learning rate of 1e100: the scores overflow on the second step."""
    x, labels = separable_data()
    config = TrainConfig(hidden_size=8, activation="relu", learning_rate=1e100, iterations=50)
    with pytest.raises(TrainingDiverged, match="iteration 2 .*smaller learning rate"):
        train(config, x, labels, x, labels)


def test_weight_mosaic_tiles_each_unit_scaled_to_one():
    W1 = np.random.default_rng(0).standard_normal((784, 12))
    mosaic, shown = weight_mosaic(W1, columns=5)
    assert shown == 12 and mosaic.shape == (3 * 29 - 1, 5 * 29 - 1)
    np.testing.assert_allclose(
        mosaic[29 : 29 + 28, 29 : 29 + 28], W1[:, 6].reshape(28, 28) / np.abs(W1[:, 6]).max()
    )
    assert np.isnan(mosaic[28, :]).all()


def test_an_overflow_while_evaluating_says_so():
    """Initial weights of scale 1e200: relu's scores overflow in the first evaluation."""
    x, labels = separable_data()
    config = TrainConfig(hidden_size=8, activation="relu", weight_init_std=1e200, iterations=5)
    with pytest.raises(TrainingDiverged, match="iteration 0 .*not finite.*weight scale of 0.01"):
        train(config, x, labels, x, labels)


def train_on_mnist(iterations: int):
    (x_train, y_train), (x_test, y_test), _ = load_dataset("mnist")
    with threadpool_limits(limits=1, user_api="blas"):  # 2 BLAS threads crawl on a busy CI
        return train(TrainConfig(iterations=iterations), x_train, y_train, x_test, y_test)


def test_two_layer_net_learns_mnist_in_a_thousand_iterations(real_data_dir):
    """The tutorial's setting, shortened from 10 000 to 1 000 iterations (about 2 s).

    Seed 0 makes the run exact: 0.8651 here. Seeds 0 to 5 gave 0.8627 to 0.8690, so the
    0.85 bound sits over 0.012 (six times that spread) below: another machine's rounding
    or another seed would not fail it, a broken gradient or update would (chance is 0.1).
    """
    result = train_on_mnist(1000)
    assert result.test_accuracy >= 0.85
    assert result.epochs[0].test_accuracy < 0.2  # it started from chance


@pytest.mark.slow
def test_the_tutorial_run_reaches_its_test_accuracy(real_data_dir):
    """The issue's target: 784-50-10 sigmoid, lr 0.1, batch 100, 10 000 iterations >= 0.94.

    About 15 s on one core (bench_scratch prints the time). The tutorial printed 0.9454;
    seed 0 gives 0.9474 and seed 1 0.9465.
    """
    result = train_on_mnist(10_000)
    assert result.iterations == 10_000
    assert result.test_accuracy >= 0.94


def test_flatten_images_scales_pixels_to_unit_range():
    images = np.array([[[0, 255], [51, 102]]], dtype=np.uint8)
    np.testing.assert_allclose(flatten_images(images), [[0.0, 1.0, 0.2, 0.4]])
