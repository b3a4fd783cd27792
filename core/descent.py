"""Gradient descent that keeps its whole path, and says when it diverged instead of printing inf.

    >>> from core.descent import gradient_descent
    >>> result = gradient_descent("bowl", (-3.0, 4.0), lr=0.1, steps=100)
    >>> result.final   # about (-6.1e-10, 8.1e-10), the tutorial's answer

Each run ends with a status: converged; diverged (a coordinate past ±1e6 or non-finite, or
f - min past 10x its start and everything on the plot while still climbing); diverging
(f - min climbing, not that far yet); stuck in a local minimum, at a saddle or on a
plateau (told apart by the curvature where the gradient vanished); still descending; or
not converging (bouncing at a steady loss). `DescentResult.describe()` says it in words.

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
from core.surfaces import Surface, get_surface, highest_gap

MAX_STEPS = 10_000  # more is slow for a page and shows nothing new
DIVERGENCE_BOUND = 1e6  # a coordinate beyond this counts as diverged
GROWTH_FACTOR = 10  # f - min this many times its start, and still rising: diverged too
STEADY_CHANGE = 1e-3  # relative change of the loss envelope per stretch that counts as real
STUCK_GRADIENT = 1e-4  # a gradient this small, above the minimum: local minimum, saddle, plateau
FLAT_CURVATURE = 1e-3  # Hessian eigenvalues smaller than this in size count as flat
CURVATURE_STEP = 1e-4  # h of the central differences of the gradient that give the Hessian
H_RANGE = (1e-12, 1.0)  # h of the numerical gradient the descent accepts, see check_h
GRADIENTS = ("analytic", "numerical")

CONVERGED, DIVERGED, DIVERGING = "converged", "diverged", "diverging"
LOCAL_MINIMUM, SADDLE, PLATEAU = "local minimum", "saddle", "plateau"
DESCENDING, NOT_CONVERGING = "descending", "not converging"
STUCK = (LOCAL_MINIMUM, SADDLE, PLATEAU)  # the gradient vanished above the global minimum
BOUND_RULE, GROWTH_RULE = "bound", "growth"  # why a run counts as diverged


@dataclass(frozen=True)
class DescentResult:
    optimizer: str  # registry name in core.optimizers
    learning_rate: float  # eta
    path: np.ndarray  # (steps kept + 1, d): the start, then every step, never inf/NaN
    losses: np.ndarray  # f at every point of path
    gap: np.ndarray  # losses - the surface's minimum value (0 at the minimum), >= 0
    status: str  # one of the statuses above; describe() says what it means for this run
    diverged_at: int | None  # the step where the divergence rule was first met
    tolerance_step: int | None  # first step with gap <= tolerance, None if never
    steps: int  # steps asked for
    tolerance: float  # gap that counts as converged
    divergence_rule: str | None = None  # BOUND_RULE (path cut before diverged_at) | GROWTH_RULE
    growth_limit: float = math.nan  # the f - min that GROWTH_RULE found exceeded for good
    gradient_norm: float = math.nan  # |grad f| at the last point kept
    curvatures: tuple[float, ...] = ()  # Hessian eigenvalues there, ascending (stuck runs only)
    steepest_down: tuple[float, ...] = ()  # eigenvector of the lowest one (stuck runs only)

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
        """One sentence a student can read: what the run did, with the numbers behind it."""
        if self.status == NOT_CONVERGING:
            return self._bouncing()
        before, after = _distinct(self.gap[0], self.gap[-1])
        limit = f"{GROWTH_FACTOR}× its start value"
        if self.growth_limit > GROWTH_FACTOR * max(self.gap[0], self.tolerance):
            limit = "the highest f − min anywhere on the plot"
        template = _MESSAGES[(self.status, self.divergence_rule)]
        return template.format(
            run=self,
            before=before,
            after=after,
            end=self.gap[-1],
            limit=limit,
            bound=DIVERGENCE_BOUND,
            where=_point(self.final),
            direction=_point(self.steepest_down),
            lowest=self.curvatures[0] if self.curvatures else math.nan,
        )

    def _bouncing(self) -> str:
        recent = self.gap[-_quarter(len(self.gap)) :]
        low, high = recent.min(), recent.max()
        if high - low <= 1e-3 * high:  # the same to 3 digits: say so rather than list noise
            stays = f"stays at {'about ' if low < high else ''}{high:.3g}"
        else:
            stays = "stays between {} and {}".format(*_distinct(low, high))
        if _reverses(self.path):
            return (
                f"bounded oscillation, not converging: f − min {stays} as it jumps back and forth"
            )
        return f"not converging: f − min {stays} over the last {len(recent)} steps"


_MESSAGES = {  # (status, divergence rule): what describe() says, filled in from the run
    (DIVERGED, BOUND_RULE): "diverged at step {run.diverged_at}: a coordinate passed "
    "±{bound:.0e} or stopped being a finite number",
    (DIVERGED, GROWTH_RULE): "diverged at step {run.diverged_at}: from there on f − min stayed "
    "above {run.growth_limit:.3g}, {limit}, and kept growing, to {end:.3g} at step "
    "{run.steps_taken}",
    (CONVERGED, None): "converged: within tolerance from step {run.tolerance_step} "
    "(f − min ≤ {run.tolerance:g}); final loss {run.final_loss:.4g}",
    (DIVERGING, None): "diverging: f − min grew from {before} to {after} in {run.steps_taken} "
    "steps and is still rising",
    (LOCAL_MINIMUM, None): "stuck in a local minimum near {where}: the gradient vanished and f "
    "curves up in every direction, but f − min = {end:.3g} there: the global minimum is lower",
    (SADDLE, None): "stuck at a saddle point near {where}: the gradient vanished, but f curves "
    "down along ±{direction} (curvature {lowest:.3g}), so it is no minimum: a start off this "
    "ridge rolls on",
    (PLATEAU, None): "stuck on a plateau near {where}: the gradient is almost 0 "
    "(|∇f| = {run.gradient_norm:.1e}) and f is flat all around, yet f − min = {end:.3g}: "
    "each step is too small to get anywhere",
    (DESCENDING, None): "still descending after {run.steps_taken} steps: f − min fell from "
    "{before} to {after}; more steps or a larger η would get closer",
}


def _point(values) -> str:
    """(x0, x1) with 3 digits, rounding away float dust like 3e-97 and -0."""
    return "(" + ", ".join(f"{round(value, 6) + 0.0:.3g}" for value in values) + ")"


def _distinct(first: float, second: float) -> tuple[str, str]:
    """Both numbers with the fewest digits (3 at least) that tell them apart."""
    for digits in range(3, 13):
        shown = f"{first:.{digits}g}", f"{second:.{digits}g}"
        if shown[0] != shown[1]:
            return shown
    return shown


def _quarter(count: int) -> int:
    """How many of the last points make up the 'end of the run' for trend checks."""
    return max(1, count // 4)


def _trend(gap: np.ndarray) -> float:
    """Relative change of the largest f - min from the second-last quarter of the run to the
    last: an envelope, so a loss that oscillates while it shrinks counts as falling."""
    if len(gap) < 2:
        return 0.0
    quarter = _quarter(len(gap))
    last, before = gap[-quarter:].max(), gap[-2 * quarter : -quarter].max()
    if before == 0:
        return 0.0 if last == 0 else math.inf
    return float(last / before - 1)


def _rising(gap: np.ndarray) -> bool:
    """Whether f - min climbs steadily: the run cut in 8 stretches, the highest value of each
    of the last 5 clearly above the one before. A loss bouncing around a well rises and
    falls by chance, or creeps by a few digits; a diverging one keeps climbing."""
    peaks = np.array([stretch.max() for stretch in np.array_split(gap, min(8, len(gap)))])[-5:]
    return len(peaks) > 1 and bool(np.all(peaks[1:] > peaks[:-1] * (1 + STEADY_CHANGE)))


def _reverses(path: np.ndarray) -> bool:
    """Whether most steps at the end of the run point back against the step before."""
    steps = np.diff(path[-2 * _quarter(len(path)) - 1 :], axis=0)
    if len(steps) < 2:
        return False
    turns = np.einsum("ij,ij->i", steps[1:], steps[:-1])
    return bool(np.mean(turns < 0) > 0.5)


@dataclass(frozen=True)
class _Problem:
    value_of: Callable[[np.ndarray], np.ndarray]  # (..., d) -> (...)
    gradient_of: Callable[[np.ndarray], np.ndarray]  # (..., d) -> (..., d)
    min_value: float  # what the loss gap is measured from
    highest_gap: float = 0.0  # largest f - min on the plot (0: no plot, a plain function)


def _problem(f, gradient: str, h: float) -> _Problem:
    if gradient not in GRADIENTS:
        raise ValueError(f"gradient must be 'analytic' or 'numerical', got {gradient!r}")
    if gradient == "numerical":
        check_h(h)
    if isinstance(f, str):
        f = get_surface(f)
    if isinstance(f, Surface):
        surface = f
        if gradient == "analytic":
            gradient_of = surface.gradient
        else:
            gradient_of = lambda points: numerical_gradient_batch(surface.function, points, h)  # noqa: E731
        return _Problem(surface.function, gradient_of, surface.min_value, highest_gap(surface))
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


def check_h(h) -> float:
    """h for the numerical gradient: positive, and between H_RANGE's ends.

    Below 1e-12 the difference f(x + h) - f(x - h) is mostly rounding noise, and for tiny h
    x + h rounds back to x: the gradient comes out 0 and descent "stops". Above 1 the
    difference quotient is no longer a slope at x.
    """
    low, high = H_RANGE
    try:
        value = float(h)
    except (TypeError, ValueError):
        raise ValueError(f"h must be a number, got {h!r}") from None
    if not value > 0:
        raise ValueError(f"h must be a positive step, got {h}")
    if not low <= value <= high:
        raise ValueError(
            f"h must be from {low:g} to {high:g}, got {value:g}: "
            + (
                "a smaller step is lost to rounding (x + h rounds to x, the gradient to 0)"
                if value < low
                else "a bigger step measures the slope far from x, not at x"
            )
        )
    return value


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
    found = dict(optimizer=name, learning_rate=float(rate), steps=steps, tolerance=tolerance)
    if bad.any():  # cut before the first bad point: no inf/NaN reaches a plot
        diverged_at = int(np.argmax(bad))
        path, losses = path[:diverged_at], losses[:diverged_at]
        found.update(status=DIVERGED, diverged_at=diverged_at, divergence_rule=BOUND_RULE)
    gap = np.maximum(losses - problem.min_value, 0.0)
    within = np.flatnonzero(gap <= tolerance)
    found.update(
        path=path, losses=losses, gap=gap, tolerance_step=within[0] if within.size else None
    )
    if "status" not in found:
        found.update(_diagnosis(problem, path, gap, tolerance))
    found.setdefault("diverged_at", None)
    if found["tolerance_step"] is not None:
        found["tolerance_step"] = int(found["tolerance_step"])
    return DescentResult(**found)


def _diagnosis(problem, path, gap, tolerance) -> dict:
    """The status of a run that stayed finite and bounded, with what its message needs."""
    if gap[-1] <= tolerance:
        return {"status": CONVERGED}
    # Growing past 10x the start and past anything on the plot, still climbing: diverged,
    # even though no coordinate has reached the hard bound yet.
    limit = max(GROWTH_FACTOR * max(gap[0], tolerance), problem.highest_gap)
    rising = _rising(gap)
    if rising and gap[-1] > limit:
        above = gap > limit
        since = len(gap) - int(np.argmin(above[::-1]))  # after the last step not above
        return {
            "status": DIVERGED,
            "diverged_at": since,
            "divergence_rule": GROWTH_RULE,
            "growth_limit": float(limit),
        }
    if rising and gap[-1] > gap[0]:
        return {"status": DIVERGING}
    norm = float(np.linalg.norm(problem.gradient_of(path[-1])))
    if norm < STUCK_GRADIENT:
        curvatures, directions = _curvature(problem, path[-1])
        if curvatures[0] < -FLAT_CURVATURE:
            status = SADDLE
        elif curvatures[0] > FLAT_CURVATURE:
            status = LOCAL_MINIMUM
        else:
            status = PLATEAU
        return {
            "status": status,
            "gradient_norm": norm,
            "curvatures": tuple(float(value) for value in curvatures),
            "steepest_down": tuple(float(value) for value in directions[:, 0]),
        }
    # A run that jumps back and forth while its loss barely shrinks is bouncing, not
    # descending (RMSprop with a constant η ends like that); a steady crawl is descending.
    trend = _trend(gap)
    if trend < 0 and gap[-1] < gap[0] and (trend < -STEADY_CHANGE or not _reverses(path)):
        return {"status": DESCENDING, "gradient_norm": norm}
    return {"status": NOT_CONVERGING, "gradient_norm": norm}


def _curvature(problem: _Problem, point: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues (ascending) and eigenvectors (columns) of the Hessian at point.

    The Hessian is the derivative of the gradient, by central differences; a negative
    eigenvalue is a direction in which f still falls (a saddle).
    """
    hessian = numerical_gradient_batch(problem.gradient_of, point, CURVATURE_STEP)  # (d, d)
    return np.linalg.eigh((hessian + hessian.T) / 2)


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


STILL = 1e-3  # a factor within this of 1: three digits would print it as 1


def _factor(factor: float) -> str:
    """1 − 2aη as a student can read it: 0.8, −1.02, or 1 − 2e-10 when it rounds to 1."""
    if 0 < 1 - factor < STILL:
        return f"1 − {1 - factor:.2g}"
    return f"{factor:.3g}"


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
        shown = f"x ← ({_factor(factors[0])})·x per step"
    else:
        shown = ", ".join(f"x{i} ← ({_factor(factor)})·x{i}" for i, factor in enumerate(factors))
    if 1 - STILL < size < 1:
        name = "monotone"
        sentence = (
            f"{shown}: each step covers only {1 - size:.2g} of the way to the minimum, "
            "so the point does not visibly move."
        )
    elif size > 1:
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
