"""From scratch: a NumPy two-layer net, its gradient by nudging and by backpropagation."""

import streamlit as st

from core.data import DATASETS, OFFLINE_DEFAULT, DatasetError, load_dataset
from dashboard.engine_start import warm_up_engine
from dashboard.page_toolbar import page_toolbar
from dashboard.settings import KEEP, show_link_problems
from pages.scratch.check_tab import render_check_tab
from pages.scratch.forward_tab import render_forward_tab
from pages.scratch.settings import SETTINGS
from pages.scratch.train_tab import TRAINED_KEY, render_train_tab
from pages.scratch.weights_tab import render_weights_tab

warm_up_engine()  # the engine trains its runs: started before the first click
st.title("From scratch: backpropagation vs the numerical gradient")
st.markdown(
    "A two-layer network written in plain NumPy. Its gradient is computed twice: by "
    "**nudging** every weight up and down (slow, but obviously right) and by "
    "**backpropagation** (the chain rule, fast). Both agree; only one is usable for training."
)
opened = SETTINGS.sync_from_link()
page_toolbar(SETTINGS)
show_link_problems(opened)

dataset_name = st.columns([1, 2])[0].selectbox(
    "Data set",
    list(DATASETS),
    format_func=lambda name: DATASETS[name].title,
    key="scratch_dataset",
    persist_state=KEEP,
)
try:
    (x_train, y_train), (x_test, y_test), info = load_dataset(dataset_name)
except DatasetError as error:
    st.error(f"{error}")
    st.info(f"Choose '{DATASETS[OFFLINE_DEFAULT].title}' above: it needs no download.")
    SETTINGS.write_link()
    st.stop()
if len(x_train) == 0 or len(x_test) == 0:
    st.info(
        f"{info.title} on this server has {len(x_train):,} training and {len(x_test):,} test "
        "images: this page needs some of both. Choose another data set above."
    )
    SETTINGS.write_link()
    st.stop()

trained = st.session_state.get(TRAINED_KEY)
forward_tab, check_tab, train_tab, weights_tab = st.tabs(
    ["1 · Forward pass", "2 · Gradient check", "3 · Train", "4 · Hidden weights"]
)
with forward_tab:
    render_forward_tab(trained, dataset_name, x_test, y_test, info)
with check_tab:
    render_check_tab(x_train, y_train, info, dataset_name)
with train_tab:
    render_train_tab(len(x_train), len(x_test), info, dataset_name)
with weights_tab:
    render_weights_tab(trained)

SETTINGS.write_link()
