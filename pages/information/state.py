"""Page state of the Information & loss lab: URL keys, the widgets bound to them, callbacks.

Every URL key lives in st.session_state under its own name and is never a widget
key: Streamlit forgets a widget's value when the widget is not drawn (another
section, another page), and the link must still be right. Each widget has its own
key (`widget_key`), is filled from the URL key when it has no value, and copies its
value back in its on_change callback. Callbacks never raise: a bad edit is kept as
a message in `INPUT_ERRORS` and the last good value stays.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.information import BASES
from dashboard.url_state import seed_from_url, write_to_url
from pages.information import lab
from pages.information.presets import PRESETS

DEFAULTS = {
    "section": "entropy",
    "names": "digits",
    "n": 4,
    "p": [0.5, 0.25, 0.125, 0.125],
    "q": [0.25, 0.25, 0.25, 0.25],
    "base": "2",
    "auto_normalise": False,
    "logits": [1.0, 3.0, 2.0],
    "temperature": 1.0,
    "preset": "",
}
VECTORS = ("p", "q", "logits")  # edited as text "0.5, 0.25, ..." and with sliders
TEMPERATURE_RANGE = (0.0, 5.0)  # the slider; 0 is allowed so a student can see why it fails
INPUT_ERRORS = "_information_input_errors"  # vector key -> message about the last edit
INPUT_NOTES = "_information_input_notes"  # vector key -> what the page changed in it, and why
LAST_RESULTS = "_information_last_results"  # section -> last LabResult that worked
PAGE = "information"
SEEDED = "_information_seeded"  # set once the link has been read in this session


def widget_key(key: str) -> str:
    return f"_information_{key}_widget"


def slider_key(vector: str, index: int) -> str:
    return f"_information_{vector}_slider_{index}"


def input_errors() -> dict[str, str]:
    return st.session_state.setdefault(INPUT_ERRORS, {})


def input_notes() -> dict[str, str]:
    return st.session_state.setdefault(INPUT_NOTES, {})


def last_results() -> dict:
    return st.session_state.setdefault(LAST_RESULTS, {})


# --- from the URL --------------------------------------------------------------------------


def seed() -> list[str]:
    """Fill the state from the link on the first run; repair what the widgets cannot show."""
    first_run = SEEDED not in st.session_state
    st.session_state[SEEDED] = True
    problems = seed_from_url(DEFAULTS, page=PAGE)
    state = st.session_state
    for key, default in DEFAULTS.items():
        state.setdefault(key, default)
    p_alone = first_run and "p" in st.query_params and "n" not in st.query_params
    if p_alone and lab.MIN_CLASSES <= len(state.p) <= lab.MAX_CLASSES:
        state.n = len(state.p)  # a link with p alone: as many classes as p has
    choices = {"section": lab.SECTIONS, "names": lab.NAME_SETS, "base": BASES, "preset": PRESETS}
    for key, allowed in choices.items():
        if state[key] not in allowed and not (key == "preset" and state[key] == ""):
            problems.append(
                f"Link value {key}={state[key]!r} ignored: choose one of {', '.join(allowed)}"
            )
            state[key] = DEFAULTS[key]
    if not lab.MIN_CLASSES <= state.n <= lab.MAX_CLASSES:
        problems.append(
            f"Link value n={state.n} ignored: the number of classes is between "
            f"{lab.MIN_CLASSES} and {lab.MAX_CLASSES}"
        )
        fits = lab.MIN_CLASSES <= len(state.p) <= lab.MAX_CLASSES
        state.n = len(state.p) if fits else DEFAULTS["n"]
    low, high = TEMPERATURE_RANGE
    if not low <= state.temperature <= high:
        problems.append(
            f"Link value temperature={state.temperature:g} ignored: "
            + (
                "the temperature must be positive"
                if state.temperature <= 0
                else f"the slider goes up to {high:g}"
                if state.temperature > high
                else "the temperature must be a number"
            )
        )
        state.temperature = DEFAULTS["temperature"]
    return problems


def save_to_url() -> None:
    write_to_url(DEFAULTS)


# --- widgets bound to URL keys ---------------------------------------------------------------


def bind(key: str) -> str:
    """The widget key for URL key `key`, filled from it when the widget has no value yet."""
    name = widget_key(key)
    if name not in st.session_state:
        input_errors().pop(key, None)  # the box shows the last good value again
        value = st.session_state[key]
        st.session_state[name] = lab.format_numbers(value) if key in VECTORS else value
    return name


def copy_back(key: str) -> None:
    """on_change of a plain widget: its value becomes the URL value."""
    st.session_state[key] = st.session_state[widget_key(key)]
    st.session_state.preset = ""


def set_value(key: str, value) -> None:
    """Change a URL value from a callback; its widgets are refilled on the next draw."""
    if isinstance(value, np.ndarray):
        value = [float(item) for item in value]
    st.session_state[key] = value
    st.session_state.pop(widget_key(key), None)
    if key in VECTORS:
        input_errors().pop(key, None)
        input_notes().pop(key, None)
        for index in range(lab.MAX_CLASSES):
            st.session_state.pop(slider_key(key, index), None)


def text_changed(key: str) -> None:
    """on_change of a vector's text box: parse it; a typo is reported and the old value kept."""
    try:
        values = lab.parse_numbers(st.session_state[widget_key(key)], key)
    except ValueError as error:
        input_errors()[key] = str(error)
        return
    text = st.session_state[widget_key(key)]
    set_value(key, values)
    st.session_state[widget_key(key)] = text  # keep what the student typed, as typed
    st.session_state.preset = ""
    usable = all(0 <= value < np.inf for value in values)  # a typo changes no classes
    if key == "p" and usable and lab.MIN_CLASSES <= len(values) <= lab.MAX_CLASSES:
        classes_typed(len(values))


def classes_typed(classes: int) -> None:
    """p, the truth, sets the classes: typing 3 numbers means 3 classes.

    A q of another length no longer fits, so it starts again from uniform, with a note
    that keeps its old values. (A q typed with the wrong length is refused instead.)
    """
    set_value("n", classes)
    old_q = st.session_state.q
    if len(old_q) != classes:
        set_value("q", lab.uniform(old_q, classes, np.random.default_rng()))
        p, q = ("t", "y") if st.session_state.section == "sse" else ("p", "q")
        input_notes()["q"] = (
            f"{p} now has {classes} classes, so {q} (which had {len(old_q)} values: "
            f"{lab.format_numbers(old_q)}) was reset to uniform, 1/{classes} each: type or "
            "drag your prediction."
        )


def slider_moved(key: str, index: int) -> None:
    """One class's slider: set it, and rescale the others so the vector still sums to 1."""
    values = np.clip(np.asarray(st.session_state[key], dtype=float), 0, 1)
    new = float(st.session_state[slider_key(key, index)])
    rest = np.delete(values, index)
    rest = (
        rest / rest.sum() * (1 - new)
        if rest.sum() > 0
        else np.full(rest.size, (1 - new) / rest.size)
    )
    set_value(key, np.round(np.insert(rest, index, new), 6))
    st.session_state.preset = ""


def classes_changed() -> None:
    copy_back("n")
    rng = np.random.default_rng()
    for key in ("p", "q"):
        set_value(key, lab.resized(st.session_state[key], st.session_state.n, rng))


def apply_action(key: str, action: str) -> None:
    """A button under p or q: normalise, one-hot, uniform or random."""
    rng = np.random.default_rng()
    try:
        values = lab.ACTIONS[action](st.session_state[key], st.session_state.n, rng)
    except ValueError as error:
        input_errors()[key] = f"Cannot {action} {key}: {error}"
        return
    set_value(key, values)
    st.session_state.preset = ""


def apply_preset(key: str) -> None:
    preset = PRESETS[key]
    for name, value in preset.state.items():
        set_value(name, list(value) if isinstance(value, list) else value)
    st.session_state.preset = key


def use_softmax_as_q(probabilities) -> None:
    """Softmax section: send its output to the cross-entropy section as the prediction q."""
    probabilities = np.round(np.asarray(probabilities, dtype=float), 6)
    n = probabilities.size
    set_value("n", n)
    set_value("q", probabilities)
    p = np.asarray(st.session_state.p, dtype=float)
    if p.size != n:
        set_value("p", np.eye(n)[int(np.argmax(probabilities))])
    set_value("section", "cross_entropy")
    st.session_state.preset = ""
