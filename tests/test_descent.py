"""Gradient descent: the tutorial's numbers, the regimes the maths predicts, honest divergence."""

import math

import numpy as np
import pytest

from core.descent import (
    CONVERGED,
    DIVERGED,
    DIVERGENCE_BOUND,
    FINISHED,
    MAX_STEPS,
    STUCK,
    compare,
    gradient_descent,
    quadratic_regime,
)
from core.optimizers import OPTIMIZERS, HyperParameters, initial_state
from core.surfaces import get_surface

START = (-3.0, 4.0)


def function_2(x):
    """The tutorial's f(x0, x1) = x0^2 + x1^2, a function of one point."""
    return x[0] ** 2 + x[1] ** 2


def test_tutorial_lr_0_1_reaches_the_minimum():
    """From (-3, 4), lr 0.1, 100 steps: the tutorial prints about (-6.1e-10, 8.1e-10)."""
    result = gradient_descent(function_2, START, lr=0.1, steps=100, gradient="numerical")
    expected = 0.8**100 * np.array(START)  # x <- (1 - 2 lr) x, exactly
    np.testing.assert_allclose(result.final, expected, rtol=1e-6)
    np.testing.assert_allclose(result.final, [-6.1e-10, 8.1e-10], rtol=0.01)
    assert result.status == CONVERGED


def test_tutorial_lr_10_diverges_with_its_step():
    """lr 10 multiplies x by -19 each step: past the bound at step 5, and no inf/NaN kept."""
    result = gradient_descent("bowl", START, lr=10.0, steps=100)
    first_past = next(k for k in range(100) if 4 * 19**k > DIVERGENCE_BOUND)
    assert result.status == DIVERGED
    assert result.diverged_at == first_past == 5
    assert result.steps_taken == first_past - 1
    assert np.isfinite(result.path).all() and np.isfinite(result.losses).all()
    assert result.describe() == "diverged at step 5"


def test_tutorial_lr_1e_10_barely_moves():
    """lr 1e-10: the tutorial prints about (-2.99999994, 3.99999992)."""
    result = gradient_descent(function_2, START, lr=1e-10, steps=100, gradient="numerical")
    np.testing.assert_allclose(result.final, [-2.99999994, 3.99999992], atol=1e-8)
    assert result.status == FINISHED


def test_numerical_and_analytic_paths_agree():
    """On Rosenbrock (no exact central difference), h = 1e-5 gives the analytic path to 1e-6."""
    analytic = gradient_descent("rosenbrock", (-1.5, 2.0), lr=1e-3, steps=300)
    numerical = gradient_descent(
        "rosenbrock", (-1.5, 2.0), lr=1e-3, steps=300, gradient="numerical", h=1e-5
    )
    np.testing.assert_allclose(numerical.path, analytic.path, atol=1e-6)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_vectorised_runs_equal_each_optimizer_stepped_alone(name):
    """All six in one batch give the path of the optimizer's own function, step by step."""
    surface = get_surface("rosenbrock")
    hyper = HyperParameters(momentum=0.8)
    rates = {"sgd": 1e-3, "momentum": 5e-4, "nesterov": 5e-4, "adagrad": 0.1}
    runs = [(other, rates.get(other, 0.01)) for other in OPTIMIZERS]
    batch = {r.optimizer: r for r in compare(surface, (-1.5, 2.0), runs, 200, hyper=hyper)}
    params = np.array([-1.5, 2.0])
    state = initial_state(name, params, hyper)
    alone = [params]
    for _ in range(200):
        params, state = OPTIMIZERS[name].step(
            params, surface.gradient(params), state, rates.get(name, 0.01), hyper
        )
        alone.append(params)
    np.testing.assert_allclose(batch[name].path, alone, atol=1e-10)


def test_steps_to_tolerance_match_the_closed_form():
    """SGD on the bowl: gap_k = 25 * 0.64^k, so the first k with gap <= 1e-6 is known."""
    result = gradient_descent("bowl", START, lr=0.1, steps=100)
    expected = math.ceil(math.log(1e-6 / 25) / math.log(0.64))
    assert result.tolerance_step == expected
    np.testing.assert_allclose(result.gap, 25 * 0.64 ** np.arange(101), rtol=1e-9)


@pytest.mark.parametrize(
    "lr, name",
    [
        (0.1, "monotone"),
        (0.5, "one step"),
        (0.7, "oscillating"),
        (1.0, "bounded"),
        (1.01, "diverging"),
    ],
)
def test_bowl_regimes_are_what_the_path_does(lr, name):
    """The regime named from x <- (1 - 2 lr) x is what 200 steps of descent actually do."""
    regime = quadratic_regime(lr, get_surface("bowl").curvatures)
    assert regime.name == name
    assert regime.thresholds == (0.5, 1.0)
    result = gradient_descent("bowl", START, lr=lr, steps=200)
    x0 = result.path[:, 0]
    sign_flips = np.any(np.sign(x0[1:]) * np.sign(x0[:-1]) < 0)
    distance = np.linalg.norm(result.path, axis=1)
    if name == "monotone":
        assert not sign_flips and np.all(np.diff(distance) < 0)
    if name == "one step":
        assert np.allclose(result.path[1:], 0)
    if name == "oscillating":
        assert sign_flips and result.status == CONVERGED
    if name == "bounded":
        assert sign_flips and np.allclose(distance, 5.0)
    if name == "diverging":
        assert np.all(np.diff(distance) > 0)


def test_elongated_bowl_regime_follows_its_steep_direction():
    """x0^2/20 + x1^2: the x1 direction (curvature 1) sets the thresholds, 0.5 and 1."""
    curvatures = get_surface("elongated").curvatures
    assert quadratic_regime(0.9, curvatures).name == "oscillating"
    assert quadratic_regime(1.5, curvatures).name == "diverging"
    assert quadratic_regime(0.5, curvatures).name == "monotone"
    assert quadratic_regime(0.9, curvatures).explanation.startswith(
        "x0 ← (0.91)·x0, x1 ← (-0.8)·x1: it overshoots"
    )


def test_saddle_start_on_its_axis_gets_stuck_at_the_saddle():
    """Started on x1 = 0 the gradient never has an x1 part: descent stops at (0, 0)."""
    result = gradient_descent("saddle", (2.5, 0.0), lr=0.1, steps=300)
    np.testing.assert_allclose(result.final, [0, 0], atol=1e-9)
    assert result.status == STUCK
    nudged = gradient_descent("saddle", (2.5, 0.01), lr=0.1, steps=300)
    np.testing.assert_allclose(nudged.final, [0, 1], atol=1e-6)
    assert nudged.status == CONVERGED


def test_wells_local_minimum_and_plateau():
    """Near the shallow well descent settles there; on the plateau it does not move."""
    wells = get_surface("wells")
    local = gradient_descent(wells, (-2.5, -2.0), lr=0.5, steps=500)
    np.testing.assert_allclose(local.final, wells.minima[1], atol=1e-6)
    assert local.status == STUCK
    assert local.gap[-1] == pytest.approx(0.4, abs=0.01)
    plateau = gradient_descent(wells, (3.5, -3.5), lr=0.5, steps=500)
    assert np.linalg.norm(plateau.final - [3.5, -3.5]) < 1e-3
    assert plateau.status == STUCK


def test_all_runs_diverging_stop_early_without_garbage():
    """When every run has left, the loop stops; each path ends before its bad point."""
    results = compare("bowl", START, [("sgd", 5.0), ("momentum", 8.0)], MAX_STEPS)
    for result in results:
        assert result.status == DIVERGED
        assert np.isfinite(result.path).all()
        assert len(result.path) == result.diverged_at


def test_plain_function_in_three_dimensions():
    """A notebook function of one point works in any dimension with the numerical gradient."""
    result = gradient_descent(
        lambda x: float(np.sum((x - 1) ** 2)), (0.0, 0.0, 0.0), lr=0.25, steps=60,
        gradient="numerical",
    )  # fmt: skip
    np.testing.assert_allclose(result.final, [1, 1, 1], atol=1e-9)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lr": 0}, "learning rate must be a positive number, got 0"),
        ({"lr": -0.1}, "learning rate must be a positive number"),
        ({"lr": float("nan")}, "learning rate must be a positive number"),
        ({"lr": float("inf")}, "learning rate must be a positive number"),
        ({"lr": "fast"}, "learning rate must be a number"),
        ({"steps": 0}, "steps must be at least 1"),
        ({"steps": MAX_STEPS + 1}, f"steps must be at most {MAX_STEPS}"),
        ({"steps": 2.5}, "steps must be a whole number"),
        ({"steps": "many"}, "steps must be a whole number"),
        ({"init": (float("nan"), 1.0)}, "start point must be finite"),
        ({"init": (1e7, 1.0)}, "start point must be within"),
        ({"gradient": "numerical", "h": 0.0}, "h must be a positive step"),
        ({"gradient": "symbolic"}, "gradient must be 'analytic' or 'numerical'"),
        ({"optimizer": "adamw"}, "unknown optimizer"),
        ({"f": function_2}, "a plain function has no analytic gradient"),
        ({"f": "egg"}, "unknown surface"),
    ],
)
def test_bad_arguments_get_a_student_message(kwargs, message):
    arguments = {"f": "bowl", "init": START, "lr": 0.1, "steps": 10, **kwargs}
    with pytest.raises(ValueError, match=message):
        gradient_descent(**arguments)


def test_compare_needs_a_run():
    with pytest.raises(ValueError, match="at least one optimizer"):
        compare("bowl", START, [], 10)
