"""Loss surfaces of two parameters to run gradient descent on, each with its exact gradient.

Every function takes points of shape (..., 2), column 0 is x0 and column 1 is x1, and
returns values of shape (...) (the gradient: (..., 2)), so a whole grid or a whole batch of
runs is evaluated in one NumPy call. `SURFACES` maps a name to its `Surface`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np

Points = np.ndarray  # (..., 2) float


@dataclass(frozen=True)
class Surface:
    name: str  # registry key, used in URLs
    title: str  # shown in the menu
    formula: str  # LaTeX, shown above the plots
    function: Callable[[Points], np.ndarray]  # f: (..., 2) -> (...)
    gradient: Callable[[Points], np.ndarray]  # grad f: (..., 2) -> (..., 2)
    view_box: tuple[float, float, float, float]  # x0_min, x0_max, x1_min, x1_max
    minima: tuple[tuple[float, float], ...]  # known minima, the global one first
    default_start: tuple[float, float]  # where a first run starts
    default_learning_rate: float  # an eta that shows something interesting here
    curvatures: tuple[float, float] | None  # (a0, a1) when f = a0 x0^2 + a1 x1^2, else None
    lesson: str  # one sentence: what this surface teaches

    @property
    def min_value(self) -> float:
        """f at the global minimum: the loss gap f - min_value is what reaches 0."""
        return float(self.function(np.array(self.minima[0], dtype=float)))

    def contains(self, point) -> bool:
        x0_min, x0_max, x1_min, x1_max = self.view_box
        x0, x1 = (float(value) for value in point)
        return x0_min <= x0 <= x0_max and x1_min <= x1 <= x1_max


def _split(points: Points) -> tuple[np.ndarray, np.ndarray]:
    points = np.asarray(points, dtype=float)
    if points.shape[-1:] != (2,):
        raise ValueError(f"points must have 2 coordinates in the last axis, got {points.shape}")
    return points[..., 0], points[..., 1]


def _stack(d_x0: np.ndarray, d_x1: np.ndarray) -> np.ndarray:
    # Filling an empty array is several times faster than np.stack on the small
    # (runs, 2) batches the descent loop evaluates a thousand times.
    out = np.empty(np.shape(d_x0) + (2,))
    out[..., 0], out[..., 1] = d_x0, d_x1
    return out


# The bowl x0^2 + x1^2: the tutorial's function_2, curvature 2 in every direction.
def bowl(points: Points) -> np.ndarray:
    x0, x1 = _split(points)
    return x0**2 + x1**2


def bowl_gradient(points: Points) -> np.ndarray:
    _split(points)  # shape check
    return 2 * np.asarray(points, dtype=float)  # (2 x0, 2 x1)


# An elongated bowl x0^2/20 + x1^2: 20 times steeper across than along, so one eta
# cannot suit both directions (the optimizer comparison of the tutorial's chapter 6).
def elongated_bowl(points: Points) -> np.ndarray:
    x0, x1 = _split(points)
    return x0**2 / 20 + x1**2


_ELONGATED_SLOPES = np.array([1 / 10, 2.0])


def elongated_bowl_gradient(points: Points) -> np.ndarray:
    _split(points)  # shape check
    return np.asarray(points, dtype=float) * _ELONGATED_SLOPES  # (x0 / 10, 2 x1)


# Rosenbrock (1 - x0)^2 + 100 (x1 - x0^2)^2: a curved, nearly flat valley floor.
def rosenbrock(points: Points) -> np.ndarray:
    x0, x1 = _split(points)
    return (1 - x0) ** 2 + 100 * (x1 - x0**2) ** 2


def rosenbrock_gradient(points: Points) -> np.ndarray:
    x0, x1 = _split(points)
    valley = x1 - x0**2
    return _stack(-2 * (1 - x0) - 400 * x0 * valley, 200 * valley)


# A saddle with two valleys x0^2 + x1^4/4 - x1^2/2: the gradient is zero at (0, 0) but
# that is no minimum; the minima are at (0, +-1).
def saddle(points: Points) -> np.ndarray:
    x0, x1 = _split(points)
    return x0**2 + x1**4 / 4 - x1**2 / 2


def saddle_gradient(points: Points) -> np.ndarray:
    x0, x1 = _split(points)
    return _stack(2 * x0, x1**3 - x1)


# Two wells on a plateau: 1 - exp(-|x-a|^2/2) - 0.6 exp(-|x-b|^2/0.5). A deep wide well
# at a, a shallow narrow one near b (a local minimum), and far away f is almost exactly 1
# with a gradient too small to move: the plateau.
_DEEP_WELL = np.array([1.5, 1.5])
_SHALLOW_WELL = np.array([-1.5, -1.0])


def _well_terms(points: Points) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    points = np.asarray(points, dtype=float)
    _split(points)  # shape check
    to_deep, to_shallow = points - _DEEP_WELL, points - _SHALLOW_WELL
    # einsum: |d|^2 per point, several times faster than np.sum(d**2, axis=-1) on the
    # small (runs, 2) batches of the descent loop
    deep = np.exp(-np.einsum("...i,...i->...", to_deep, to_deep) / 2)
    shallow = 0.6 * np.exp(-np.einsum("...i,...i->...", to_shallow, to_shallow) / 0.5)
    return deep, shallow, to_deep, to_shallow


def wells(points: Points) -> np.ndarray:
    deep, shallow, _, _ = _well_terms(points)
    return 1 - deep - shallow


def wells_gradient(points: Points) -> np.ndarray:
    deep, shallow, to_deep, to_shallow = _well_terms(points)
    # d/dx of -c exp(-|x-m|^2/s) is c exp(...) * 2 (x-m) / s
    return deep[..., None] * to_deep + (4 * shallow)[..., None] * to_shallow


SURFACES: dict[str, Surface] = {
    surface.name: surface
    for surface in (
        Surface(
            "bowl",
            "Bowl x0² + x1²",
            r"f(x_0, x_1) = x_0^2 + x_1^2",
            bowl,
            bowl_gradient,
            (-5.0, 5.0, -5.0, 5.0),
            ((0.0, 0.0),),
            (-3.0, 4.0),
            0.1,
            (1.0, 1.0),
            "Each step multiplies x by (1 - 2η): the learning rate alone decides the regime.",
        ),
        Surface(
            "elongated",
            "Elongated bowl x0²/20 + x1²",
            r"f(x_0, x_1) = \frac{x_0^2}{20} + x_1^2",
            elongated_bowl,
            elongated_bowl_gradient,
            (-10.0, 10.0, -5.0, 5.0),
            ((0.0, 0.0),),
            (-7.0, 2.0),
            0.9,
            (0.05, 1.0),
            "Ill-conditioned: an η that is safe across the valley crawls along it; "
            "momentum and adaptive optimizers help.",
        ),
        Surface(
            "rosenbrock",
            "Rosenbrock valley",
            r"f(x_0, x_1) = (1 - x_0)^2 + 100\,(x_1 - x_0^2)^2",
            rosenbrock,
            rosenbrock_gradient,
            (-2.0, 2.0, -1.0, 3.0),
            ((1.0, 1.0),),
            (-1.5, 2.0),
            0.001,
            None,
            "The valley is easy to find and slow to follow: plain SGD needs a tiny η.",
        ),
        Surface(
            "saddle",
            "Saddle with two valleys",
            r"f(x_0, x_1) = x_0^2 + \frac{x_1^4}{4} - \frac{x_1^2}{2}",
            saddle,
            saddle_gradient,
            (-3.0, 3.0, -2.0, 2.0),
            ((0.0, 1.0), (0.0, -1.0)),
            (2.5, 0.0),
            0.1,
            None,
            "The gradient is zero at the saddle (0, 0): started on x1 = 0, descent stops "
            "there although it is no minimum. Nudge x1 and it rolls into a valley.",
        ),
        Surface(
            "wells",
            "Two wells on a plateau",
            r"f(x) = 1 - e^{-\lVert x - (1.5,\,1.5)\rVert^2/2}"
            r" - 0.6\,e^{-\lVert x - (-1.5,\,-1)\rVert^2/0.5}",
            wells,
            wells_gradient,
            (-4.0, 4.0, -4.0, 4.0),
            ((1.5, 1.5), (-1.499388104483, -0.999490087069)),
            (-2.5, -2.0),
            0.5,
            None,
            "Started near the shallow well, descent settles in a local minimum; "
            "started far away, the plateau's gradient is too small to move at all.",
        ),
    )
}
DEFAULT_SURFACE = "bowl"


def get_surface(name: str) -> Surface:
    if name not in SURFACES:
        raise ValueError(f"unknown surface {name!r}: choose one of {', '.join(SURFACES)}")
    return SURFACES[name]


def surface_grid(
    surface: Surface, resolution: int = 80
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x0 values, x1 values and f on their grid (z[i, j] = f(x0[j], x1[i]), Plotly's layout)."""
    if resolution < 2:
        raise ValueError(f"a grid needs at least 2 points per side, got {resolution}")
    x0_min, x0_max, x1_min, x1_max = surface.view_box
    x0 = np.linspace(x0_min, x0_max, resolution)
    x1 = np.linspace(x1_min, x1_max, resolution)
    grid = np.stack(np.meshgrid(x0, x1), axis=-1)  # (len(x1), len(x0), 2)
    return x0, x1, surface.function(grid)


@cache
def highest_gap(surface: Surface) -> float:
    """The largest f - min on the plot (its grid, corners included): a run whose loss
    climbs above it has left the part of the surface the page shows."""
    _, _, z = surface_grid(surface)
    return float(z.max() - surface.min_value)
