"""Widgets of the Information & loss lab: section, presets, class count, base, p, q, logits.

Every widget is bound to a URL key through pages.information.state.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import information as info
from pages.information import lab, state
from pages.information.presets import PRESETS

BASE_LABELS = {"2": "log₂ · bits", "e": "ln · nats", "10": "log₁₀ · hartleys"}
VECTOR_LABELS = {
    "p": "p, the true distribution (comma-separated, one per class)",
    "q": "q, the prediction (comma-separated, one per class)",
}
SLIDERS_OPEN = "_information_sliders_open"  # the lazy slider expander's state
SSE_LABELS = {"p": "t, the target (usually one-hot)", "q": "y, the network's output"}


def section_picker() -> str:
    st.segmented_control(
        "Section",
        list(lab.SECTIONS),
        format_func=lab.SECTIONS.get,
        required=True,
        key=state.bind("section"),
        on_change=state.copy_back,
        args=("section",),
        label_visibility="collapsed",
    )
    return st.session_state.section


def preset_buttons() -> None:
    st.caption("Tutorial examples: load one and compare with the number the tutorial prints.")
    for column, preset in zip(st.columns(len(PRESETS)), PRESETS.values()):
        column.button(
            preset.label,
            key=f"_information_preset_{preset.key}",
            on_click=state.apply_preset,
            args=(preset.key,),
            width="stretch",
        )


def common_controls(section: str) -> None:
    names, classes, base, normalise = st.columns([1.2, 1, 1.6, 1.2], vertical_alignment="bottom")
    names.radio(
        "Class names",
        list(lab.NAME_SETS),
        format_func={"digits": "digits 0–9", "fashion": "Fashion-MNIST"}.get,
        horizontal=True,
        key=state.bind("names"),
        on_change=state.copy_back,
        args=("names",),
    )
    if section != "softmax":
        classes.number_input(
            "Number of classes",
            min_value=lab.MIN_CLASSES,
            max_value=lab.MAX_CLASSES,
            step=1,
            key=state.bind("n"),
            on_change=state.classes_changed,
        )
    base.segmented_control(
        "Logarithm base (unit)",
        list(info.BASES),
        format_func=BASE_LABELS.get,
        required=True,
        key=state.bind("base"),
        on_change=state.copy_back,
        args=("base",),
    )
    if section != "softmax":
        normalise.toggle(
            "Auto-normalise",
            key=state.bind("auto_normalise"),
            on_change=state.copy_back,
            args=("auto_normalise",),
            help="Divide p and q by their sums instead of refusing vectors that do not sum to 1.",
        )


def vector_editor(key: str, label: str) -> None:
    """Text box, the four buttons, and the problem with the last edit if there was one."""
    st.text_input(label, key=state.bind(key), on_change=state.text_changed, args=(key,))
    for column, action in zip(st.columns(len(lab.ACTIONS)), lab.ACTIONS):
        column.button(
            action,
            key=f"_information_{key}_{action}",
            on_click=state.apply_action,
            args=(key, action),
            width="stretch",
        )
    error = state.input_errors().get(key)
    if error:
        st.error(error, icon=":material/error:")
    note = state.input_notes().get(key)
    if note:
        st.info(note, icon=":material/restart_alt:")


def vector_sliders(key: str, names: tuple[str, ...]) -> None:
    """One slider per class; moving one rescales the others so the total stays 1."""
    values = np.asarray(st.session_state[key], dtype=float)
    if values.size != len(names) or not np.all((values >= 0) & (values <= 1)):
        st.caption(f"Sliders appear when {key} has one value between 0 and 1 per class.")
        return
    for index, name in enumerate(names):
        slider = state.slider_key(key, index)
        if slider not in st.session_state:
            st.session_state[slider] = float(values[index])
        st.slider(
            f"{key}({name})",
            0.0,
            1.0,
            step=0.01,
            key=slider,
            on_change=state.slider_moved,
            args=(key, index),
        )


def distribution_editors(section: str, names: tuple[str, ...]) -> None:
    keys = ("p",) if section == "entropy" else ("p", "q")
    labels = SSE_LABELS if section == "sse" else VECTOR_LABELS
    for column, key in zip(st.columns(len(keys)), keys):
        with column:
            vector_editor(key, labels[key])
    # on_change="rerun" makes the expander lazy: closed, its sliders cost nothing per rerun
    sliders = st.expander("Drag with sliders", key=SLIDERS_OPEN, on_change="rerun")
    if sliders.open:
        with sliders:
            for column, key in zip(st.columns(len(keys)), keys):
                with column:
                    vector_sliders(key, names)


def softmax_controls() -> None:
    logits, temperature = st.columns([2, 1])
    with logits:
        vector_editor_logits()
    temperature.slider(
        "Temperature T",
        *state.TEMPERATURE_RANGE,
        step=0.05,
        key=state.bind("temperature"),
        on_change=state.copy_back,
        args=("temperature",),
        help="T < 1 sharpens the distribution, T > 1 flattens it; T = 0 is not allowed.",
    )


def vector_editor_logits() -> None:
    st.text_input(
        "Logits z (comma-separated scores, 2 to 10 of them)",
        key=state.bind("logits"),
        on_change=state.text_changed,
        args=("logits",),
    )
    error = state.input_errors().get("logits")
    if error:
        st.error(error, icon=":material/error:")


def lab_input(section: str) -> lab.LabInput:
    s = st.session_state
    all_names = lab.NAME_SETS[s.names]
    return lab.LabInput(
        section=section,
        class_names=tuple(all_names) if section == "softmax" else lab.class_names(s.names, s.n),
        p=tuple(s.p),
        q=tuple(s.q),
        base=s.base,
        auto_normalise=s.auto_normalise,
        logits=tuple(s.logits),
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
