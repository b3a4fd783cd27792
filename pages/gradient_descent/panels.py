"""What the Gradient-descent lab says about its runs, beside and below the plots.

The regime strip under the η slider, each run's outcome, the comparison table, the code
of the update rules that ran, and the numerical-against-analytic gradient check.
"""

from __future__ import annotations

import inspect
from functools import cache

import pandas as pd
import streamlit as st

from core.calculus import numerical_gradient_batch
from core.descent import CONVERGED, DIVERGED, DIVERGING, DescentResult, quadratic_regime
from core.optimizers import OPTIMIZERS
from core.surfaces import Surface
from dashboard.settings import KEEP
from pages.gradient_descent import figures
from pages.gradient_descent.inputs import Request, shown_step
from pages.gradient_descent.settings import LEARNING_RATES

OUTCOME_STYLES = {CONVERGED: st.success, DIVERGED: st.error, DIVERGING: st.error}  # else warning


def regime_strip(surface: Surface, request: Request, by_rate: bool) -> None:
    """Under the η slider: which regime the maths predicts for SGD here, if it can."""
    curvatures = surface.curvatures
    sgd_runs = [rate for name, rate in request.runs if name == "sgd"]
    if curvatures is not None and sgd_runs and not by_rate:
        regime = quadratic_regime(sgd_runs[0], curvatures)
        st.plotly_chart(
            figures.regime_figure(sgd_runs[0], regime, LEARNING_RATES),
            config={"staticPlot": True},  # a picture: no hover or zoom layers to redraw per η
        )
        st.markdown(f"**SGD with η = {sgd_runs[0]:g}: {regime.name}.** {regime.explanation}")
    elif curvatures is not None:
        oscillates, diverges = quadratic_regime(1.0, curvatures).thresholds
        st.caption(
            f"For SGD here the maths predicts: monotone below η = {oscillates:g}, "
            f"oscillating up to {diverges:g}, diverging above."
        )
    else:
        st.caption(
            "No single formula gives the regimes on this surface: the curvature changes "
            "from place to place. Try it and see."
        )
    st.caption(surface.lesson)


def outcomes(results: list[DescentResult], by_rate: bool) -> None:
    """One run: its outcome. Several: only blow-ups, as the table has every outcome."""
    for result in results:
        if len(results) == 1 or result.status in (DIVERGED, DIVERGING):
            show_outcome = OUTCOME_STYLES.get(result.status, st.warning)
            show_outcome(f"{figures.run_label(result, by_rate)}: {result.describe()}.")


def comparison_table(results: list[DescentResult], by_rate: bool) -> None:
    rows = [
        {
            "run": figures.run_label(result, by_rate),
            "η": f"{result.learning_rate:g}",  # 1e-10, not 0.0000000001
            "final x0": result.final[0],
            "final x1": result.final[1],
            "final loss": result.final_loss,
            "steps to f − min ≤ 1e-6": (
                f"{result.tolerance_step:,}" if result.tolerance_step is not None else "never"
            ),
            "outcome": result.describe(),
        }
        for result in results
    ]
    scientific = st.column_config.NumberColumn(format="%.3e")
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        column_config={"final x0": scientific, "final x1": scientific, "final loss": scientific},
    )


@cache
def rule_source(name: str) -> str:
    """The update rule of an optimizer as written in core/optimizers.py, comment included."""
    rule = OPTIMIZERS[name].step
    return ((inspect.getcomments(rule) or "") + inspect.getsource(rule)).rstrip()


def code_that_ran(request: Request) -> None:
    """The readable rule of each optimizer in the runs: what a student finds in the code.

    Drawn only while the expander is open: closed, it costs a rerun nothing.
    """
    panel = st.expander("The code that ran", key="gd_code_open", on_change="rerun")
    if not panel.open:
        return
    with panel:
        st.caption(
            "Each optimizer's update rule in core/optimizers.py, with Keras' formulas. To "
            "draw every line in one NumPy loop, the page writes each rule as the "
            "coefficients of one shared update (general_step); tests/core/test_optimizers.py "
            "checks, for random settings and learning rates, that it moves as these rules do."
        )
        for name in dict.fromkeys(name for name, _ in request.runs):
            optimizer = OPTIMIZERS[name]
            st.markdown(f"**{optimizer.title}**, as Keras' `{optimizer.keras}`")
            st.code(rule_source(name), language="python")


def more_views(surface: Surface, results: list[DescentResult]) -> None:
    """The 3-D surface and the downhill field, drawn only while their expander is open:
    the WebGL surface costs a browser seconds to redraw, so η does not redraw it unasked."""
    panel = st.expander("3-D view and the downhill field", key="gd_views_open", on_change="rerun")
    if not panel.open:
        return
    with panel:
        columns = st.columns(2)
        columns[0].plotly_chart(figures.surface_figure(surface, results), key="gd_surface_3d")
        columns[1].plotly_chart(figures.field_figure(surface), key="gd_field")


def gradient_check(surface: Surface, results: list[DescentResult], h: float) -> None:
    """At a step of the first run: the numerical gradient beside the analytic one, and error vs h."""
    st.header("Numerical against analytic gradient")
    first = results[0]
    st.session_state.gd_step = shown_step(st.session_state.gd_step, first.steps_taken)
    if first.steps_taken > 0:
        st.slider(
            "Check the gradient at step", 0, first.steps_taken, key="gd_step", persist_state=KEEP
        )
    step = st.session_state.gd_step
    point = first.path[step]
    analytic = surface.gradient(point)
    numerical = numerical_gradient_batch(surface.function, point, h)
    st.markdown(
        f"At step {step} of {figures.run_label(first, False)}, x = ({point[0]:.6g}, "
        f"{point[1]:.6g}), with h = {h:g}:"
    )
    st.dataframe(
        pd.DataFrame(
            {
                "slope": ["∂f/∂x0", "∂f/∂x1"],  # a named header: screen readers read it
                "analytic": analytic,
                "numerical": numerical,
                "difference": numerical - analytic,
            }
        ),
        hide_index=True,
        column_config={
            name: st.column_config.NumberColumn(format="%.6e", width="medium")
            for name in ("analytic", "numerical", "difference")
        },
    )
    st.caption(
        "Big h: the difference quotient is not the slope (truncation error). Tiny h: "
        "f(x+h) and f(x−h) agree in almost every digit and the subtraction keeps only "
        "rounding noise. Central differences cancel the first truncation term, so their "
        "error falls like h²; on a quadratic like the bowl they are exact but for rounding "
        "(an error of exactly 0 leaves a gap in the plot)."
    )
    panel = st.expander("Error of the numerical gradient against h", key="gd_h_open",
                        on_change="rerun")  # fmt: skip
    if panel.open:
        point_key = tuple(float(value) for value in point)
        panel.plotly_chart(figures.h_error_panel(surface.name, point_key, h), key="gd_h_error")
