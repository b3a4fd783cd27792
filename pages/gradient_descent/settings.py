"""The Gradient-descent lab's settings: one table drives its link, defaults and checks.

Each setting's key is its widget's key and its URL parameter. What the table cannot say
alone is in `fit_link`: a link that names a surface but no start or η gets the surface's
own, and a start off the surface's plot gets the surface's start.
"""

from __future__ import annotations

import dataclasses
from collections.abc import MutableMapping

from core.descent import H_RANGE, MAX_STEPS
from core.optimizers import OPTIMIZERS
from core.surfaces import DEFAULT_SURFACE, SURFACES, Surface
from dashboard.settings import (
    CHOICE,
    CHOICES,
    NUMBER,
    NUMBERS,
    WHOLE,
    OpenedLink,
    PageSettings,
    Setting,
)

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


def learning_rate_grid() -> list[float]:
    """1e-10 to 10 in even log steps, plus the values around the bowl's thresholds 0.5 and 1."""
    mantissas = (1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9)
    grid = {float(f"{m}e{exponent}") for exponent in range(-10, 1) for m in mantissas}
    grid |= {0.45, 0.49, 0.51, 0.55, 0.95, 0.99, 1.01, 1.02, 1.05, 1.1, 1.2, 1.5, 2.5, 10.0}
    return sorted(grid)


LEARNING_RATES = learning_rate_grid()


def format_rate(value: float) -> str:
    return f"{value:g}"  # 1.5e-10, 0.001, 0.5, 10


def decay(key: str, default: float, label: str) -> Setting:
    """A decay from 0 up to, but not including, 1: a decay of 1 never forgets a step."""
    return Setting(key, default, label, kind=NUMBER, low=0, below=1)


SETTINGS = PageSettings(
    "gradient_descent",
    [
        Setting("gd_surface", DEFAULT_SURFACE, "surface", kind=CHOICE, choices=SURFACES),
        Setting("gd_x0", -3.0, "start x0", kind=NUMBER),
        Setting("gd_x1", 4.0, "start x1", kind=NUMBER),
        Setting(
            "gd_lr",
            0.1,
            "learning rate η",
            kind=NUMBER,
            low=LEARNING_RATES[0],
            high=LEARNING_RATES[-1],
            grid=LEARNING_RATES,
        ),
        # More than MAX_STEPS typed in the box is capped with a warning (see read_request).
        Setting("gd_steps", 100, "steps", kind=WHOLE, low=1, high=MAX_STEPS),
        Setting("gd_mode", "one", "run", kind=CHOICE, choices=MODES),
        Setting("gd_optimizer", "sgd", "optimizer", kind=CHOICE, choices=OPTIMIZERS),
        Setting(
            "gd_optimizers",
            list(OPTIMIZERS),
            "optimizers to compare",
            kind=CHOICES,
            choices=OPTIMIZERS,
            max_items=len(OPTIMIZERS),
        ),
        Setting(  # a rate of 0 never moves, a negative one climbs
            "gd_rates",
            "0.1, 0.4, 0.9, 1.02",
            "learning rates to compare",
            kind=NUMBERS,
            above=0,
            max_items=MAX_RATES,
        ),
        Setting("gd_gradient", "analytic", "gradient", kind=CHOICE, choices=GRADIENT_LABELS),
        Setting(
            "gd_h",
            1e-4,
            "h for the numerical gradient",
            kind=NUMBER,
            low=H_RANGE[0],
            high=H_RANGE[1],
        ),
        decay("gd_momentum", 0.9, "momentum μ"),
        decay("gd_rho", 0.9, "RMSprop ρ"),
        decay("gd_beta_1", 0.9, "Adam β1"),
        decay("gd_beta_2", 0.999, "Adam β2"),
        # The step the gradient check is at (the plots step in the browser): in links.
        Setting("gd_step", 0, "step of the gradient check", kind=WHOLE, low=0, high=MAX_STEPS),
    ],
)


def open_link() -> OpenedLink:
    """Before the widgets: a link's values into the state, with every sentence about them."""
    import streamlit as st

    opened = SETTINGS.sync_from_link()
    fitted = fit_link(st.session_state, opened.keys)
    return dataclasses.replace(opened, problems=opened.problems + fitted)


def fit_link(state: MutableMapping, keys: frozenset[str]) -> list[str]:
    """What a just-opened link (its parameter names `keys`) needs beyond the table's checks."""
    if not keys:
        return []
    surface = SURFACES[state["gd_surface"]]
    if "gd_surface" in keys:  # the surface's own start and η, unless the link names them
        for key, value in zip(("gd_x0", "gd_x1"), surface.default_start):
            if key not in keys:
                state[key] = value
        if "gd_lr" not in keys:
            state["gd_lr"] = surface.default_learning_rate
    problems = []
    start = (state["gd_x0"], state["gd_x1"])
    if not surface.contains(start):
        state["gd_x0"], state["gd_x1"] = surface.default_start
        problems.append(off_the_plot(surface, start))
    return problems


def off_the_plot(surface: Surface, start: tuple[float, float]) -> str:
    used = ", ".join(f"{value:g}" for value in surface.default_start)
    return (
        f"The link's start ({start[0]:g}, {start[1]:g}) is outside the view box of "
        f"{surface.title}: {view_box_text(surface)}; using ({used})."
    )


def view_box_text(surface: Surface) -> str:
    x0_min, x0_max, x1_min, x1_max = surface.view_box
    return f"x0 must be from {x0_min:g} to {x0_max:g} and x1 from {x1_min:g} to {x1_max:g}"
