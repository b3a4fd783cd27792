"""Numerical derivatives against functions whose derivatives we know."""

import numpy as np
import pytest

from core.calculus import (
    difference_errors,
    numerical_diff,
    numerical_gradient,
    numerical_gradient_batch,
)
from core.surfaces import get_surface


def test_numerical_diff_of_tutorial_function():
    # f(x0) = x0^2 + 4^2 at x0 = 3: the tutorial prints 6.00000000000378
    assert numerical_diff(lambda x0: x0**2 + 4.0**2, 3.0) == pytest.approx(6.0, abs=1e-9)


def test_numerical_gradient_of_bowl():
    gradient = numerical_gradient(lambda x: np.sum(x**2), np.array([3.0, 4.0]))
    np.testing.assert_allclose(gradient, [6.0, 8.0], atol=1e-7)


def test_numerical_gradient_any_shape_and_restores_x():
    weights = np.arange(6, dtype=float).reshape(2, 3)
    before = weights.copy()
    gradient = numerical_gradient(lambda w: np.sum(np.sin(w)), weights)
    np.testing.assert_allclose(gradient, np.cos(weights), atol=1e-7)
    np.testing.assert_array_equal(weights, before)


def test_closure_over_x_itself():
    weights = np.array([[1.0, -2.0]])
    gradient = numerical_gradient(lambda _: float(np.sum(weights**3)), weights)
    np.testing.assert_allclose(gradient, 3 * weights**2, atol=1e-6)


@pytest.mark.parametrize("h", [0.0, -1e-4, float("nan")])
def test_step_must_be_positive(h):
    with pytest.raises(ValueError, match="h must be a positive step"):
        numerical_diff(lambda x: x, 1.0, h=h)
    with pytest.raises(ValueError, match="h must be a positive step"):
        numerical_gradient(lambda x: float(x.sum()), np.ones(2), h=h)


def test_integer_arrays_are_refused():
    with pytest.raises(ValueError, match="must hold floats"):
        numerical_gradient(lambda x: float(x.sum()), np.array([1, 2]))


def test_batch_gradient_matches_one_point_at_a_time():
    """The vectorised central difference gives what numerical_gradient gives, point by point."""

    def f(points):
        return np.sin(points[..., 0]) * points[..., 1] ** 3

    points = np.random.default_rng(0).normal(size=(4, 5, 2))
    expected = np.array([numerical_gradient(f, p.copy()) for p in points.reshape(-1, 2)])
    np.testing.assert_allclose(
        numerical_gradient_batch(f, points).reshape(-1, 2), expected, atol=1e-12
    )


def test_forward_difference_error_is_h_on_a_square():
    """(f(x+h) - f(x))/h for x^2 is 2x + h exactly: the O(h) error central differences avoid."""

    def square(points):
        return points[..., 0] ** 2

    point, h = np.array([3.0]), 1e-2
    forward = numerical_gradient_batch(square, point, h, scheme="forward")
    central = numerical_gradient_batch(square, point, h)
    assert forward[0] - 6.0 == pytest.approx(h, rel=1e-6)
    assert central[0] == pytest.approx(6.0, abs=1e-10)


def test_batch_refuses_bad_step_and_scheme():
    with pytest.raises(ValueError, match="h must be a positive step"):
        numerical_gradient_batch(lambda p: p.sum(-1), np.ones(2), h=0.0)
    with pytest.raises(ValueError, match="scheme must be"):
        numerical_gradient_batch(lambda p: p.sum(-1), np.ones(2), scheme="backward")


def test_difference_errors_show_truncation_then_rounding():
    """On exp: forward error ~ h e^x/2 for big h, and both grow again as h gets tiny."""

    def f(points):
        return np.exp(points[..., 0])

    def gradient(points):
        return np.exp(points)

    hs = np.array([1e-1, 1e-2, 1e-13])
    central, forward = difference_errors(f, gradient, np.array([1.0]), hs)
    np.testing.assert_allclose(forward[:2], hs[:2] * np.e / 2, rtol=0.05)
    np.testing.assert_allclose(central[:2], hs[:2] ** 2 * np.e / 6, rtol=0.05)
    # h = 1e-13: rounding, not truncation, so the error is worse than at h = 1e-2
    assert central[2] > central[1] and forward[2] > 1e6 * hs[2] * np.e / 2


def test_difference_errors_equal_one_h_at_a_time():
    """All h in one array: the same numbers, to the last bit, as a loop over h would give."""

    def f(points):
        return np.sin(points[..., 0]) * points[..., 1] ** 3

    def gradient(points):
        x0, x1 = points[..., 0], points[..., 1]
        return np.stack([np.cos(x0) * x1**3, 3 * np.sin(x0) * x1**2], axis=-1)

    point, hs = np.array([0.7, -1.3]), np.logspace(-14, 0, 15)
    central, forward = difference_errors(f, gradient, point, hs)
    for index, h in enumerate(hs):
        for errors, scheme in ((central, "central"), (forward, "forward")):
            one = numerical_gradient_batch(f, point, h, scheme=scheme)
            assert errors[index] == np.abs(one - gradient(point)).max()


def test_difference_errors_refuse_a_bad_h():
    with pytest.raises(ValueError, match="every h must be a positive step"):
        difference_errors(lambda p: p.sum(-1), lambda p: np.ones_like(p), np.ones(2), [1e-3, 0])


def test_difference_errors_match_numerical_gradient_batch_one_h_at_a_time():
    """The vectorised sweep over h gives the numbers the lab's own gradient gives per h."""
    surface = get_surface("rosenbrock")
    point = np.array([-1.2, 1.0])
    hs = np.logspace(-12, 0, 13)
    central, forward = difference_errors(surface.function, surface.gradient, point, hs)
    exact = surface.gradient(point)
    for index, h in enumerate(hs):
        for scheme, errors in (("central", central), ("forward", forward)):
            numerical = numerical_gradient_batch(surface.function, point, h, scheme)
            assert errors[index] == pytest.approx(np.abs(numerical - exact).max(), rel=1e-9)
