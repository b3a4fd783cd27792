"""Information & loss lab: surprisal, entropy, cross-entropy, KL, SSE and softmax, live."""

import streamlit as st

from pages.information import controls, lab, results, state

st.title("Information & loss lab")
st.markdown(
    "Type or drag probabilities and watch the numbers behind every classifier's loss move: "
    "how surprising an outcome is, how uncertain a distribution is, and what a prediction "
    "costs when the truth comes out."
)
for problem in state.seed():
    st.warning(problem, icon=":material/link_off:")

section = controls.section_picker()
controls.preset_buttons()
controls.common_controls(section)
names = lab.class_names(st.session_state.names, st.session_state.n)
if section == "softmax":
    controls.softmax_controls()
    typo = state.input_errors().get("logits")
else:
    controls.distribution_editors(section, names)
    used = ("p",) if section == "entropy" else ("p", "q")
    typo = any(state.input_errors().get(key) for key in used)

try:
    result = lab.evaluate(controls.lab_input(section))
except ValueError as error:
    result = None
    st.error(controls.hint(str(error)), icon=":material/error:")
stale = result is None or typo  # a bad input keeps the last valid result on screen
if not stale:
    state.last_results()[section] = result
shown = state.last_results().get(section)
if shown is not None:
    if stale:
        st.info(controls.last_valid_caption(shown), icon=":material/history:")
    results.show_result(shown)
state.save_to_url()
