"""Gradient descent: the tutorial's numbers, the regimes the maths predicts, honest divergence."""

import math

import numpy as np
import pytest

from core.descent import (
    BOUND_RULE,
    CONVERGED,
    DESCENDING,
    DIVERGED,
    DIVERGENCE_BOUND,
    DIVERGING,
    GROWTH_RULE,
    LOCAL_MINIMUM,
    MAX_STEPS,
    NOT_CONVERGING,
    PLATEAU,
    SADDLE,
    STUCK,
    check_h,
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
    assert result.divergence_rule == BOUND_RULE
    assert result.describe() == (
        "diverged at step 5: a coordinate passed ±1e+06 or stopped being a finite number"
    )


def test_tutorial_lr_1e_10_barely_moves():
    """lr 1e-10: the tutorial prints about (-2.99999994, 3.99999992)."""
    result = gradient_descent(function_2, START, lr=1e-10, steps=100, gradient="numerical")
    np.testing.assert_allclose(result.final, [-2.99999994, 3.99999992], atol=1e-8)
    assert result.status == DESCENDING
    # enough digits to show that it fell at all
    assert result.describe().startswith(
        "still descending after 100 steps: f − min fell from 25 to 24.999999;"
    )


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
    """Started on x1 = 0 the gradient never has an x1 part: descent stops at (0, 0), where f
    curves down along x1 (curvature -1): a saddle, named as such, with its way down."""
    result = gradient_descent("saddle", (2.5, 0.0), lr=0.1, steps=300)
    np.testing.assert_allclose(result.final, [0, 0], atol=1e-9)
    assert result.status == SADDLE and result.status in STUCK
    np.testing.assert_allclose(result.curvatures, [-1, 2], atol=1e-6)
    assert result.describe().startswith(
        "stuck at a saddle point near (0, 0): the gradient vanished, but f curves down "
        "along ±(0, 1) (curvature -1)"
    )
    nudged = gradient_descent("saddle", (2.5, 0.01), lr=0.1, steps=300)
    np.testing.assert_allclose(nudged.final, [0, 1], atol=1e-6)
    assert nudged.status == CONVERGED


def test_wells_local_minimum_and_plateau():
    """Near the shallow well descent settles there: gradient 0, curving up, 0.4 above the
    global minimum. On the plateau it does not move: gradient and curvature both ~0."""
    wells = get_surface("wells")
    local = gradient_descent(wells, (-2.5, -2.0), lr=0.5, steps=500)
    np.testing.assert_allclose(local.final, wells.minima[1], atol=1e-6)
    assert local.status == LOCAL_MINIMUM
    assert min(local.curvatures) > 1  # 0.6 * 4 / 0.5 = 2.4 along both axes, at the centre
    assert local.gap[-1] == pytest.approx(0.4, abs=0.01)
    assert local.describe().startswith("stuck in a local minimum near (-1.5, -0.999)")
    assert "f − min = 0.4 there: the global minimum is lower" in local.describe()
    plateau = gradient_descent(wells, (3.5, -3.5), lr=0.5, steps=500)
    assert np.linalg.norm(plateau.final - [3.5, -3.5]) < 1e-3
    assert plateau.status == PLATEAU
    assert max(abs(value) for value in plateau.curvatures) < 1e-3
    assert plateau.describe().startswith("stuck on a plateau near (3.5, -3.5)")
    assert "yet f − min = 1:" in plateau.describe()


def test_bowl_at_eta_one_is_a_bounded_oscillation():
    """η = 1: x <- -x exactly, f stays 25 forever: neither descending nor diverging."""
    result = gradient_descent("bowl", START, lr=1.0, steps=100)
    assert result.status == NOT_CONVERGING
    assert result.describe() == (
        "bounded oscillation, not converging: f − min stays at 25 as it jumps back and forth"
    )


@pytest.mark.parametrize(
    "lr, steps, status, since",
    [
        # gap_k = 25 * (1 - 2η)^(2k) passes 250 (10x the start, above the plot's 50)
        (1.01, 100, DIVERGED, math.ceil(math.log(10) / math.log(1.02**2))),  # step 59
        (1.05, 100, DIVERGED, math.ceil(math.log(10) / math.log(1.1**2))),  # step 13
        (1.01, 50, DIVERGING, None),  # 25 -> 181: growing, not that far yet
        (1.001, 100, DIVERGING, None),  # 25 -> 37.3
    ],
)
def test_bowl_just_past_eta_one_is_never_called_descending(lr, steps, status, since):
    """Past η = 1 the loss grows from the first step, long before a coordinate reaches 1e6:
    the run is 'diverged at step k' by the growth rule, or 'diverging', with the numbers."""
    result = gradient_descent("bowl", START, lr=lr, steps=steps)
    gap = 25 * (1 - 2 * lr) ** (2 * np.arange(steps + 1))
    np.testing.assert_allclose(result.gap, gap, rtol=1e-9)
    assert result.status == status
    assert "descending" not in result.describe()
    if status == DIVERGED:
        assert result.divergence_rule == GROWTH_RULE
        assert result.diverged_at == since
        assert result.steps_taken == steps  # finite: the whole path is kept
        assert result.describe() == (
            f"diverged at step {since}: from there on f − min stayed above 250, 10× its "
            f"start value, and kept growing, to {gap[-1]:.3g} at step {steps}"
        )
    else:
        assert result.describe() == (
            f"diverging: f − min grew from 25 to {gap[-1]:.3g} in {steps} steps and is still rising"
        )


def test_a_bouncing_loss_on_a_bounded_surface_is_not_divergence():
    """η = 5 from near the deep well: f − min jumps from 0.05 to a 4-cycle between 0.29 and
    0.89 that creeps in the 6th digit. Bounded: 'not converging', never 'diverg…'."""
    for steps in (50, 200, 1000):
        result = gradient_descent("wells", (1.2, 1.6), lr=5.0, steps=steps)
        assert result.status == NOT_CONVERGING
        assert result.describe().startswith(
            "bounded oscillation, not converging: f − min stays between 0.28"
        )


def test_rmsprop_bouncing_at_a_fixed_loss_is_not_descending():
    """RMSprop with a constant η = 0.1 ends jumping across the bowl's minimum at |x| = 0.05:
    its loss shrinks in the 7th digit, which is not 'still descending'."""
    result = compare("bowl", START, [("rmsprop", 0.1)], 1000)[0]
    np.testing.assert_allclose(np.abs(result.final), [0.05, 0.05], rtol=1e-5)
    assert result.status == NOT_CONVERGING
    assert result.describe() == (
        "bounded oscillation, not converging: f − min stays at about 0.005 as it jumps back "
        "and forth"
    )


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
        ({"gradient": "numerical", "h": 1e-300}, "h must be from 1e-12 to 1, got 1e-300"),
        ({"gradient": "numerical", "h": 2.0}, "h must be from 1e-12 to 1, got 2"),
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


@pytest.mark.parametrize(
    "h, message",
    [
        (1e-300, "a smaller step is lost to rounding"),
        (1e-13, "a smaller step is lost to rounding"),
        (1.5, "a bigger step measures the slope far from x"),
        (float("inf"), "a bigger step measures the slope far from x"),
        (float("nan"), "h must be a positive step"),
        ("tiny", "h must be a number"),
    ],
)
def test_h_outside_its_range_is_refused_with_the_reason(h, message):
    """h = 1e-300 would make x + h == x and a zero gradient: 'stuck' on the bowl. Refused."""
    with pytest.raises(ValueError, match=message):
        check_h(h)


def test_h_at_the_ends_of_its_range_still_descends():
    """h = 1e-12 is noisy but usable, h = 1 is exact on the bowl: both converge."""
    for h in (1e-12, 1.0):
        assert check_h(h) == h
        result = gradient_descent("bowl", START, lr=0.1, steps=100, gradient="numerical", h=h)
        assert result.status == CONVERGED


def test_tiny_h_would_have_faked_a_stuck_run():
    """Why the bound: with h = 1e-300 every central difference is 0 / 2h = 0."""
    from core.calculus import numerical_gradient_batch

    bowl = get_surface("bowl")
    np.testing.assert_array_equal(numerical_gradient_batch(bowl.function, START, 1e-300), 0)
