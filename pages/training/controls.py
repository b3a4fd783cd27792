"""The studio's settings widgets: one widget per setting, its key the setting's key.

persist_state=KEEP keeps a value while its widget is not drawn (an MLP slider while a
CNN is chosen, every widget during a visit to another page): nothing is copied back.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from core.data import DATASETS
from core.models import ACTIVATIONS, FAMILY_TITLES, OPTIMIZER_TITLES, SCHEDULES
from core.presets import PRESETS
from dashboard.settings import KEEP
from pages.training.settings import SETTINGS, load_preset

DATASET_TITLES = {name: spec.title for name, spec in DATASETS.items()}
PRESET_TITLES = {key: preset.title for key, preset in PRESETS.items()}


def ranged(widget, label: str, key: str, **options):
    """A slider or number box over its setting's range: a link holds nothing it refuses."""
    setting = SETTINGS[key]
    return widget(label, setting.low, setting.high, key=key, persist_state=KEEP, **options)


def grid_slider(label: str, key: str, **options):
    """A slider over its setting's grid (a link's value between two has snapped to one)."""
    return st.select_slider(label, SETTINGS[key].grid, key=key, persist_state=KEEP, **options)


def choice_box(label: str, key: str, titles: Mapping[str, str]) -> str:
    """A select box over a name -> title table: the setting holds the name, students read titles."""
    return st.selectbox(label, list(titles), key=key, format_func=titles.get, persist_state=KEEP)


def preset_box() -> None:
    """Pick a preset, read where it comes from, load it onto the settings."""
    with st.container(border=True):  # across the tab: the tutorials' titles are long
        pick, load = st.columns([4, 1], vertical_alignment="bottom")
        with pick:
            preset = choice_box("Preset", "train_preset", PRESET_TITLES)
        load.button(
            "Load preset",
            on_click=load_preset,
            args=(preset,),
            key="train_load_preset",
            width="stretch",
        )
        st.caption(PRESETS[preset].source)


def settings_widgets() -> None:
    """Draw the settings; a family's own settings only while that family is chosen."""
    choice_box("Data set", "train_dataset", DATASET_TITLES)
    family = choice_box("Model", "train_family", FAMILY_TITLES)
    if family == "mlp":
        ranged(st.slider, "Hidden layers", "train_hidden_layers")
        grid_slider("Units per hidden layer", "train_width")
        st.radio(
            "Activation", ACTIVATIONS, key="train_activation", horizontal=True, persist_state=KEEP
        )
    if family == "cnn_fast":
        grid_slider("Filters of the first convolution (the second has twice)", "train_filters")
        grid_slider("Units of the dense layer", "train_width")
    if family != "softmax":
        ranged(st.slider, "Dropout rate", "train_dropout_rate", step=0.05)
    choice_box("Optimizer", "train_optimizer", OPTIMIZER_TITLES)
    grid_slider(
        "Learning rate (log scale)", "train_learning_rate", format_func=lambda rate: f"{rate:g}"
    )
    choice_box("Learning-rate schedule", "train_schedule", SCHEDULES)
    grid_slider("Batch size (images per step)", "train_batch_size")
    left, right = st.columns(2)
    ranged(left.number_input, "Epochs", "train_epochs")
    ranged(right.number_input, "Training subset (images)", "train_subset_size", step=1000)
    ranged(left.number_input, "Random seed", "train_seed")
    ranged(right.slider, "Validation split", "train_validation_split", step=0.05)
