"""The Gradient-descent lab's widget values as one run for core.descent, or what to fix.

Nothing here draws: `read_request` turns the widget values into a `Request` for
core.descent, or into messages a student can act on, so it is tested without a browser.
A link's values were already checked by the settings table; these checks are for what a
student types into a box that cannot bound it (a start off this surface's plot, an h
too small, 20 000 steps).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.descent import MAX_STEPS, check_h, check_learning_rate
from core.optimizers import HyperParameters
from core.surfaces import SURFACES
from pages.gradient_descent.settings import MAX_RATES, view_box_text


@dataclass(frozen=True)
class Request:
    surface: str  # core.surfaces name
    start: tuple[float, float]  # x0, x1
    runs: tuple[tuple[str, float], ...]  # (optimizer, learning rate) per line on the plots
    steps: int  # already capped to MAX_STEPS
    gradient: str  # analytic | numerical
    h: float  # step of the numerical gradient (also used by the h panel)
    hyper: HyperParameters  # optimizer settings


def parse_rates(text: str) -> tuple[list[float], list[str]]:
    """'0.1, 0.5 1e-3' -> [0.1, 0.5, 0.001]; bad entries become messages."""
    rates, problems = [], []
    for item in text.replace(";", ",").replace(" ", ",").split(","):
        if not item:
            continue
        try:
            rates.append(check_learning_rate(float(item)))
        except ValueError:
            problems.append(f"'{item}' is not a positive learning rate")
    return rates, problems


def read_request(state: dict) -> tuple[Request | None, list[str], list[str]]:
    """(request or None, errors that stop the run, warnings about values that were adjusted)."""
    errors, warnings = [], []
    surface = SURFACES[state["gd_surface"]]
    start = (state["gd_x0"], state["gd_x1"])
    if start[0] is None or start[1] is None:
        errors.append("Type both start coordinates x0 and x1.")
    elif not all(math.isfinite(value) for value in start):
        errors.append(f"The start point must be finite numbers, got ({start[0]}, {start[1]}).")
    elif not surface.contains(start):
        errors.append(
            f"The start point ({start[0]:g}, {start[1]:g}) is outside the view box of "
            f"{surface.title}: {view_box_text(surface)}."
        )
    steps = state["gd_steps"]
    if steps is None or steps < 1:
        errors.append(f"Steps must be at least 1, got {steps}.")
    elif steps > MAX_STEPS:
        warnings.append(f"{steps:,} steps is more than this page runs: capped at {MAX_STEPS:,}.")
        steps = MAX_STEPS
    h = state["gd_h"]
    try:
        h = check_h(h)
    except ValueError as error:
        errors.append(f"Numerical gradient: {error}.")
    try:
        hyper = HyperParameters(
            momentum=state["gd_momentum"],
            rho=state["gd_rho"],
            beta_1=state["gd_beta_1"],
            beta_2=state["gd_beta_2"],
        )
    except (TypeError, ValueError) as error:
        errors.append(f"Optimizer setting: {error}.")
        hyper = None
    runs = _runs(state, errors, warnings)
    if errors:
        return None, errors, warnings
    start = (float(start[0]), float(start[1]))
    request = Request(surface.name, start, runs, int(steps), state["gd_gradient"], h, hyper)
    return request, errors, warnings


def _runs(state, errors, warnings) -> tuple[tuple[str, float], ...]:
    mode = state["gd_mode"]
    if mode == "optimizers":
        if not state["gd_optimizers"]:
            errors.append("Choose at least one optimizer to compare.")
        return tuple((name, state["gd_lr"]) for name in state["gd_optimizers"])
    if mode == "rates":
        rates, problems = parse_rates(state["gd_rates"])
        errors.extend(f"Learning rates: {problem}." for problem in problems)
        if not rates and not problems:
            errors.append("Type at least one learning rate, e.g. 0.1, 0.5, 1.05.")
        if len(rates) > MAX_RATES:
            warnings.append(f"Only the first {MAX_RATES} learning rates are run.")
        unique = list(dict.fromkeys(rates))[:MAX_RATES]
        return tuple((state["gd_optimizer"], rate) for rate in unique)
    return ((state["gd_optimizer"], state["gd_lr"]),)


CLICK_TRACE = 0  # the descent figure's invisible grid over the contours, which clicks select


def start_from_click(selection, surface_name: str) -> tuple[float, float] | None:
    """The start a click on the contour plot asks for: the last clicked point, rounded.

    selection is Streamlit's plotly selection state ({"points": [{"x": .., "y": ..,
    "curve_number": ..}], ...}); only points of the contours' click grid count (a point
    of the loss curve beside it is a step and a loss, not a place). None when nothing
    usable inside the surface's view box was clicked.
    """
    points = [
        point
        for point in (selection or {}).get("points", [])
        if "x" in point and point.get("curve_number") == CLICK_TRACE
    ]
    if not points:
        return None
    try:
        start = (round(float(points[-1]["x"]), 2), round(float(points[-1]["y"]), 2))
    except (KeyError, TypeError, ValueError):
        return None
    return start if SURFACES[surface_name].contains(start) else None


def shown_step(requested: int, longest: int) -> int:
    """The step the step-through slider shows: within the longest path."""
    return int(np.clip(requested, 0, longest))
