"""Widgets and result panels of the Information & loss lab (the page file only wires them up)."""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from core import information as info
from dashboard import information_figures as figures
from dashboard import information_lab as lab
from dashboard import information_state as state
from dashboard.information_presets import PRESETS, matching_preset

BASE_LABELS = {"2": "log₂ · bits", "e": "ln · nats", "10": "log₁₀ · hartleys"}
LOG_LATEX = {"2": r"\log_2", "e": r"\ln", "10": r"\log_{10}"}
VECTOR_LABELS = {
    "p": "p, the true distribution (comma-separated, one per class)",
    "q": "q, the prediction (comma-separated, one per class)",
}
SLIDERS_OPEN = "_information_sliders_open"  # the lazy slider expander's state
SSE_LABELS = {"p": "t, the target (usually one-hot)", "q": "y, the network's output"}


def number(value: float, unit: str = "", digits: int = 4) -> str:
    """4 decimals and the unit; ∞ spelled out, since an infinite loss is a lesson here."""
    text = "∞" if math.isinf(value) else f"{value:.{digits}f}"
    return f"{text} {unit}".strip()


# --- controls ------------------------------------------------------------------------------


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


# --- results -------------------------------------------------------------------------------


def table(columns: dict) -> None:
    """Every number with 6 significant digits, so the tutorial numbers can be read off."""
    rows = {
        name: [value if isinstance(value, str) else number_cell(value) for value in values]
        for name, values in columns.items()
    }
    st.table(rows, hide_index=True)


def number_cell(value: float) -> str:
    return "∞" if math.isinf(value) else f"{value:.6g}"


def preset_banner(result: lab.LabResult) -> None:
    preset = matching_preset(st.session_state.preset, dict(st.session_state))
    if preset is None or preset.state.get("section") != result.section:
        return
    here = ", ".join(highlighted(result, name) for name in preset.highlight)
    st.success(
        f"**{preset.label}.** {preset.note}  \nTutorial: **{preset.expected}** · here: **{here}**",
        icon=":material/school:",
    )


HIGHLIGHT_LABELS = {"sse": "SSE", "cross_entropy_eps": "CEE", "softmax at T": "softmax"}


def highlighted(result: lab.LabResult, name: str) -> str:
    """A result number (or column) as the tutorial would print it, with its unit."""
    if name in result.columns:
        text = ", ".join(f"{value:.4f}" for value in result.columns[name])
    else:
        text = number(result.numbers[name], unit_for(result, name))
    label = HIGHLIGHT_LABELS.get(name)
    return f"{label} {text}" if label else text


def unit_for(result: lab.LabResult, name: str) -> str:
    unitless = {"sse", "max_probability", "effective_classes", "true_probability"}
    return "" if name in unitless else info.unit(result.inputs.base)


def show_entropy(result: lab.LabResult) -> None:
    b, unit = result.inputs.base, info.unit(result.inputs.base)
    log = LOG_LATEX[b]
    st.latex(rf"I(x) = -{log} p(x) \qquad H(p) = -\sum_i p_i {log} p_i")
    columns = st.columns(3)
    columns[0].metric("Entropy H(p)", number(result.numbers["entropy"], unit), border=True)
    columns[1].metric(
        "Largest possible, log n", number(result.numbers["max_entropy"], unit), border=True
    )
    columns[2].metric(
        "As many choices as",
        f"{result.numbers['effective_classes']:.2f} equal classes",
        help="b^H: a fair die with this many sides is as uncertain as p.",
        border=True,
    )
    st.caption(
        "Surprisal is how much an outcome tells you: a sure thing (p = 1) tells you nothing, "
        "a rare one a lot. Entropy is the surprisal you expect on average."
    )
    names, p = result.columns["class"], result.columns["p"]
    left, right = st.columns(2)
    left.plotly_chart(figures.distribution_bars(names, p), key="info_bars")
    right.plotly_chart(
        figures.contribution_bars(names, result.columns["p × surprisal"], unit=unit),
        key="info_share",
    )
    left, right = st.columns(2)
    left.plotly_chart(
        figures.surprisal_curve(p, names, info.BASES[b], unit, "Surprisal −log p of each class"),
        key="info_surprisal",
    )
    right.plotly_chart(
        figures.bernoulli_curve(p, names, info.bernoulli_entropy(p, b), info.BASES[b], unit),
        key="info_bernoulli",
    )
    table(result.columns)


def show_cross_entropy(result: lab.LabResult) -> None:
    b, unit = result.inputs.base, info.unit(result.inputs.base)
    log = LOG_LATEX[b]
    st.latex(
        rf"H(p, q) = -\sum_i p_i {log} q_i \qquad "
        rf"D_{{KL}}(p \,\|\, q) = \sum_i p_i {log} \frac{{p_i}}{{q_i}} = H(p, q) - H(p)"
    )
    for note in result.notes:
        st.warning(note, icon=":material/all_inclusive:")
    columns = st.columns(4)
    numbers = result.numbers
    columns[0].metric("Entropy H(p)", number(numbers["entropy"], unit), border=True)
    columns[1].metric("Cross-entropy H(p, q)", number(numbers["cross_entropy"], unit), border=True)
    columns[2].metric("KL divergence", number(numbers["kl_divergence"], unit), border=True)
    columns[3].metric(
        f"H(p, q) with eps = {info.TUTORIAL_EPS:g}",
        number(numbers["cross_entropy_eps"], unit),
        help="−Σ p log(q + eps): what a loss function computes so that log 0 never happens.",
        border=True,
    )
    st.caption(
        "Cross-entropy is the average surprisal of the truth when you believe q; it is never "
        "below H(p), and the gap is the KL divergence. With a one-hot p it is just −log q of "
        "the true class: the classification loss. "
        f"Why eps: log 0 = −∞, so a model that gives the truth probability 0 would get an "
        f"infinite loss and NaN gradients; log(q + {info.TUTORIAL_EPS:g}) caps one example's "
        f"loss at {number(-math.log(info.TUTORIAL_EPS) / math.log(info.BASES[b]), unit, 2)}."
    )
    names = result.columns["class"]
    p, q = result.columns["p"], result.columns["q"]
    left, right = st.columns(2)
    left.plotly_chart(figures.distribution_bars(names, p, q), key="info_bars")
    right.plotly_chart(
        figures.contribution_bars(
            names, result.columns["p × (-log p)"], result.columns["p × (-log q)"], unit
        ),
        key="info_share",
    )
    truth = p > 0
    st.plotly_chart(
        figures.surprisal_curve(
            q[truth], names[truth], info.BASES[b], unit, "−log q for the classes p says can happen"
        ),
        key="info_surprisal",
    )
    table(result.columns)


def show_sse(result: lab.LabResult) -> None:
    b, unit = result.inputs.base, info.unit(result.inputs.base)
    log = LOG_LATEX[b]
    st.latex(
        rf"E = \tfrac{{1}}{{2}}\sum_k (y_k - t_k)^2 \qquad "
        rf"CE = -\sum_k t_k {log}(y_k + \varepsilon)"
    )
    st.latex(
        r"\text{through } y = \mathrm{softmax}(z):\quad "
        r"\frac{\partial CE}{\partial z} \propto y - t \qquad "
        r"\frac{\partial E}{\partial z} = J^\top (y - t),\; J = \mathrm{diag}(y) - y y^\top"
    )
    numbers = result.numbers
    columns = st.columns(4)
    columns[0].metric("Sum of squared errors", number(numbers["sse"]), border=True)
    columns[1].metric(
        f"Cross-entropy (eps {info.TUTORIAL_EPS:g})",
        number(numbers["cross_entropy_eps"], unit),
        border=True,
    )
    columns[2].metric("Gradient size, CE", number(numbers["ce_logit_gradient"]), border=True)
    columns[3].metric("Gradient size, SSE", number(numbers["sse_logit_gradient"]), border=True)
    st.caption(
        "Both losses are 0 when y = t. The difference is what happens when the network is sure "
        "and wrong (the true class gets almost 0): the softmax is flat there, so the SSE "
        "gradient on the logits z nearly vanishes and learning stalls, while cross-entropy's "
        "log undoes the flatness: its gradient y − t stays as big as the mistake."
    )
    sweep = lab.confidence_sweep(result.columns["prediction y"], result.columns["target t"], b)
    losses, gradients = figures.loss_and_gradient_curves(sweep, numbers["true_probability"], unit)
    left, right = st.columns(2)
    left.plotly_chart(losses, key="info_losses")
    right.plotly_chart(gradients, key="info_gradients")
    table(result.columns)


def show_softmax(result: lab.LabResult) -> None:
    unit = info.unit(result.inputs.base)
    st.latex(r"\mathrm{softmax}(z)_i = \frac{e^{z_i / T}}{\sum_j e^{z_j / T}}")
    numbers = result.numbers
    columns = st.columns(3)
    columns[0].metric("Largest probability", number(numbers["max_probability"]), border=True)
    columns[1].metric("Entropy of the output", number(numbers["entropy"], unit), border=True)
    columns[2].metric("Largest possible", number(numbers["max_entropy"], unit), border=True)
    probabilities = result.columns["softmax at T"]
    st.plotly_chart(
        figures.softmax_bars(
            result.columns["class"],
            probabilities,
            result.columns["softmax at T = 1"],
            result.inputs.temperature,
        ),
        key="info_softmax",
    )
    st.button(
        "Use these probabilities as q in cross-entropy",
        on_click=state.use_softmax_as_q,
        args=(probabilities,),
        icon=":material/arrow_forward:",
    )
    table(result.columns)


RENDERERS = {
    "entropy": show_entropy,
    "cross_entropy": show_cross_entropy,
    "sse": show_sse,
    "softmax": show_softmax,
}


def show_result(result: lab.LabResult) -> None:
    preset_banner(result)
    RENDERERS[result.section](result)
