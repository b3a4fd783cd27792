"""Surfaces: analytic gradients against numerical ones, minima that really are minima."""

import numpy as np
import pytest

from core.calculus import numerical_gradient, numerical_gradient_batch
from core.descent import STUCK_GRADIENT
from core.surfaces import SURFACES, get_surface, surface_grid

ALL = list(SURFACES.values())


def points_in_box(surface, count=50, seed=0) -> np.ndarray:
    x0_min, x0_max, x1_min, x1_max = surface.view_box
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(x0_min, x0_max, count), rng.uniform(x1_min, x1_max, count)])


@pytest.mark.parametrize("surface", ALL, ids=lambda s: s.name)
def test_analytic_gradient_matches_central_differences(surface):
    """Each surface's formula for grad f agrees with (f(x+h) - f(x-h)) / 2h all over its box."""
    points = points_in_box(surface)
    one_at_a_time = np.array(
        [numerical_gradient(surface.function, p.copy(), h=1e-5) for p in points]
    )
    scale = 1 + np.abs(one_at_a_time)
    np.testing.assert_allclose(surface.gradient(points) / scale, one_at_a_time / scale, atol=1e-6)


@pytest.mark.parametrize("surface", ALL, ids=lambda s: s.name)
def test_known_minima_are_minima(surface):
    """Gradient zero, curvature positive in every direction, and the first one is the lowest."""
    for minimum in surface.minima:
        point = np.array(minimum)
        assert np.linalg.norm(surface.gradient(point)) < 1e-9
        hessian = numerical_gradient_batch(surface.gradient, point, h=1e-5)
        assert np.linalg.eigvalsh((hessian + hessian.T) / 2).min() > 0
    _, _, z = surface_grid(surface, 200)
    assert surface.min_value <= z.min() + 1e-12
    assert surface.contains(surface.default_start)


def test_saddle_point_is_flat_but_not_a_minimum():
    """At (0, 0) the saddle's gradient is zero, yet f is lower a step away along x1."""
    saddle = get_surface("saddle")
    assert np.allclose(saddle.gradient(np.zeros(2)), 0)
    assert saddle.function(np.array([0.0, 0.5])) < saddle.function(np.zeros(2))


def test_plateau_gradient_is_too_small_to_move():
    """Far from both wells f is within 1e-6 of 1 and its gradient is below the 'stuck' level."""
    wells = get_surface("wells")
    corner = np.array([3.5, -3.5])
    assert abs(wells.function(corner) - 1) < 1e-6
    assert np.linalg.norm(wells.gradient(corner)) < STUCK_GRADIENT


def test_grid_is_laid_out_for_plotly():
    """z[i, j] is f at (x0[j], x1[i]): rows follow x1, columns follow x0."""
    surface = get_surface("elongated")
    x0, x1, z = surface_grid(surface, 7)
    assert z.shape == (7, 7)
    assert z[2, 5] == pytest.approx(x0[5] ** 2 / 20 + x1[2] ** 2)
    assert (x0[0], x0[-1], x1[0], x1[-1]) == surface.view_box


def test_a_batch_of_any_shape_is_evaluated_at_once():
    surface = get_surface("rosenbrock")
    grid = np.zeros((3, 4, 2)) + [1.0, 1.0]
    assert surface.function(grid).shape == (3, 4)
    assert surface.gradient(grid).shape == (3, 4, 2)
    np.testing.assert_allclose(surface.function(grid), 0)


def test_points_must_have_two_coordinates():
    with pytest.raises(ValueError, match="2 coordinates"):
        get_surface("bowl").function(np.zeros((4, 3)))


def test_unknown_surface_names_the_choices():
    with pytest.raises(ValueError, match="unknown surface 'egg': choose one of bowl"):
        get_surface("egg")


def test_contains_is_the_view_box():
    bowl = get_surface("bowl")
    assert bowl.contains((5.0, -5.0))
    assert not bowl.contains((5.01, 0.0))
