"""Optimizers: the same updates as keras.optimizers on the same gradients, and one shared form."""

import numpy as np
import pytest

from core.optimizers import (
    OPTIMIZERS,
    HyperParameters,
    bias_corrected_rates,
    coefficients,
    general_step,
    get_optimizer,
    initial_state,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:keras.*")

STEPS = 25
LEARNING_RATE = 2**-4  # exact in float32: Keras keeps the learning rate as a float32 variable
CUSTOM = HyperParameters(momentum=0.7, rho=0.8, beta_1=0.85, beta_2=0.99, epsilon=1e-6)


def gradient_sequence(seed=0, steps=STEPS, size=3) -> np.ndarray:
    """Gradients of mixed sizes and signs, the same for both sides of a comparison."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(steps, size)) * np.array([0.01, 1.0, 20.0])


def run_ours(name, start, gradients, learning_rate, hyper):
    optimizer = get_optimizer(name)
    params, state = start.copy(), initial_state(name, start, hyper)
    path = []
    for gradient in gradients:
        params, state = optimizer.step(params, gradient, state, learning_rate, hyper)
        path.append(params)
    return np.array(path)


def keras_optimizer(name, learning_rate, hyper):
    import keras

    if name == "sgd":
        return keras.optimizers.SGD(learning_rate=learning_rate)
    if name in ("momentum", "nesterov"):
        return keras.optimizers.SGD(
            learning_rate=learning_rate, momentum=hyper.momentum, nesterov=name == "nesterov"
        )
    if name == "adagrad":
        return keras.optimizers.Adagrad(
            learning_rate=learning_rate,
            initial_accumulator_value=hyper.initial_accumulator_value,
            epsilon=hyper.epsilon,
        )
    if name == "rmsprop":
        return keras.optimizers.RMSprop(
            learning_rate=learning_rate, rho=hyper.rho, epsilon=hyper.epsilon, centered=False
        )
    return keras.optimizers.Adam(
        learning_rate=learning_rate,
        beta_1=hyper.beta_1,
        beta_2=hyper.beta_2,
        epsilon=hyper.epsilon,
    )


def run_keras(name, start, gradients, learning_rate, hyper):
    import keras

    variable = keras.Variable(start.copy(), dtype="float64")
    optimizer = keras_optimizer(name, learning_rate, hyper)
    path = []
    for gradient in gradients:
        optimizer.apply_gradients([(keras.ops.convert_to_tensor(gradient, "float64"), variable)])
        path.append(keras.ops.convert_to_numpy(variable).copy())
    return np.array(path)


@pytest.mark.slow  # imports Keras and TensorFlow: ~5 s the first time
@pytest.mark.parametrize("hyper", [HyperParameters(), CUSTOM], ids=["defaults", "custom"])
@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_same_updates_as_keras(name, hyper):
    """Every step moves the variable by what Keras 3 moves it, to 1e-6."""
    start = np.array([0.5, -1.0, 2.0])
    gradients = gradient_sequence()
    ours = np.diff(run_ours(name, start, gradients, LEARNING_RATE, hyper), axis=0, prepend=[start])
    theirs = np.diff(
        run_keras(name, start, gradients, LEARNING_RATE, hyper), axis=0, prepend=[start]
    )
    assert np.abs(ours).max() > 1e-2  # the updates compared are not all nearly zero
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-6)


# Keras passes momentum, rho and the betas through float32 in places (0.9 becomes
# 0.89999998), which alone moves results by ~1e-7. With settings that float32 holds
# exactly, the two paths agree to rounding, so the formulas (epsilon placement, bias
# correction, initial accumulator) are the same, not just close.
EXACT_IN_FLOAT32 = HyperParameters(
    momentum=0.875,
    rho=0.875,
    beta_1=0.875,
    beta_2=1 - 2**-10,
    epsilon=2**-20,
    initial_accumulator_value=0.125,
)


@pytest.mark.slow  # imports Keras and TensorFlow
@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_same_path_as_keras_to_rounding(name):
    """With float32-exact settings, 25 steps land where Keras lands, to 1e-9."""
    start = np.array([0.5, -1.0, 2.0])
    gradients = gradient_sequence(seed=2)
    ours = run_ours(name, start, gradients, LEARNING_RATE, EXACT_IN_FLOAT32)
    theirs = run_keras(name, start, gradients, LEARNING_RATE, EXACT_IN_FLOAT32)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)


@pytest.mark.parametrize("hyper", [HyperParameters(), CUSTOM], ids=["defaults", "custom"])
@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_general_step_is_each_optimizer(name, hyper):
    """The shared update used by the vectorised descent equals each optimizer's own formula."""
    start = np.array([0.5, -1.0, 2.0])
    gradients = gradient_sequence(seed=1)
    c = coefficients(name, hyper)
    rates = bias_corrected_rates(LEARNING_RATE, c.bias_1, c.bias_2, STEPS)
    params, moments = start, (np.zeros(3), np.full(3, c.v_initial))
    shared = []
    for rate, gradient in zip(rates, gradients):
        params, moments = general_step(params, gradient, moments, rate, c)
        shared.append(params)
    np.testing.assert_allclose(
        shared, run_ours(name, start, gradients, LEARNING_RATE, hyper), atol=1e-12
    )


def test_steps_are_pure():
    """No step changes its inputs in place: the caller's arrays keep their values."""
    hyper = HyperParameters()
    for name, optimizer in OPTIMIZERS.items():
        params, gradient = np.array([1.0, 2.0]), np.array([0.3, -0.4])
        state = initial_state(name, params, hyper)
        before = {key: np.copy(value) for key, value in state.items()}
        optimizer.step(params, gradient, state, 0.1, hyper)
        np.testing.assert_array_equal(params, [1.0, 2.0])
        np.testing.assert_array_equal(gradient, [0.3, -0.4])
        for key, value in state.items():
            np.testing.assert_array_equal(value, before[key])


def test_sgd_is_the_tutorial_update():
    """x <- x - eta g, the one line every tutorial starts from."""
    params, _ = OPTIMIZERS["sgd"].step(
        np.array([-3.0, 4.0]), np.array([-6.0, 8.0]), {}, 0.1, HyperParameters()
    )
    np.testing.assert_allclose(params, [-2.4, 3.2])


def test_a_batch_of_learning_rates_in_one_call():
    """learning_rate may be one value per run, broadcast against (runs, 2) params."""
    params = np.array([[1.0, 1.0], [1.0, 1.0]])
    rates = np.array([[0.1], [0.5]])
    moved, _ = OPTIMIZERS["sgd"].step(params, 2 * params, {}, rates, HyperParameters())
    np.testing.assert_allclose(moved, [[0.8, 0.8], [0.0, 0.0]])


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("momentum", 1.0, "momentum must be at least 0 and below 1"),
        ("rho", -0.1, "rho must be at least 0 and below 1"),
        ("beta_2", float("nan"), "beta_2 must be a finite number"),
        ("epsilon", 0.0, "epsilon must be positive"),
        ("initial_accumulator_value", -1.0, "cannot be negative"),
    ],
)
def test_bad_hyper_parameters_are_refused(field, value, message):
    with pytest.raises(ValueError, match=message):
        HyperParameters(**{field: value})


def test_unknown_optimizer_names_the_choices():
    with pytest.raises(ValueError, match="unknown optimizer 'adamw': choose one of sgd"):
        get_optimizer("adamw")
    with pytest.raises(ValueError, match="unknown optimizer"):
        coefficients("adamw", HyperParameters())


# The page runs every line of its plots in one loop through general_step with each
# optimizer's coefficients, not the readable rules above (3x faster for six optimizers):
# the tests below are what make "the page ran the rule you read" true.
def random_hyper(rng) -> HyperParameters:
    """Any settings a student can type (decays in [0, 1)), and Keras' other two at random."""
    return HyperParameters(
        momentum=rng.uniform(0, 1),
        rho=rng.uniform(0, 1),
        beta_1=rng.uniform(0, 1),
        beta_2=rng.uniform(0, 1),
        epsilon=10 ** rng.uniform(-9, -3),
        initial_accumulator_value=rng.uniform(0, 1),
    )


@pytest.mark.parametrize("seed", range(25))
@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_coefficients_run_the_readable_rule(name, seed):
    """For random settings and one learning rate per run (an array, as the page's batch
    has), 300 steps of general_step with coefficients(name) stay where the readable rule
    goes, step by step, to rounding."""
    rng = np.random.default_rng(seed)
    hyper = random_hyper(rng)
    runs, steps = 4, 300
    rates = 10 ** rng.uniform(-4, 0, size=(runs, 1))
    start = rng.normal(size=(runs, 3))
    gradients = rng.normal(size=(steps, runs, 3)) * np.array([0.01, 1.0, 20.0])
    c = coefficients(name, hyper)
    rate_per_step = bias_corrected_rates(rates, c.bias_1, c.bias_2, steps)
    shared, moments = start, (np.zeros_like(start), np.full_like(start, c.v_initial))
    readable, state = start, initial_state(name, start, hyper)
    for step in range(steps):
        shared, moments = general_step(shared, gradients[step], moments, rate_per_step[step], c)
        readable, state = OPTIMIZERS[name].step(readable, gradients[step], state, rates, hyper)
        np.testing.assert_allclose(shared, readable, rtol=1e-9, atol=1e-12, err_msg=f"{step=}")
    assert np.abs(readable - start).max() > 1e-3  # the runs really moved


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("surface_name", ["elongated", "wells"])
def test_the_descent_the_page_runs_follows_each_readable_rule(surface_name, seed):
    """core.descent.compare, the page's loop (every optimizer and learning rate in one
    batch), gives the path of stepping each optimizer's readable rule on its own."""
    from core.descent import compare
    from core.surfaces import get_surface

    rng = np.random.default_rng(seed)
    hyper = random_hyper(rng)
    surface = get_surface(surface_name)
    rates = [float(rate) for rate in 10 ** rng.uniform(-3, -0.5, size=2)]
    runs = [(name, rate) for name in OPTIMIZERS for rate in rates]
    results = compare(surface, surface.default_start, runs, 200, hyper=hyper)
    for (name, rate), result in zip(runs, results):
        params = np.array(surface.default_start)
        state, path = initial_state(name, params, hyper), [params]
        for _ in range(len(result.path) - 1):
            params, state = OPTIMIZERS[name].step(
                params, surface.gradient(params), state, rate, hyper
            )
            path.append(params)
        assert len(path) > 1
        np.testing.assert_allclose(result.path, path, rtol=1e-9, atol=1e-12, err_msg=name)
