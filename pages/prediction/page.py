"""Prediction: draw, upload or pick an image; see the 28x28 input the model gets and how sure it is."""

import streamlit as st

from core.data import DATASETS
from dashboard.engine_start import warm_up_engine
from dashboard.page_toolbar import page_toolbar
from dashboard.session_models import find_session_model
from dashboard.settings import show_link_problems
from dashboard.studio_runs import collect_finished
from pages.prediction.answer import render_answer
from pages.prediction.inputs import render_image_input
from pages.prediction.models import render_model_source, select_session_model
from pages.prediction.preprocessing import render_preprocessing_switches, render_stages
from pages.prediction.settings import SETTINGS
from pages.prediction.testset import render_class_test_set

warm_up_engine()  # the engine trains its runs: started before the first click
st.title("Prediction")
st.markdown(
    "A model never sees your drawing: it sees **28 x 28 numbers**. Draw, upload or pick an "
    "image, look at every step that turns it into those numbers, and see how sure the model is."
)
arrived = collect_finished()  # a studio run that ended while the student was on this page
if arrived is not None and find_session_model(arrived.label) is not None:
    select_session_model(arrived.label)
    st.toast(f"{arrived.label} finished training: predictions now use its model.")
opened = SETTINGS.sync_from_link()
page_toolbar(SETTINGS)
show_link_problems(opened)

st.header("1 · The model")
model = render_model_source()
class_names = model.class_names if model is not None else DATASETS["mnist"].class_names

st.header("2 · The image and the answer")
input_column, output_column = st.columns([1, 1.25], gap="large")
with input_column:
    kind, image, true_label = render_image_input(
        model.dataset if model is not None else None, class_names
    )
output_area = output_column.container()  # filled last: the answer needs the preprocessed image

st.header("3 · What the model sees")
options = render_preprocessing_switches(kind)
processed = render_stages(image, options)
with output_area:
    render_answer(kind, image, processed, model, true_label)

if kind != "pick":
    st.header("4 · Your class test set")
    render_class_test_set(processed, true_label, options, model, class_names)

SETTINGS.write_link()
