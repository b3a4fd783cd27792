"""Models trained in this session, shared between the training studio and the prediction page.

Kept in st.session_state (one list per browser session), bounded so a class of
students cannot fill the server's memory; the oldest model is dropped first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

MAX_SESSION_MODELS = 5
_KEY = "session_models"


@dataclass
class SessionModel:
    label: str  # unique, what the user picks, e.g. "run 3 · CNN (fast) on MNIST"
    model: Any  # a built and trained keras.Model: input (28, 28) or (28, 28, 1), 10 outputs
    dataset: str  # core.data name the model was trained on
    class_names: tuple[str, ...]  # output i means class_names[i]
    test_accuracy: float | None  # on the data set's test split, when measured


def session_models() -> list[SessionModel]:
    return st.session_state.setdefault(_KEY, [])


def add_session_model(entry: SessionModel) -> SessionModel | None:
    """Add a model (replacing one with the same label); returns the one dropped, if any."""
    models = [model for model in session_models() if model.label != entry.label]
    models.append(entry)
    dropped = models.pop(0) if len(models) > MAX_SESSION_MODELS else None
    st.session_state[_KEY] = models
    return dropped


def find_session_model(label: str) -> SessionModel | None:
    return next((model for model in session_models() if model.label == label), None)
