"""Result panels of the Information & loss lab: formulas, numbers with units, figures, tables."""

from __future__ import annotations

import math

import streamlit as st

from core import information as info
from dashboard.formula import formula
from pages.information import edits, figures, lab
from pages.information.presets import matching_preset
from pages.information.settings import SETTINGS

LOG_LATEX = {"2": r"\log_2", "e": r"\ln", "10": r"\log_{10}"}


def number(value: float, unit: str = "", digits: int = 4) -> str:
    """4 decimals and the unit; ∞ spelled out, since an infinite loss is a lesson here."""
    text = "∞" if math.isinf(value) else f"{value:.{digits}f}"
    return f"{text} {unit}".strip()


def table(result: lab.LabResult) -> None:
    """Every number with 6 significant digits, so the tutorial numbers can be read off,
    under a header that says its unit."""
    rows = {
        lab.column_header(name, result.inputs.base): [
            value if isinstance(value, str) else number_cell(value) for value in values
        ]
        for name, values in result.columns.items()
    }
    st.table(rows, hide_index=True)


def number_cell(value: float) -> str:
    return "∞" if math.isinf(value) else f"{value:.6g}"


def preset_banner(result: lab.LabResult) -> None:
    preset = matching_preset(st.session_state.preset, SETTINGS.values())
    if preset is None or preset.state.get("section") != result.section:
        return
    here = "; ".join(highlighted(result, name) for name in preset.highlight)
    st.success(
        f"**{preset.label}.** {preset.note}  \nTutorial: **{preset.expected}** · here: **{here}**",
        icon=":material/school:",
    )


HIGHLIGHT_LABELS = {
    "sse": "SSE",
    "cross_entropy_eps": "CEE",
    "softmax at T": "softmax",
    "surprisal": "surprisal",
    "entropy": "H",
}


def highlighted(result: lab.LabResult, name: str) -> str:
    """A result number (or column) as the tutorial would print it, with its unit.

    Log columns (surprisals) keep 6 significant digits, as the tutorials print them.
    """
    if name in lab.LOG_COLUMNS:
        values = ", ".join(number_cell(value) for value in result.columns[name])
        text = f"{values} {info.unit(result.inputs.base)}"
    elif name in result.columns:
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
    formula(rf"I(x) = -{log} p(x) \qquad H(p) = -\sum_i p_i {log} p_i")
    columns = st.columns(3)
    columns[0].metric("Entropy H(p)", number(result.numbers["entropy"], unit), border=True)
    columns[1].metric(
        "Largest possible, log n", number(result.numbers["max_entropy"], unit), border=True
    )
    columns[2].metric(
        "As many equal classes as",  # the unit in the label: the value fits at 1280 px
        f"{result.numbers['effective_classes']:.2f}",
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
    table(result)


def show_cross_entropy(result: lab.LabResult) -> None:
    b, unit = result.inputs.base, info.unit(result.inputs.base)
    log = LOG_LATEX[b]
    formula(
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
            names,
            result.columns["p × (-log p)"],
            result.columns["p × (-log q)"],
            unit,
            eps_terms=info.cross_entropy_terms(p, q, b, eps=info.TUTORIAL_EPS),
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
    table(result)


def show_sse(result: lab.LabResult) -> None:
    b, unit = result.inputs.base, info.unit(result.inputs.base)
    log = LOG_LATEX[b]
    formula(
        rf"E = \tfrac{{1}}{{2}}\sum_k (y_k - t_k)^2 \qquad "
        rf"CE = -\sum_k t_k {log}(y_k + \varepsilon)"
    )
    formula(
        r"\text{through } y = \mathrm{softmax}(z):\quad "
        r"\frac{\partial CE}{\partial z} \propto y - t \qquad "
        r"\frac{\partial E}{\partial z} = J^\top (y - t),\; J = \mathrm{diag}(y) - y y^\top"
    )
    for note in result.notes:
        st.warning(note, icon=":material/all_inclusive:")
    numbers = result.numbers
    columns = [*st.columns(2), *st.columns(2)]  # four in a row cut "0.6021 hartleys"
    columns[0].metric(
        "Sum of squared errors",
        number(numbers["sse"]),
        help="½ Σ (y − t)² of probabilities: a plain number, it has no unit.",
        border=True,
    )
    columns[1].metric(
        f"Cross-entropy (eps {info.TUTORIAL_EPS:g})",
        number(numbers["cross_entropy_eps"], unit),
        border=True,
    )
    columns[2].metric(
        "Gradient ‖∂CE/∂z‖",
        number(numbers["ce_logit_gradient"]),
        help="The length of y − t, the gradient of the (natural-log) cross-entropy on the "
        "logits z that backpropagation uses: a length of probability differences, it has "
        "no unit.",
        border=True,
    )
    columns[3].metric(
        "Gradient ‖∂SSE/∂z‖",
        number(numbers["sse_logit_gradient"]),
        help="The length of the SSE's gradient on the logits z: how much it changes per "
        "unit move of the logits. Neither SSE nor z has a unit, so neither does this.",
        border=True,
    )
    st.caption(
        "Both losses are 0 when y = t. The difference is what happens when the network is sure "
        "and wrong (the true class gets almost 0): the softmax is flat there, so the SSE "
        "gradient on the logits z nearly vanishes and learning stalls, while cross-entropy's "
        "log undoes the flatness: its gradient y − t stays as big as the mistake."
    )
    sweep = info.confidence_sweep(result.columns["prediction y"], result.columns["target t"], b)
    losses, gradients = figures.loss_and_gradient_curves(sweep, numbers["true_probability"], unit)
    left, right = st.columns(2)
    left.plotly_chart(losses, key="info_losses")
    right.plotly_chart(gradients, key="info_gradients")
    table(result)


def show_softmax(result: lab.LabResult) -> None:
    unit = info.unit(result.inputs.base)
    formula(r"\mathrm{softmax}(z)_i = \frac{e^{z_i / T}}{\sum_j e^{z_j / T}}")
    numbers = result.numbers
    columns = st.columns(3)
    columns[0].metric("Largest probability", number(numbers["max_probability"]), border=True)
    columns[1].metric("Entropy of the output", number(numbers["entropy"], unit), border=True)
    columns[2].metric("Largest possible", number(numbers["max_entropy"], unit), border=True)
    st.caption(
        "Softmax turns any scores into probabilities and keeps their order. Dividing by a "
        "temperature T < 1 sharpens them towards the largest logit (a one-hot argmax as "
        "T → 0); T > 1 flattens them towards uniform."
    )
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
        on_click=edits.use_softmax_as_q,
        args=(probabilities,),
        icon=":material/arrow_forward:",
    )
    table(result)


RENDERERS = {
    "entropy": show_entropy,
    "cross_entropy": show_cross_entropy,
    "sse": show_sse,
    "softmax": show_softmax,
}


def show_result(result: lab.LabResult) -> None:
    preset_banner(result)
    RENDERERS[result.section](result)
