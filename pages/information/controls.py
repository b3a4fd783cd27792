"""Widgets of the Information & loss lab: section, presets, class count, base, p, q, logits.

Each setting's widget has the setting's key (pages/information/settings.py) and keeps
its value across sections and pages (persist_state=KEEP); callbacks are in edits.py.
"""

from __future__ import annotations

import streamlit as st

from core import information as info
from dashboard.settings import KEEP, SettingError
from dashboard.text import plain
from pages.information import edits, lab, state
from pages.information.presets import PRESETS
from pages.information.settings import SETTINGS, TEMPERATURE_RANGE, typed_numbers

BASE_LABELS = {"2": "log₂ · bits", "e": "ln · nats", "10": "log₁₀ · hartleys"}
VECTOR_LABELS = {
    "p": "p, the true distribution (comma-separated, one per class)",
    "q": "q, the prediction (comma-separated, one per class)",
}
NAME_SET_TITLES = {"digits": "digits 0–9", "fashion": "Fashion-MNIST", "outcomes": "win / lose"}
SLIDERS_OPEN = "_information_sliders_open"  # the lazy slider expander's state
SSE_LABELS = {"p": "t, the target (usually one-hot)", "q": "y, the network's output"}
Vectors = dict[str, tuple[float, ...] | None]  # vector key -> its numbers, None for a typo


def section_picker() -> str:
    st.segmented_control(
        "Section",
        list(lab.SECTIONS),
        format_func=lab.SECTIONS.get,
        required=True,
        key="section",
        persist_state=KEEP,
        on_change=edits.edited,
        label_visibility="collapsed",
    )
    return st.session_state.section


def preset_buttons() -> None:
    st.caption("Tutorial examples: load one and compare with the number the tutorial prints.")
    for column, preset in zip(st.columns(len(PRESETS)), PRESETS.values()):
        column.button(
            preset.label,
            key=f"_information_preset_{preset.key}",
            on_click=edits.apply_preset,
            args=(preset.key,),
            width="stretch",
        )


def common_controls(section: str) -> None:
    # the base's three labels need about 330 px at 1280 px: they were cut to "log₁₀ · hartl…"
    names, classes, base, normalise = st.columns([1.3, 1, 2.3, 1.4], vertical_alignment="bottom")
    names.selectbox(
        "Class names",
        list(lab.NAME_SETS),
        format_func=NAME_SET_TITLES.get,
        key="names",
        persist_state=KEEP,
        on_change=edits.edited,
    )
    if section != "softmax":
        classes.number_input(
            "Number of classes",
            min_value=lab.MIN_CLASSES,
            max_value=lab.MAX_CLASSES,
            step=1,
            key="n",
            persist_state=KEEP,
            on_change=edits.classes_changed,
        )
    base.segmented_control(
        "Logarithm base (unit)",
        list(info.BASES),
        format_func=BASE_LABELS.get,
        required=True,
        key="base",
        persist_state=KEEP,
        on_change=edits.edited,
    )
    if section != "softmax":
        normalise.toggle(
            "Auto-normalise",
            key="auto_normalise",
            persist_state=KEEP,
            on_change=edits.edited,
            help="Divide p and q by their sums instead of refusing vectors that do not sum to 1.",
        )


def vector_box(key: str, label: str, on_change=edits.edited) -> tuple[float, ...] | str:
    """A vector's text box, kept as typed: its numbers, or what is wrong with the text."""
    st.text_input(
        label,
        key=key,
        persist_state=KEEP,
        max_chars=SETTINGS[key].max_chars,
        on_change=on_change,
    )
    try:
        return tuple(typed_numbers(key, st.session_state[key]))
    except SettingError as error:
        return str(error)


def show_problem(key: str, typed: tuple[float, ...] | str) -> tuple[float, ...] | None:
    """The box's typo, else the note an edit left about it; the numbers, None for a typo."""
    if isinstance(typed, str):
        st.error(plain(typed), icon=":material/error:")  # it echoes what was typed
        return None
    note = state.current_note(key)
    if note is not None and note.is_error:
        st.error(note.message, icon=":material/error:")
    elif note is not None:
        st.info(note.message, icon=":material/restart_alt:")
    return typed


def vector_editor(key: str, label: str) -> tuple[float, ...] | None:
    """Text box, the four buttons, and the problem with the last edit if there was one."""
    typed = vector_box(key, label, edits.p_typed if key == "p" else edits.edited)
    for column, action in zip(st.columns(len(lab.ACTIONS)), lab.ACTIONS):
        column.button(
            action,
            key=f"_information_{key}_{action}",
            on_click=edits.apply_action,
            args=(key, action),
            width="stretch",
        )
    return show_problem(key, typed)


def vector_sliders(key: str, values: tuple[float, ...] | None, names: tuple[str, ...]) -> None:
    """One slider per class; moving one rescales the others so the total stays 1."""
    if values is None or len(values) != len(names) or not all(0 <= value <= 1 for value in values):
        st.caption(f"Sliders appear when {key} has one value between 0 and 1 per class.")
        return
    for index, name in enumerate(names):
        slider = edits.slider_key(key, index)
        if st.session_state.get(slider) != values[index]:
            st.session_state[slider] = float(values[index])  # follow the box
        st.slider(
            f"{key}({name})",
            0.0,
            1.0,
            step=0.01,
            key=slider,
            on_change=edits.slider_moved,
            args=(key, index),
        )


def distribution_editors(section: str, names: tuple[str, ...]) -> Vectors:
    keys = ("p",) if section == "entropy" else ("p", "q")
    labels = SSE_LABELS if section == "sse" else VECTOR_LABELS
    vectors = {}
    for column, key in zip(st.columns(len(keys)), keys):
        with column:
            vectors[key] = vector_editor(key, labels[key])
    # on_change="rerun" makes the expander lazy: closed, its sliders cost nothing per rerun
    sliders = st.expander("Drag with sliders", key=SLIDERS_OPEN, on_change="rerun")
    if sliders.open:
        with sliders:
            for column, key in zip(st.columns(len(keys)), keys):
                with column:
                    vector_sliders(key, vectors[key], names)
    return vectors


def softmax_controls() -> Vectors:
    logits, temperature = st.columns([2, 1])
    with logits:
        typed = vector_box("logits", "Logits z (comma-separated scores, 2 to 10 of them)")
        values = show_problem("logits", typed)
    temperature.slider(
        "Temperature T",
        *TEMPERATURE_RANGE,
        step=0.05,
        key="temperature",
        persist_state=KEEP,
        on_change=edits.edited,
        help="T < 1 sharpens the distribution, T > 1 flattens it; T = 0 is not allowed.",
    )
    return {"logits": values}


def lab_input(section: str, vectors: Vectors) -> lab.LabInput:
    """The section's inputs from the settings; vectors holds the numbers of its boxes."""
    s = st.session_state
    all_names = lab.NAME_SETS[s.names]
    return lab.LabInput(
        section=section,
        class_names=tuple(all_names) if section == "softmax" else lab.class_names(s.names, s.n),
        p=vectors.get("p") or (),
        q=vectors.get("q") or (),
        base=s.base,
        auto_normalise=s.auto_normalise,
        logits=vectors.get("logits") or (),
        temperature=float(s.temperature),
    )


def last_valid_caption(result: lab.LabResult) -> str:
    inputs = result.inputs
    if result.section == "softmax":
        shown = f"z = {lab.format_numbers(inputs.logits)}, T = {inputs.temperature:g}"
    elif result.section == "entropy":
        shown = f"p = {lab.format_numbers(inputs.p)}"
    else:
        shown = f"p = {lab.format_numbers(inputs.p)} and q = {lab.format_numbers(inputs.q)}"
    return f"Below: the last valid result, for {shown}."


def hint(message: str) -> str:
    if "sums to" in message:
        return message + ". Press normalise, or turn on auto-normalise."
    return message + "."
