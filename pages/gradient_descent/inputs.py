"""The Gradient-descent lab's controls as plain values: defaults, the learning-rate grid, checks.

Nothing here draws: `read_request` turns the widget values into a `Request` for
core.descent, or into messages a student can act on, so it is tested without a browser.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.descent import MAX_STEPS, check_h, check_learning_rate
from core.optimizers import OPTIMIZERS, HyperParameters
from core.surfaces import DEFAULT_SURFACE, SURFACES
from dashboard.settings import nearest_on_log_scale

MODES = {
    "one": "One optimizer",
    "optimizers": "Compare optimizers",
    "rates": "Compare learning rates",
}
GRADIENT_LABELS = {
    "analytic": "Analytic (exact formula)",
    "numerical": "Numerical (central difference)",
}
MAX_RATES = 8  # runs in 'compare learning rates': more lines than a plot can show apart

DEFAULTS = {
    "gd_surface": DEFAULT_SURFACE,
    "gd_x0": -3.0,
    "gd_x1": 4.0,
    "gd_lr": 0.1,
    "gd_steps": 100,
    "gd_mode": "one",
    "gd_optimizer": "sgd",
    "gd_optimizers": list(OPTIMIZERS),
    "gd_rates": "0.1, 0.4, 0.9, 1.02",
    "gd_gradient": "analytic",
    "gd_h": 1e-4,
    "gd_momentum": 0.9,
    "gd_rho": 0.9,
    "gd_beta_1": 0.9,
    "gd_beta_2": 0.999,
    "gd_step": 0,  # the step the marker and the gradient check are at
}


def learning_rate_grid() -> list[float]:
    """1e-10 to 10 in even log steps, plus the values around the bowl's thresholds 0.5 and 1."""
    mantissas = (1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9)
    grid = {float(f"{m}e{exponent}") for exponent in range(-10, 1) for m in mantissas}
    grid |= {0.45, 0.49, 0.51, 0.55, 0.95, 0.99, 1.01, 1.02, 1.05, 1.1, 1.2, 1.5, 2.5, 10.0}
    return sorted(grid)


LEARNING_RATES = learning_rate_grid()


def format_rate(value: float) -> str:
    return f"{value:g}"  # 1.5e-10, 0.001, 0.5, 10


def fix_link_values(state: dict, linked: set[str] = frozenset()) -> list[str]:
    """Make values that came from a link fit their widgets; say what was changed.

    Widgets with fixed choices would raise on a value they do not offer, so such a
    value is replaced before they are drawn (the number inputs are checked later).
    A link that names a surface but not a start or η gets the surface's own.
    """
    messages = []
    choices = {
        "gd_surface": SURFACES,
        "gd_mode": MODES,
        "gd_optimizer": OPTIMIZERS,
        "gd_gradient": GRADIENT_LABELS,
    }
    for key, allowed in choices.items():
        if state.get(key) not in allowed:
            messages.append(f"{state.get(key)!r} is not a choice for {key[3:]}: using the default.")
            state[key] = DEFAULTS[key]
    surface = SURFACES[state["gd_surface"]]
    if "gd_surface" in linked:
        for key, value in zip(("gd_x0", "gd_x1"), surface.default_start):
            if key not in linked:
                state[key] = value
        if "gd_lr" not in linked:
            state["gd_lr"] = surface.default_learning_rate
    kept = [name for name in state.get("gd_optimizers", []) if name in OPTIMIZERS]
    if kept != list(state.get("gd_optimizers", [])):
        messages.append("Unknown optimizer names in the link were dropped.")
        state["gd_optimizers"] = kept
    rate = state.get("gd_lr")
    try:
        rate = check_learning_rate(rate)
    except ValueError as error:
        messages.append(f"Link value ignored: {error}. Using η = {DEFAULTS['gd_lr']}.")
        state["gd_lr"] = DEFAULTS["gd_lr"]
    else:
        if rate not in LEARNING_RATES:
            state["gd_lr"] = nearest_on_log_scale(LEARNING_RATES, rate)
            messages.append(f"η = {rate:g} is not on the slider: using {state['gd_lr']:g}.")
    return messages


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
        x0_min, x0_max, x1_min, x1_max = surface.view_box
        errors.append(
            f"The start point ({start[0]:g}, {start[1]:g}) is outside the view box of "
            f"{surface.title}: x0 in [{x0_min:g}, {x0_max:g}], x1 in [{x1_min:g}, {x1_max:g}]."
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


def start_from_click(selection, surface_name: str) -> tuple[float, float] | None:
    """The start a click on the contour plot asks for: the last clicked point, rounded.

    selection is Streamlit's plotly selection state ({"points": [{"x": .., "y": ..}], ...});
    None when nothing usable inside the surface's view box was clicked.
    """
    points = [point for point in (selection or {}).get("points", []) if "x" in point]
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
