"""Gradient-descent lab: a learning rate converges, oscillates or explodes; optimizers race."""

import pandas as pd
import streamlit as st

from core.calculus import numerical_gradient_batch
from core.descent import (
    CONVERGED,
    DIVERGED,
    DIVERGING,
    MAX_STEPS,
    compare,
    quadratic_regime,
)
from core.optimizers import OPTIMIZERS
from core.surfaces import SURFACES, get_surface
from dashboard.url_state import KEEP, seed_from_url, write_to_url
from pages.gradient_descent import figures
from pages.gradient_descent.inputs import (
    DEFAULTS,
    GRADIENT_LABELS,
    LEARNING_RATES,
    MODES,
    fix_link_values,
    format_rate,
    read_request,
    shown_step,
    start_from_click,
)

TOLERANCE = 1e-6  # "steps to f − min ≤ 1e-6" in the comparison table
OUTCOME_STYLES = {CONVERGED: st.success, DIVERGED: st.error, DIVERGING: st.error}  # else warning

first_visit = "gd_surface" not in st.session_state
link_problems = seed_from_url(DEFAULTS, page="gradient_descent")
for key, default in DEFAULTS.items():
    st.session_state.setdefault(key, default)
linked = {key for key in DEFAULTS if key in st.query_params} if first_visit else set()
link_problems += fix_link_values(st.session_state, linked)


def reset_for_surface():
    """A new surface starts from its own start point and learning rate."""
    surface = SURFACES[st.session_state.gd_surface]
    st.session_state.gd_x0, st.session_state.gd_x1 = surface.default_start
    st.session_state.gd_lr = surface.default_learning_rate
    st.session_state.gd_step = 0


def start_at_click():
    """A click on the contour plot moves the start there."""
    clicked = st.session_state.gd_contour.selection
    start = start_from_click(clicked, st.session_state.gd_surface)
    if start is not None:
        st.session_state.gd_x0, st.session_state.gd_x1 = start
        st.session_state.gd_step = 0


st.title("Gradient-descent lab")
st.caption(
    "Slide the learning rate η and watch x ← x − η∇f(x) slide, zig-zag or fly off; "
    "then race the optimizers Keras offers from the same start."
)
for problem in link_problems:
    st.warning(problem)

controls = st.columns([1.1, 1.5, 1.2], gap="medium")
with controls[0]:
    st.selectbox(
        "Surface",
        list(SURFACES),
        format_func=lambda name: SURFACES[name].title,
        key="gd_surface",
        on_change=reset_for_surface,
        persist_state=KEEP,
    )
    surface = get_surface(st.session_state.gd_surface)
    st.latex(surface.formula)
    start_columns = st.columns(2)
    start_columns[0].number_input("Start x0", key="gd_x0", step=0.5, persist_state=KEEP)
    start_columns[1].number_input("Start x1", key="gd_x1", step=0.5, persist_state=KEEP)
    st.number_input(
        "Steps",
        key="gd_steps",
        step=10,
        help=f"1 to {MAX_STEPS:,}; more is capped.",
        persist_state=KEEP,
    )
with controls[1]:
    st.select_slider(
        "Learning rate η (log scale)",
        options=LEARNING_RATES,
        format_func=format_rate,
        key="gd_lr",
        persist_state=KEEP,
    )
    regime_slot = st.container()
with controls[2]:
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
        st.multiselect(
            "Optimizers (all with the η above)",
            list(OPTIMIZERS),
            format_func=lambda name: OPTIMIZERS[name].title,
            key="gd_optimizers",
            persist_state=KEEP,
        )
    else:
        st.selectbox(
            "Optimizer",
            list(OPTIMIZERS),
            format_func=lambda name: OPTIMIZERS[name].title,
            key="gd_optimizer",
            persist_state=KEEP,
        )
    if mode == "rates":
        st.text_input(
            "Learning rates to compare",
            key="gd_rates",
            help="Separated by commas, e.g. 0.1, 0.5, 0.9, 1.05",
            persist_state=KEEP,
        )
    st.radio(
        "Gradient", list(GRADIENT_LABELS), format_func=GRADIENT_LABELS.get, key="gd_gradient",
        persist_state=KEEP,
    )  # fmt: skip
    st.number_input(
        "h for the numerical gradient", key="gd_h", format="%.0e", step=1e-5, persist_state=KEEP
    )
    with st.expander("Optimizer settings"):
        settings = st.columns(2)
        settings[0].number_input("momentum μ", key="gd_momentum", step=0.05, persist_state=KEEP)
        settings[1].number_input("RMSprop ρ", key="gd_rho", step=0.05, persist_state=KEEP)
        settings[0].number_input("Adam β1", key="gd_beta_1", step=0.05, persist_state=KEEP)
        settings[1].number_input(
            "Adam β2", key="gd_beta_2", step=0.001, format="%.3f", persist_state=KEEP
        )
        st.caption("AdaGrad starts its sum at 0.1 and all use ε = 1e-7, as Keras does.")

request, errors, warnings = read_request(st.session_state)
write_to_url(DEFAULTS)
for warning in warnings:
    st.warning(warning)
for error in errors:
    st.error(error)


@st.cache_data(max_entries=16, show_spinner=False)  # up to ~2 MB each at 10 000 steps
def run(request):
    return compare(
        request.surface,
        request.start,
        list(request.runs),
        request.steps,
        request.gradient,
        request.h,
        request.hyper,
        TOLERANCE,
    )


if request is None and "gd_last_request" in st.session_state:
    st.info("Fix the value above to run again; the plots show the last valid run.")
    request = st.session_state.gd_last_request
elif request is None:  # a bad link on the very first visit: show the defaults meanwhile
    st.info("Fix the value above to run it; meanwhile the plots show the default run.")
    request, _, _ = read_request(DEFAULTS)
try:
    results = run(request)
except ValueError as error:  # a value the checks above let through: say so, keep the page
    st.error(f"This run could not be computed: {error}")
    st.stop()
st.session_state.gd_last_request = request
shown_surface = get_surface(request.surface)
by_rate = len({rate for _, rate in request.runs}) > 1

with regime_slot:
    curvatures = shown_surface.curvatures
    sgd_runs = [rate for name, rate in request.runs if name == "sgd"]
    if curvatures is not None and sgd_runs and not by_rate:
        regime = quadratic_regime(sgd_runs[0], curvatures)
        st.plotly_chart(
            figures.regime_figure(sgd_runs[0], regime, LEARNING_RATES),
            config={"displayModeBar": False},
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
    st.caption(shown_surface.lesson)

for result in results:  # compare mode: the table has every outcome, only blow-ups are repeated
    if len(results) == 1 or result.status in (DIVERGED, DIVERGING):
        show_outcome = OUTCOME_STYLES.get(result.status, st.warning)
        show_outcome(f"{figures.run_label(result, by_rate)}: {result.describe()}.")

longest = max(result.steps_taken for result in results)
st.session_state.gd_step = shown_step(st.session_state.gd_step, longest)
if longest > 0:
    st.slider("Step shown", 0, longest, key="gd_step", persist_state=KEEP)
step = st.session_state.gd_step

plots = st.columns(2)
with plots[0]:
    st.plotly_chart(
        figures.contour_figure(shown_surface, results, step, by_rate),
        key="gd_contour",
        on_select=start_at_click,
        selection_mode="points",
    )
with plots[1]:
    st.plotly_chart(figures.surface_figure(shown_surface, results, step, by_rate))

if len(results) > 1:
    rows = []
    for result in results:
        rows.append(
            {
                "run": figures.run_label(result, by_rate),
                "η": result.learning_rate,
                "final x0": result.final[0],
                "final x1": result.final[1],
                "final loss": result.final_loss,
                "steps to f − min ≤ 1e-6": result.tolerance_step,
                "outcome": result.describe(),
            }
        )
    scientific = st.column_config.NumberColumn(format="%.3e")
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        column_config={"final x0": scientific, "final x1": scientific, "final loss": scientific},
    )

plots = st.columns(2)
with plots[0]:
    st.plotly_chart(figures.loss_figure(results, step, TOLERANCE, by_rate))
with plots[1]:
    st.plotly_chart(figures.field_figure(shown_surface))

st.subheader("Numerical against analytic gradient")
first = results[0]
point = first.path[min(step, first.steps_taken)]
analytic = shown_surface.gradient(point)
numerical = numerical_gradient_batch(shown_surface.function, point, request.h)
columns = st.columns([1.3, 2])
with columns[0]:
    st.markdown(
        f"At the point shown, x = ({point[0]:.6g}, {point[1]:.6g}), with h = {request.h:g}:"
    )
    st.dataframe(
        pd.DataFrame(
            {
                "": ["∂f/∂x0", "∂f/∂x1"],
                "analytic": analytic,
                "numerical": numerical,
                "difference": numerical - analytic,
            }
        ),
        hide_index=True,
        column_config={
            name: st.column_config.NumberColumn(format="%.6e")
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
with columns[1]:
    point_key = tuple(float(value) for value in point)
    st.plotly_chart(figures.h_error_panel(shown_surface.name, point_key, request.h))
