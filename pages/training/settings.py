"""The studio's settings widgets: their keys, defaults, URL state and presets.

Widget values are also copied to a plain session key after each run, because
Streamlit forgets the values of widgets that were not drawn (another page,
or an MLP slider hidden while a CNN is chosen).
"""

from __future__ import annotations

import math

import streamlit as st

from core.data import DATASETS
from core.models import ACTIVATIONS, FAMILIES, FAMILY_TITLES, OPTIMIZER_TITLES, ModelConfig
from core.presets import PRESETS
from core.training import MAX_BATCH_SIZE, MAX_EPOCHS, TrainConfig
from dashboard.settings import nearest_on_log_scale

SAVED_KEY = "train_saved_settings"
# 1, 2, 5 per decade from 1e-5 to 10: a log slider with round numbers
LEARNING_RATES = [float(f"{m}e{e}") for e in range(-5, 2) for m in (1, 2, 5)][:-2]
WIDTHS = [16, 32, 64, 128, 256, 512, 1024]
# powers of two plus the tutorials' 50 and 100, from 1 (pure SGD) to MAX_BATCH_SIZE
BATCH_SIZES = [1, 2, 4, 8, 16, 32, 50, 64, 100, 128, 256, 512, MAX_BATCH_SIZE]

DEFAULTS = {  # the fast softmax preset: a first run takes seconds
    "train_dataset": "mnist",
    "train_family": "softmax",
    "train_hidden_layers": 1,
    "train_width": 128,
    "train_activation": "relu",
    "train_dropout_rate": 0.0,
    "train_optimizer": "sgd",
    "train_learning_rate": 0.5,
    "train_batch_size": 50,
    "train_epochs": 3,
    "train_subset_size": 5000,
    "train_validation_split": 0.1,
    "train_seed": 0,
}


def restore_settings() -> list[str]:
    """Put back forgotten widget values; fix values (from a link) the widgets cannot show."""
    saved = st.session_state.setdefault(SAVED_KEY, dict(DEFAULTS))
    for key in DEFAULTS:
        if key not in st.session_state:
            st.session_state[key] = saved.get(key, DEFAULTS[key])
    problems = []
    choices = {
        "train_dataset": DATASETS,
        "train_family": FAMILIES,
        "train_activation": ACTIVATIONS,
        "train_optimizer": OPTIMIZER_TITLES,
        "train_width": WIDTHS,
    }
    for key, allowed in choices.items():
        if st.session_state[key] not in allowed:
            problems.append(
                f"{st.session_state[key]!r} is not a choice for {key.removeprefix('train_')}; "
                f"using {DEFAULTS[key]!r}"
            )
            st.session_state[key] = DEFAULTS[key]
    rate = st.session_state["train_learning_rate"]
    if not (isinstance(rate, int | float) and math.isfinite(rate) and rate > 0):
        problems.append(
            f"Learning rate must be greater than 0 (got {rate}); using {DEFAULTS['train_learning_rate']}."
        )
        st.session_state["train_learning_rate"] = DEFAULTS["train_learning_rate"]
    elif rate not in LEARNING_RATES:
        st.session_state["train_learning_rate"] = nearest_on_log_scale(LEARNING_RATES, rate)
        if not 1e-5 <= rate <= 10:
            problems.append(f"Learning rate {rate:g} is outside 1e-5…10; using the nearest.")
    for key, low, high in (
        ("train_hidden_layers", 1, 4),
        ("train_batch_size", 1, MAX_BATCH_SIZE),
        ("train_epochs", 0, MAX_EPOCHS),
        ("train_subset_size", 0, 60_000),
        ("train_seed", 0, 1_000_000),
    ):
        if not low <= st.session_state[key] <= high:
            problems.append(
                f"{key.removeprefix('train_')} must be {low}…{high}; using the default."
            )
            st.session_state[key] = DEFAULTS[key]
    batch_size = st.session_state["train_batch_size"]
    if batch_size not in BATCH_SIZES:
        nearest = nearest_on_log_scale(BATCH_SIZES, batch_size)
        problems.append(f"Batch size {batch_size} is not on the slider; using {nearest}.")
        st.session_state["train_batch_size"] = nearest
    for key, high in (("train_dropout_rate", 0.8), ("train_validation_split", 0.5)):
        if not 0 <= st.session_state[key] <= high:
            problems.append(f"{key.removeprefix('train_')} must be 0…{high}; using the default.")
            st.session_state[key] = DEFAULTS[key]
    return problems


def save_settings() -> None:
    st.session_state[SAVED_KEY] = {key: st.session_state[key] for key in DEFAULTS}


def load_preset(key: str) -> None:
    """Button callback: set every widget to the preset's run (before the widgets are drawn)."""
    config = PRESETS[key].config
    values = {
        "train_dataset": config.dataset,
        "train_family": config.model.family,
        "train_hidden_layers": config.model.hidden_layers,
        "train_width": config.model.width,
        "train_activation": config.model.activation,
        "train_dropout_rate": config.model.dropout_rate,
        "train_optimizer": config.optimizer,
        "train_learning_rate": config.learning_rate,
        "train_batch_size": config.batch_size,
        "train_epochs": config.epochs,
        "train_subset_size": config.subset_size,
        "train_validation_split": config.validation_split,
        "train_seed": config.seed,
    }
    st.session_state.update(values)
    st.session_state["train_loaded_preset"] = key
    save_settings()


def config_from_state() -> TrainConfig:
    state = st.session_state
    return TrainConfig(
        dataset=state["train_dataset"],
        model=ModelConfig(
            family=state["train_family"],
            hidden_layers=int(state["train_hidden_layers"]),
            width=int(state["train_width"]),
            activation=state["train_activation"],
            dropout_rate=float(state["train_dropout_rate"])
            if state["train_family"] != "softmax"
            else 0.0,
        ),
        optimizer=state["train_optimizer"],
        learning_rate=float(state["train_learning_rate"]),
        batch_size=int(state["train_batch_size"]),
        epochs=int(state["train_epochs"]),
        subset_size=int(state["train_subset_size"]),
        validation_split=float(state["train_validation_split"]),
        seed=int(state["train_seed"]),
    )


def preset_of(config: TrainConfig) -> str | None:
    """The preset whose run this is exactly, if any (so its tutorial number can be shown)."""
    return next((key for key, preset in PRESETS.items() if preset.config == config), None)


def settings_widgets() -> None:
    """Draw the settings; their values land in st.session_state under DEFAULTS' keys."""
    st.selectbox(
        "Data set", list(DATASETS), key="train_dataset", format_func=lambda n: DATASETS[n].title
    )
    st.selectbox("Model", list(FAMILIES), key="train_family", format_func=FAMILY_TITLES.get)
    family = st.session_state["train_family"]
    if family == "mlp":
        st.slider("Hidden layers", 1, 4, key="train_hidden_layers")
        st.select_slider("Units per hidden layer", WIDTHS, key="train_width")
        st.radio("Activation", ACTIVATIONS, key="train_activation", horizontal=True)
    if family != "softmax":
        st.slider("Dropout rate", 0.0, 0.8, step=0.05, key="train_dropout_rate")
    st.selectbox(
        "Optimizer", list(OPTIMIZER_TITLES), key="train_optimizer", format_func=OPTIMIZER_TITLES.get
    )
    st.select_slider(
        "Learning rate (log scale)",
        LEARNING_RATES,
        key="train_learning_rate",
        format_func=lambda v: f"{v:g}",
    )
    st.select_slider("Batch size (images per step)", BATCH_SIZES, key="train_batch_size")
    left, right = st.columns(2)
    left.number_input("Epochs", 0, MAX_EPOCHS, key="train_epochs")
    right.number_input("Training subset (images)", 0, 60_000, step=1000, key="train_subset_size")
    left.number_input("Random seed", 0, 1_000_000, key="train_seed")
    right.slider("Validation split", 0.0, 0.5, step=0.05, key="train_validation_split")
