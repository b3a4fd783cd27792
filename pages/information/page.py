"""Information & loss lab: surprisal, entropy, cross-entropy, KL, SSE and softmax, live."""

import streamlit as st

from dashboard.page_toolbar import page_toolbar
from dashboard.settings import show_link_problems
from pages.information import controls, lab, results, state
from pages.information.settings import SETTINGS, classes_of_link

st.title("Information & loss lab")
st.markdown(
    "Type or drag probabilities and watch the numbers behind every classifier's loss move: "
    "how surprising an outcome is, how uncertain a distribution is, and what a prediction "
    "costs when the truth comes out."
)
opened = SETTINGS.sync_from_link()
page_toolbar(SETTINGS)
if opened.keys and (classes := classes_of_link(st.query_params)):
    st.session_state.n = classes  # a link with p alone: as many classes as p has
show_link_problems(opened)

section = controls.section_picker()
controls.preset_buttons()
controls.common_controls(section)
if section == "softmax":
    vectors = controls.softmax_controls()
else:
    names = lab.class_names(st.session_state.names, st.session_state.n)
    vectors = controls.distribution_editors(section, names)

result = None
typo = None in vectors.values()  # its message is under its box
if not typo:
    try:
        result = lab.evaluate(controls.lab_input(section, vectors))
    except ValueError as error:
        st.error(controls.hint(str(error)), icon=":material/error:")
if result is not None:  # a bad input keeps the last valid result on screen
    state.last_results()[section] = result
shown = state.last_results().get(section)
if shown is not None:
    if result is None:
        st.info(controls.last_valid_caption(shown), icon=":material/history:")
    results.show_result(shown)
SETTINGS.write_link()  # while a box holds a typo its parameter keeps its last good value
