"""The studio's settings table (one key each: widget, URL parameter, session state) and presets.

A link carries the preset box too; a link made before it did, whose settings are exactly
a preset's run, opens with that preset in the box (`preset_for_link`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from core.data import DATASETS
from core.models import (
    ACTIVATIONS,
    FAMILIES,
    MAX_HIDDEN_LAYERS,
    OPTIMIZER_TITLES,
    SCHEDULES,
    ModelConfig,
)
from core.presets import PRESETS
from core.training import MAX_BATCH_SIZE, MAX_EPOCHS, TrainConfig
from dashboard.settings import CHOICE, NUMBER, WHOLE, OpenedLink, PageSettings, Setting

# 1, 2, 5 per decade from 1e-5 to 10: a log slider with round numbers
LEARNING_RATES = [float(f"{m}e{e}") for e in range(-5, 2) for m in (1, 2, 5)][:-2]
WIDTHS = [16, 32, 64, 128, 256, 512, 1024]
# powers of two plus the tutorials' 50 and 100, from 1 (pure SGD) to MAX_BATCH_SIZE
BATCH_SIZES = [1, 2, 4, 8, 16, 32, 50, 64, 100, 128, 256, 512, MAX_BATCH_SIZE]
MAX_SUBSET = 60_000  # the largest training split (MNIST, Fashion-MNIST)
MAX_SEED = 1_000_000
FILTERS = (8, 16, 24, 32, 48, 64)  # the fast CNN's first convolution; the second has twice


# a fresh page holds the fast softmax preset's run (a first run takes seconds): a test checks it
FIRST_PRESET = "fast_softmax"
SETTINGS = PageSettings(
    "training",
    [
        Setting("train_preset", FIRST_PRESET, "preset", kind=CHOICE, choices=PRESETS),
        Setting("train_dataset", "mnist", "data set", kind=CHOICE, choices=DATASETS),
        Setting("train_family", "softmax", "model", kind=CHOICE, choices=FAMILIES),
        Setting(
            "train_hidden_layers", 1, "hidden layers", kind=WHOLE, low=1, high=MAX_HIDDEN_LAYERS
        ),
        Setting("train_width", 128, "units per hidden layer", kind=WHOLE, grid=tuple(WIDTHS)),
        Setting("train_activation", "relu", "activation", kind=CHOICE, choices=ACTIVATIONS),
        Setting("train_filters", 32, "filters of the first convolution", kind=WHOLE, grid=FILTERS),
        Setting("train_dropout_rate", 0.0, "dropout rate", kind=NUMBER, low=0.0, high=0.8),
        Setting("train_optimizer", "sgd", "optimizer", kind=CHOICE, choices=OPTIMIZER_TITLES),
        Setting(
            "train_learning_rate", 0.5, "learning rate", kind=NUMBER, grid=tuple(LEARNING_RATES)
        ),
        Setting(
            "train_schedule", "constant", "learning-rate schedule", kind=CHOICE, choices=SCHEDULES
        ),
        Setting("train_batch_size", 50, "batch size", kind=WHOLE, grid=tuple(BATCH_SIZES)),
        Setting("train_epochs", 3, "epochs", kind=WHOLE, low=0, high=MAX_EPOCHS),
        Setting(
            "train_subset_size",
            5000,
            "training subset",
            kind=WHOLE,
            low=0,
            high=MAX_SUBSET,
            unit="images",
        ),
        Setting("train_validation_split", 0.1, "validation split", kind=NUMBER, low=0.0, high=0.5),
        Setting("train_seed", 0, "random seed", kind=WHOLE, low=0, high=MAX_SEED),
    ],
)


def settings_of(config: TrainConfig) -> dict[str, Any]:
    """The setting values of a run (every setting but the preset box)."""
    model = config.model
    return {
        "train_dataset": config.dataset,
        "train_family": model.family,
        "train_hidden_layers": model.hidden_layers,
        "train_width": model.width,
        "train_activation": model.activation,
        "train_filters": model.filters,
        "train_dropout_rate": model.dropout_rate,
        "train_optimizer": config.optimizer,
        "train_learning_rate": config.learning_rate,
        "train_schedule": config.schedule,
        "train_batch_size": config.batch_size,
        "train_epochs": config.epochs,
        "train_subset_size": config.subset_size,
        "train_validation_split": config.validation_split,
        "train_seed": config.seed,
    }


def config_of(values: Mapping[str, Any]) -> TrainConfig:
    """The run that setting values ask for (softmax regression has no dropout layer)."""
    family = values["train_family"]
    return TrainConfig(
        dataset=values["train_dataset"],
        model=ModelConfig(
            family=family,
            hidden_layers=int(values["train_hidden_layers"]),
            width=int(values["train_width"]),
            activation=values["train_activation"],
            dropout_rate=float(values["train_dropout_rate"]) if family != "softmax" else 0.0,
            filters=int(values["train_filters"]),
        ),
        optimizer=values["train_optimizer"],
        learning_rate=float(values["train_learning_rate"]),
        batch_size=int(values["train_batch_size"]),
        epochs=int(values["train_epochs"]),
        subset_size=int(values["train_subset_size"]),
        validation_split=float(values["train_validation_split"]),
        seed=int(values["train_seed"]),
        schedule=values["train_schedule"],
    )


def config_from_state() -> TrainConfig:
    return config_of(SETTINGS.values())


def preset_of(config: TrainConfig) -> str | None:
    """The preset whose run this is exactly, if any (so its tutorial number can be shown)."""
    return next((key for key, preset in PRESETS.items() if preset.config == config), None)


def load_preset(key: str) -> None:
    """Button callback: set every setting to the preset's run (before the widgets are drawn)."""
    st.session_state.update(settings_of(PRESETS[key].config), train_preset=key)


def preset_for_link(opened: OpenedLink) -> None:
    """A link without a preset whose settings are exactly a preset's run shows that preset."""
    if not opened.keys or "train_preset" in opened.keys:
        return
    matching = preset_of(config_from_state())
    if matching is not None:
        st.session_state["train_preset"] = matching
