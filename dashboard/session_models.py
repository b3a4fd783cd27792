"""Models trained in this session, shared between the training studio and the prediction page.

Kept in st.session_state (one list per browser session) as the bytes of their .keras
files, bounded so a class of students cannot fill the server's memory; the oldest model
is dropped first. A page that predicts turns the bytes into a NumPy model once
(`checked_model`), shared in the server process while a session uses it.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock
from weakref import WeakValueDictionary

import streamlit as st

MAX_SESSION_MODELS = 5
_KEY = "session_models"


@dataclass
class SessionModel:
    label: str  # unique, what the user picks, e.g. "run 3 · CNN (fast) on MNIST"
    model_bytes: bytes  # its .keras file: input (28, 28) or (28, 28, 1), 10 outputs
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


IN_USE_KEY = "_session_models_in_use"  # the loaded models this session predicts with
IN_USE_PER_SESSION = 2  # a session holds at most this many loaded (the last ones it used)
# Loaded models, shared by every session of this process that uses the same file (the quick
# model, above all), and held only by those sessions: when the last of them ends (see
# dashboard/session_reaper.py) its model is freed.
_loaded: WeakValueDictionary[str, object] = WeakValueDictionary()
_loaded_lock = Lock()


def checked_model(model_bytes: bytes):
    """The model of a .keras file, loaded and checked once per server process.

    Every session predicting with the same model shares one loaded copy, which lives as
    long as a session holds it (a session holds its last IN_USE_PER_SESSION). It runs in
    NumPy (core.plain_model): the web server never imports TensorFlow. Raises
    core.model_check.ModelCheckError for a file that is not a model it can run.
    """
    from core.model_check import plain_checked_model

    digest = hashlib.sha256(model_bytes).hexdigest()
    with _loaded_lock:
        checked = _loaded.get(digest)
    if checked is None:
        loaded = plain_checked_model(model_bytes)
        with _loaded_lock:
            checked = _loaded.setdefault(digest, loaded)
    _hold(digest, checked)
    return checked


def _hold(digest: str, checked) -> None:
    in_use = st.session_state.setdefault(IN_USE_KEY, OrderedDict())
    in_use[digest] = checked
    in_use.move_to_end(digest)
    while len(in_use) > IN_USE_PER_SESSION:
        in_use.popitem(last=False)


def loaded_model_count() -> int:
    """Models loaded in this process right now (held by a session)."""
    with _loaded_lock:
        return len(_loaded)


# --- following the newest run ------------------------------------------------------------
# A picker of this session's runs (the studio's Look inside, Prediction's model) shows the
# newest finished run, unless the student picked another by hand: then it keeps that one.
_BY_HAND = "_picked_by_hand"


def follow_newest(key: str, options: list) -> bool:
    """Before a picker over `options` (oldest first) with `key` is drawn: put the newest in
    it, or the one the student picked by hand while it exists. True when that is by hand."""
    state = st.session_state
    picked = state.get(key + _BY_HAND)
    if picked is not None and picked in options:
        state[key] = picked
        return True
    state.pop(key + _BY_HAND, None)
    if options:
        state[key] = options[-1]
    return False


def picked_by_hand(key: str, newest) -> None:
    """The picker's on_change: a pick other than the newest is kept; the newest follows again."""
    value = st.session_state[key]
    st.session_state[key + _BY_HAND] = None if value == newest else value


def stop_following(key: str) -> None:
    """Forget a hand pick: the picker follows the newest run again."""
    st.session_state.pop(key + _BY_HAND, None)


def shown_run_note(shown: str, newest: str, by_hand: bool) -> str:
    """One line under the picker that says which run is shown and why."""
    if not by_hand:
        return f"Showing {shown}, the newest finished run: a newer one will replace it here."
    return (
        f"Showing {shown}, picked by hand; the newest is {newest}. Pick it to follow the "
        "newest run again."
    )
