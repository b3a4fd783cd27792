"""Gradient descent that keeps its whole path, and says when it diverged instead of printing inf.

    >>> from core.descent import gradient_descent
    >>> result = gradient_descent("bowl", (-3.0, 4.0), lr=0.1, steps=100)
    >>> result.final   # about (-6.1e-10, 8.1e-10), the tutorial's answer

Many runs (several optimizers, several learning rates) go through one loop over steps,
each step one set of NumPy operations on an array of shape (runs, 2); see
`core.optimizers.general_step` for the update they share.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from core.calculus import numerical_gradient, numerical_gradient_batch
from core.optimizers import (
    Coefficients,
    HyperParameters,
    bias_corrected_rates,
    coefficients,
    general_step,
    get_optimizer,
)
from core.surfaces import Surface, get_surface

MAX_STEPS = 10_000  # more is slow for a page and shows nothing new
DIVERGENCE_BOUND = 1e6  # a coordinate beyond this counts as diverged
STUCK_GRADIENT = 1e-4  # a gradient this small, above the minimum: local minimum, saddle, plateau
GRADIENTS = ("analytic", "numerical")

CONVERGED, STUCK, FINISHED, DIVERGED = "converged", "stuck", "finished", "diverged"


@dataclass(frozen=True)
class DescentResult:
    optimizer: str  # registry name in core.optimizers
    learning_rate: float  # eta
    path: np.ndarray  # (steps taken + 1, d): the start, then every step, never inf/NaN
    losses: np.ndarray  # f at every point of path
    gap: np.ndarray  # losses - the surface's minimum value (0 at the minimum), >= 0
    status: str  # converged | stuck | finished | diverged
    diverged_at: int | None  # the step whose point was non-finite or beyond the bound
    tolerance_step: int | None  # first step with gap <= tolerance, None if never
    steps: int  # steps asked for

    @property
    def final(self) -> np.ndarray:
        return self.path[-1]

    @property
    def final_loss(self) -> float:
        return float(self.losses[-1])

    @property
    def steps_taken(self) -> int:
        return len(self.path) - 1

    def describe(self) -> str:
        if self.status == DIVERGED:
            return f"diverged at step {self.diverged_at}"
        if self.status == CONVERGED:
            return f"converged: within tolerance from step {self.tolerance_step}"
        if self.status == STUCK:
            return (
                "stuck: the gradient vanished above the minimum (local minimum, saddle or plateau)"
            )
        return f"still descending after {self.steps} steps"


@dataclass(frozen=True)
class _Problem:
    value_of: Callable[[np.ndarray], np.ndarray]  # (..., d) -> (...)
    gradient_of: Callable[[np.ndarray], np.ndarray]  # (..., d) -> (..., d)
    min_value: float  # what the loss gap is measured from


def _problem(f, gradient: str, h: float) -> _Problem:
    if gradient not in GRADIENTS:
        raise ValueError(f"gradient must be 'analytic' or 'numerical', got {gradient!r}")
    if gradient == "numerical" and not h > 0:
        raise ValueError(f"h must be a positive step, got {h}")
    if isinstance(f, str):
        f = get_surface(f)
    if isinstance(f, Surface):
        if gradient == "analytic":
            return _Problem(f.function, f.gradient, f.min_value)
        surface = f
        return _Problem(
            surface.function,
            lambda points: numerical_gradient_batch(surface.function, points, h),
            surface.min_value,
        )
    if not callable(f):
        raise ValueError("f must be a surface name, a Surface, or a function of one point")
    if gradient == "analytic":
        raise ValueError(
            "a plain function has no analytic gradient here: pass gradient='numerical' "
            "or use a surface name such as 'bowl'"
        )

    # A plain function of one point (the tutorial's function_2): slow, one point at a time.
    def value_of(points):
        flat = points.reshape(-1, points.shape[-1])
        return np.array([f(point) for point in flat], dtype=float).reshape(points.shape[:-1])

    def gradient_of(points):
        flat = points.reshape(-1, points.shape[-1])
        rows = [numerical_gradient(f, point.copy(), h) for point in flat]
        return np.array(rows, dtype=float).reshape(points.shape)

    return _Problem(value_of, gradient_of, 0.0)


def check_learning_rate(learning_rate) -> float:
    try:
        value = float(learning_rate)
    except (TypeError, ValueError):
        raise ValueError(f"the learning rate must be a number, got {learning_rate!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"the learning rate must be a positive number, got {learning_rate}")
    return value


def check_steps(steps) -> int:
    try:
        whole = not isinstance(steps, bool) and float(steps).is_integer()
    except (TypeError, ValueError):
        whole = False
    if not whole:
        raise ValueError(f"steps must be a whole number, got {steps}")
    steps = int(steps)
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    if steps > MAX_STEPS:
        raise ValueError(f"steps must be at most {MAX_STEPS}, got {steps}")
    return steps


def check_start(init) -> np.ndarray:
    try:
        start = np.array(init, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError(f"the start point must be numbers, got {init!r}") from None
    if start.size == 0 or not np.isfinite(start).all():
        raise ValueError(f"the start point must be finite numbers, got {init}")
    if (np.abs(start) > DIVERGENCE_BOUND).any():
        raise ValueError(f"the start point must be within ±{DIVERGENCE_BOUND:g}, got {init}")
    return start


def _coefficient_arrays(per_run: list[Coefficients], dimensions: int) -> Coefficients:
    """One Coefficients whose fields are (runs, d) arrays, so no broadcasting inside the loop."""
    names = Coefficients.__dataclass_fields__
    return Coefficients(
        **{
            name: np.repeat(
                np.array([getattr(c, name) for c in per_run], dtype=float)[:, None],
                dimensions,
                axis=1,
            )
            for name in names
        }
    )


def _descend(problem: _Problem, starts, rates, per_run, steps) -> np.ndarray:
    """The loop: path of shape (steps + 1, runs, d); rows after a run blew up may be inf/NaN."""
    runs, dimensions = starts.shape
    c = _coefficient_arrays(per_run, dimensions)
    rate_per_step = bias_corrected_rates(
        np.repeat(rates[:, None], dimensions, axis=1), c.bias_1, c.bias_2, steps
    )
    path = np.empty((steps + 1, runs, dimensions))
    path[0] = params = starts
    moments = (np.zeros_like(starts), c.v_initial.copy())
    with np.errstate(all="ignore"):
        for step in range(steps):
            params, moments = general_step(
                params, problem.gradient_of(params), moments, rate_per_step[step], c
            )
            path[step + 1] = params
            if step % 64 == 63 and not (np.abs(params) <= DIVERGENCE_BOUND).any():
                path[step + 2 :] = np.nan  # every run has left: nothing more to compute
                break
    return path


def compare(
    f,
    init,
    runs: Sequence[tuple[str, float]],
    steps: int,
    gradient: str = "analytic",
    h: float = 1e-4,
    hyper: HyperParameters | None = None,
    tolerance: float = 1e-6,
) -> list[DescentResult]:
    """Several (optimizer, learning rate) runs from the same start, in one vectorised loop."""
    hyper = hyper or HyperParameters()
    problem = _problem(f, gradient, h)
    steps = check_steps(steps)
    start = check_start(init)
    if not runs:
        raise ValueError("choose at least one optimizer and learning rate to run")
    if not tolerance > 0:
        raise ValueError(f"tolerance must be positive, got {tolerance}")
    names = [get_optimizer(name).name for name, _ in runs]
    rates = np.array([check_learning_rate(rate) for _, rate in runs])
    starts = np.repeat(start[None], len(runs), axis=0)
    path = _descend(problem, starts, rates, [coefficients(n, hyper) for n in names], steps)
    with np.errstate(all="ignore"):
        losses = problem.value_of(path)  # (steps + 1, runs)
        bad = ~np.isfinite(losses) | ~(np.abs(path) <= DIVERGENCE_BOUND).all(axis=-1)
    return [
        _result(problem, names[i], rates[i], path[:, i], losses[:, i], bad[:, i], steps, tolerance)
        for i in range(len(runs))
    ]


def _result(problem, name, rate, path, losses, bad, steps, tolerance) -> DescentResult:
    diverged_at = int(np.argmax(bad)) if bad.any() else None
    kept = slice(None, diverged_at)
    path, losses = path[kept], losses[kept]
    gap = np.maximum(losses - problem.min_value, 0.0)
    within = np.flatnonzero(gap <= tolerance)
    tolerance_step = int(within[0]) if within.size else None
    if diverged_at is not None:
        status = DIVERGED
    elif gap[-1] <= tolerance:
        status = CONVERGED
    elif np.linalg.norm(problem.gradient_of(path[-1])) < STUCK_GRADIENT:
        status = STUCK
    else:
        status = FINISHED
    return DescentResult(
        name, float(rate), path, losses, gap, status, diverged_at, tolerance_step, steps
    )


def gradient_descent(
    f,
    init,
    lr: float,
    steps: int = 100,
    optimizer: str = "sgd",
    gradient: str = "analytic",
    h: float = 1e-4,
    hyper: HyperParameters | None = None,
    tolerance: float = 1e-6,
) -> DescentResult:
    """Descend f from init: f is a surface name ('bowl'), a Surface, or a function of a point.

    A plain function (like the tutorial's `lambda x: x[0]**2 + x[1]**2`) needs
    gradient='numerical' and works in any dimension.
    """
    return compare(f, init, [(optimizer, lr)], steps, gradient, h, hyper, tolerance)[0]


@dataclass(frozen=True)
class Regime:
    name: str  # monotone | one step | oscillating | bounded | diverging
    factor: float  # largest |1 - 2 a eta|: how much each step multiplies the distance
    thresholds: tuple[float, float]  # eta where oscillation starts and where divergence starts
    explanation: str  # one sentence for the page


def quadratic_regime(learning_rate: float, curvatures: tuple[float, float]) -> Regime:
    """Plain SGD on f = sum a_i x_i^2: x_i <- (1 - 2 a_i eta) x_i, so eta alone decides.

    Each factor in [0, 1) shrinks without sign changes, in (-1, 0) it shrinks while
    flipping sign, beyond 1 in size it grows. The steepest direction (largest a) flips
    first: at eta = 1/(2 a_max), and grows from eta = 1/a_max.
    """
    eta = check_learning_rate(learning_rate)
    factors = [1 - 2 * a * eta for a in curvatures]
    steepest = max(curvatures)
    thresholds = (1 / (2 * steepest), 1 / steepest)
    size = max(abs(factor) for factor in factors)
    if len(set(factors)) == 1:
        shown = f"x ← ({factors[0]:.3g})·x per step"
    else:
        shown = ", ".join(f"x{i} ← ({factor:.3g})·x{i}" for i, factor in enumerate(factors))
    if size > 1:
        name, sentence = "diverging", f"{shown}: each step throws the point further out."
    elif size == 1:
        name, sentence = "bounded", f"{shown}: the point jumps back and forth forever."
    elif all(factor == 0 for factor in factors):
        name, sentence = "one step", "x ← 0·x: the first step lands exactly on the minimum."
    elif min(factors) < 0:
        name, sentence = "oscillating", f"{shown}: it overshoots, flipping sign, but converges."
    else:
        name, sentence = "monotone", f"{shown}: it slides straight down without overshooting."
    return Regime(name, size, thresholds, sentence)
