"""Gradient-descent lab: a learning rate converges, oscillates or explodes; optimizers race."""

import streamlit as st

from core.surfaces import get_surface
from dashboard.page_toolbar import page_toolbar
from dashboard.settings import show_link_problems
from dashboard.text import plain
from pages.gradient_descent import figures, panels
from pages.gradient_descent.controls import (
    MOVED_START,
    draw_controls,
    learning_rate_slider,
    start_at_click,
)
from pages.gradient_descent.inputs import read_request
from pages.gradient_descent.results import TOLERANCE, run
from pages.gradient_descent.settings import SETTINGS, open_link

opened = open_link()  # a link's values (or the defaults) into the widgets' state
st.title("Gradient-descent lab")
st.caption(
    "Slide the learning rate η and watch x ← x − η∇f(x) slide, zig-zag or fly off; "
    "then race the optimizers Keras offers from the same start."
)
page_toolbar(SETTINGS)
show_link_problems(opened)
draw_controls()


@st.fragment
def lab() -> None:
    """η and everything it moves: a new η reruns this part alone, the controls stay put."""
    if st.session_state.pop(MOVED_START, False):
        st.rerun(scope="app")  # a click on the plot moved the start: its boxes show it too
    regime_slot = learning_rate_slider()
    request, errors, warnings = read_request(st.session_state)
    SETTINGS.write_link()
    for warning in warnings:
        st.warning(plain(warning))
    for error in errors:
        st.error(plain(error))
    if request is None and "gd_last_request" in st.session_state:
        st.info("Fix the value above to run again; the plots show the last valid run.")
        request = st.session_state.gd_last_request
    elif request is None:  # a bad value on the very first visit: show the defaults meanwhile
        st.info("Fix the value above to run it; meanwhile the plots show the default run.")
        request, _, _ = read_request(SETTINGS.defaults)
    try:
        results = run(request)
    except ValueError as error:  # a value the checks above let through: say so, keep the page
        st.error(f"This run could not be computed: {error}")
        return
    st.session_state.gd_last_request = request
    shown_surface = get_surface(request.surface)
    by_rate = len({rate for _, rate in request.runs}) > 1

    with regime_slot:
        panels.regime_strip(shown_surface, request, by_rate)
    panels.outcomes(results, by_rate)
    st.plotly_chart(
        figures.descent_figure(shown_surface, results, by_rate, TOLERANCE),
        key="gd_contour",
        on_select=start_at_click,
        selection_mode="points",
        config={"displayModeBar": False},
    )
    if len(results) > 1:
        panels.comparison_table(results, by_rate)
    panels.more_views(shown_surface, results)
    panels.code_that_ran(request)
    panels.gradient_check(shown_surface, results, request.h)


lab()
