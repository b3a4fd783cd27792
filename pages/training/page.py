"""Training studio: train softmax regression, an MLP or a CNN with live curves, then look inside."""

import streamlit as st

from core.engine.settings import setting_problems
from dashboard import class_studio, studio_runs
from dashboard.engine_start import warm_up_engine
from dashboard.page_toolbar import page_toolbar
from dashboard.settings import show_link_problems
from pages.training.explorer import explorer_view
from pages.training.inside_tab import inside_tab
from pages.training.runs_tab import runs_tab
from pages.training.settings import SETTINGS, preset_for_link
from pages.training.train_tab import train_tab

st.title("Training studio")
st.markdown(
    "Pick a data set and a model, set the learning rate and batch size, press **Train** "
    "and watch it learn. Training runs in the background: click around or visit another "
    "page, it keeps going (closing the tab stops it soon after). **Stop** keeps the model "
    "trained so far."
)

warm_up_engine()
studio_runs.collect_finished()  # a run that ended while this page was not looking
for problem in setting_problems():
    st.warning(problem)
opened = SETTINGS.sync_from_link()
page_toolbar(SETTINGS)
show_link_problems(opened)
preset_for_link(opened)
class_studio.apply_assignment(SETTINGS)  # a class experiment: this student's value, a banner
while studio_runs.notices():
    st.info(studio_runs.notices().pop(0))

train, runs, inside, data = st.tabs(["Train", "Runs", "Look inside", "Data explorer"])
with train:
    train_tab()
SETTINGS.write_link()
with runs:
    runs_tab()
with inside:
    inside_tab()
with data:
    explorer_view(st.session_state["train_dataset"])
