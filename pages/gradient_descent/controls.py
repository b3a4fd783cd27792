"""The Gradient-descent lab's control columns: surface and start, η, what to run, gradient.

Every widget's key is its setting's key (pages/gradient_descent/settings.py), so the
table's link, defaults and checks apply to it; persist_state=KEEP keeps a value while
its widget is hidden (e.g. the optimizer list in 'one optimizer' mode).
"""

from __future__ import annotations

import streamlit as st

from core.descent import MAX_STEPS
from core.optimizers import OPTIMIZERS
from core.surfaces import SURFACES, get_surface
from dashboard.formula import formula
from dashboard.settings import KEEP
from pages.gradient_descent.inputs import start_from_click
from pages.gradient_descent.settings import GRADIENT_LABELS, LEARNING_RATES, MODES, format_rate


def reset_for_surface():
    """A new surface starts from its own start point and learning rate."""
    surface = SURFACES[st.session_state.gd_surface]
    st.session_state.gd_x0, st.session_state.gd_x1 = surface.default_start
    st.session_state.gd_lr = surface.default_learning_rate


MOVED_START = "_gd_start_moved"  # a click moved the start: the whole page must redraw


def start_at_click():
    """A click on the contour plot (key gd_contour) moves the start there."""
    clicked = st.session_state.gd_contour.selection
    start = start_from_click(clicked, st.session_state.gd_surface)
    if start is not None:
        st.session_state.gd_x0, st.session_state.gd_x1 = start
        st.session_state[MOVED_START] = True  # the start boxes are outside the lab's fragment


def titles(table: dict):
    """A widget's format_func that shows each name's title (core's tables have one)."""
    return lambda name: table[name].title


def draw_controls() -> None:
    """One row of the choices a student makes most (surface, start, steps, what to run),
    the rest in an expander, then the surface's formula across the page: compact, so the
    η slider and the plot are near the top on a projector."""
    surface_column, start_column, run_column = st.columns([1.1, 1, 1.6], gap="medium")
    with surface_column:
        st.selectbox(
            "Surface", list(SURFACES), format_func=titles(SURFACES), key="gd_surface",
            on_change=reset_for_surface, persist_state=KEEP,
        )  # fmt: skip
        st.number_input(
            "Steps",
            key="gd_steps",
            step=10,
            help=f"1 to {MAX_STEPS:,}; more is capped.",
            persist_state=KEEP,
        )
    with start_column:
        st.number_input("Start x0", key="gd_x0", step=0.5, persist_state=KEEP)
        st.number_input("Start x1", key="gd_x1", step=0.5, persist_state=KEEP)
    with run_column:
        what_to_run()
    gradient_and_optimizer_settings()
    formula(get_surface(st.session_state.gd_surface).formula)


def learning_rate_slider() -> st.delta_generator.DeltaGenerator:
    """The η slider (hidden when each run has its own η); returns the slot under it."""
    if st.session_state.gd_mode == "rates":
        st.caption("Each line runs with its own η, typed in 'Learning rates to compare' above.")
    else:
        st.select_slider(
            "Learning rate η (log scale)",
            options=LEARNING_RATES,
            format_func=format_rate,
            key="gd_lr",
            persist_state=KEEP,
        )
    return st.container()


def what_to_run() -> None:
    """The mode, its optimizer(s) or learning rates, the gradient and optimizer settings."""
    st.radio(
        "Run",
        list(MODES),
        format_func=MODES.get,
        key="gd_mode",
        horizontal=True,
        persist_state=KEEP,
    )
    mode = st.session_state.gd_mode
    if mode == "optimizers":
        pick, label, key = st.multiselect, "Optimizers (all with the η above)", "gd_optimizers"
    else:
        pick, label, key = st.selectbox, "Optimizer", "gd_optimizer"
    pick(label, list(OPTIMIZERS), format_func=titles(OPTIMIZERS), key=key, persist_state=KEEP)
    if mode == "rates":
        st.text_input(
            "Learning rates to compare",
            key="gd_rates",
            help="Separated by commas, e.g. 0.1, 0.5, 0.9, 1.05",
            persist_state=KEEP,
        )


def gradient_and_optimizer_settings() -> None:
    with st.expander("Gradient and optimizer settings"):
        gradient, h = st.columns(2)
        gradient.radio(
            "Gradient", list(GRADIENT_LABELS), format_func=GRADIENT_LABELS.get,
            key="gd_gradient", persist_state=KEEP,
        )  # fmt: skip
        h.number_input(
            "h for the numerical gradient", key="gd_h", format="%.0e", step=1e-5,
            persist_state=KEEP,
        )  # fmt: skip
        settings = st.columns(4)
        settings[0].number_input("momentum μ", key="gd_momentum", step=0.05, persist_state=KEEP)
        settings[1].number_input("RMSprop ρ", key="gd_rho", step=0.05, persist_state=KEEP)
        settings[2].number_input("Adam β1", key="gd_beta_1", step=0.05, persist_state=KEEP)
        settings[3].number_input(
            "Adam β2", key="gd_beta_2", step=0.001, format="%.3f", persist_state=KEEP
        )
        st.caption("AdaGrad starts its sum at 0.1 and all use ε = 1e-7, as Keras does.")
