"""What the lab's buttons, sliders and boxes do to its settings: on_change / on_click callbacks.

A callback runs before the widgets are drawn, so it may set any setting key
(pages/information/settings.py). It never raises: a button that cannot act leaves
a note under its vector instead. Any edit means the tutorial example is no longer
the one loaded, so `preset` goes back to none.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from dashboard.settings import SettingError
from pages.information import lab, state
from pages.information.presets import PRESETS
from pages.information.settings import NO_PRESET, typed_numbers


def slider_key(vector: str, index: int) -> str:
    """One class's slider: not a setting, it is drawn from the vector's text every run."""
    return f"_information_{vector}_slider_{index}"


def numbers_or_none(key: str) -> list[float] | None:
    """The numbers in vector `key`'s box, or None while it holds a typo."""
    try:
        return typed_numbers(key, st.session_state[key])
    except SettingError:
        return None


def set_vector(key: str, values) -> None:
    st.session_state[key] = lab.format_numbers(values)
    state.forget_note(key)  # it was about the old text


def edited() -> None:
    st.session_state.preset = NO_PRESET


def p_typed() -> None:
    """p, the truth, sets the classes: typing 3 numbers means 3 classes (a typo changes none)."""
    edited()
    values = numbers_or_none("p")
    if values is None or not all(0 <= value < np.inf for value in values):
        return
    if lab.MIN_CLASSES <= len(values) <= lab.MAX_CLASSES:
        classes_typed(len(values))


def classes_typed(classes: int) -> None:
    """A q of another length no longer fits, so it starts again from uniform, with a note
    that keeps its old values. (A q typed with the wrong length is refused instead.)"""
    st.session_state.n = classes
    old_q = numbers_or_none("q")
    if old_q is not None and len(old_q) == classes:
        return
    set_vector("q", lab.uniform(old_q, classes, np.random.default_rng()))
    p, q = ("t", "y") if st.session_state.section == "sse" else ("p", "q")
    had = (
        f"which had {len(old_q)} values: {lab.format_numbers(old_q)}"
        if old_q is not None
        else "which was not a list of numbers"
    )
    state.leave_note(
        "q",
        f"{p} now has {classes} classes, so {q} ({had}) was reset to uniform, 1/{classes} "
        "each: type or drag your prediction.",
    )


def classes_changed() -> None:
    """The number of classes: p and q are cut or padded with zeros, then normalised."""
    edited()
    rng = np.random.default_rng()
    for key in ("p", "q"):
        values = numbers_or_none(key) or []  # a typo starts again from uniform
        set_vector(key, lab.resized(values, st.session_state.n, rng))


def slider_moved(key: str, index: int) -> None:
    """One class's slider: set it, and rescale the others so the vector still sums to 1."""
    edited()
    values = np.clip(np.asarray(numbers_or_none(key) or [], dtype=float), 0, 1)
    if index >= values.size:
        return  # the box changed under the slider: its next draw follows the box
    new = float(st.session_state[slider_key(key, index)])
    rest = np.delete(values, index)
    rest = (
        rest / rest.sum() * (1 - new)
        if rest.sum() > 0
        else np.full(rest.size, (1 - new) / rest.size)
    )
    set_vector(key, np.round(np.insert(rest, index, new), 6))


def apply_action(key: str, action: str) -> None:
    """A button under p or q: normalise, one-hot, uniform or random."""
    edited()
    values = numbers_or_none(key) or []  # with a typo, the typo is what the box shows
    try:
        result = lab.ACTIONS[action](values, st.session_state.n, np.random.default_rng())
    except ValueError as error:
        state.leave_note(key, f"Cannot {action} {key}: {error}", is_error=True)
        return
    set_vector(key, result)


def apply_preset(key: str) -> None:
    for name, value in PRESETS[key].state.items():
        st.session_state[name] = value
        state.forget_note(name)
    st.session_state.preset = key


def use_softmax_as_q(probabilities) -> None:
    """Softmax section: send its output to the cross-entropy section as the prediction q."""
    edited()
    probabilities = np.round(np.asarray(probabilities, dtype=float), 6)
    classes = probabilities.size
    st.session_state.n = classes
    set_vector("q", probabilities)
    p = numbers_or_none("p")
    if p is None or len(p) != classes:
        set_vector("p", np.eye(classes)[int(np.argmax(probabilities))])
    st.session_state.section = "cross_entropy"
