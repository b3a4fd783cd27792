"""Plotly figures of the Information & loss lab: pure functions from numbers to figures.

Each figure is written as one dict and wrapped by `go.Figure(..., _validate=False)`:
building it with update_layout/add_trace calls, or validating it, costs several
times more (validation was a third of the page's rerun), and the whole page must
rerun in about 30 ms. The dicts come from this code, not from the student, so the
tests validate every builder's output once instead (tests/test_information.py).
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

P_COLOR, Q_COLOR = "#1f77b4", "#ff7f0e"
CE_COLOR, SSE_COLOR = "#d62728", "#2ca02c"
CURVE_COLOR = "#7f7f7f"
CURVE_GRID = np.linspace(0.001, 1, 200)  # log is infinite at 0: start just after it
BERNOULLI_GRID = np.linspace(0, 1, 101)
EMPTY_TEMPLATE = {"layout": {}}


def _figure(data: list[dict], title: str, x_title: str, y_title: str, **layout) -> go.Figure:
    """One figure with the lab's common layout, not validated (the tests do that)."""
    base_layout = {
        "title": {"text": title, "font": {"size": 15}},
        "height": 320,
        # about what Plotly's automargin grows 10 px to for the tick labels and axis titles:
        # from 10 px every new figure was drawn twice, the second time after growing them
        "margin": {"l": 72, "r": 16, "t": 60, "b": 68},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        "xaxis": {"title": {"text": x_title}},
        "yaxis": {"title": {"text": y_title}},
        "template": EMPTY_TEMPLATE,  # Streamlit's theme styles the chart; skip plotly's default
    }
    for key, value in layout.items():  # one level deep: xaxis / yaxis settings are merged
        if isinstance(value, dict) and isinstance(base_layout.get(key), dict):
            base_layout[key] = {**base_layout[key], **value}
        else:
            base_layout[key] = value
    # _validate is plotly's own switch (plotly.io uses it for templates): the figure's
    # to_dict(), which st.plotly_chart calls, is then a plain copy
    return go.Figure({"data": data, "layout": base_layout}, _validate=False)


def _names(names) -> list[str]:
    return [str(name) for name in names]


def _class_axis_margin(names) -> dict:
    """Long class names (Fashion's) are slanted under a half-width figure: room for them
    below and for the last one's overhang on the right, asked for rather than grown."""
    if max(len(name) for name in _names(names)) <= 5:
        return {}
    return {"margin": {"l": 72, "r": 52, "t": 60, "b": 96}}


def distribution_bars(names, p, q=None, p_label="p (truth)", q_label="q (prediction)"):
    """p (and q) side by side for each class."""
    data = [
        {
            "type": "bar",
            "x": _names(names),
            "y": list(p),
            "name": p_label,
            "marker": {"color": P_COLOR},
        }
    ]
    if q is not None:
        data.append(
            {
                "type": "bar",
                "x": _names(names),
                "y": list(q),
                "name": q_label,
                "marker": {"color": Q_COLOR},
            }
        )
    title = "p and q for each class" if q is not None else "p for each class"
    return _figure(
        data, title, "class", "probability",
        xaxis={"type": "category"}, yaxis={"range": [0, 1.05]}, **_class_axis_margin(names),
    )  # fmt: skip


def contribution_bars(names, entropy_terms, cross_terms=None, unit="bits", eps_terms=None):
    """Each class's share of H(p) (and of H(p, q)), stacked: the gap is D_KL(p || q).

    An infinite share (q = 0 where p > 0) is drawn hatched at its eps-clipped height
    `eps_terms[i]`, so the bar is at least visibly huge instead of silently short.
    """
    columns = ["H(p)"] if cross_terms is None else ["H(p)", "H(p, q)"]
    data, infinite = [], []
    for index, name in enumerate(_names(names)):
        values, patterns = [float(entropy_terms[index])], [""]
        if cross_terms is not None:
            value = float(cross_terms[index])
            if math.isinf(value):
                infinite.append(name)
                value = float(eps_terms[index]) if eps_terms is not None else None
            values.append(value)
            patterns.append("/" if math.isinf(float(cross_terms[index])) else "")
        data.append(
            {
                "type": "bar", "x": columns, "y": values, "name": name,
                "text": [name] * len(values), "textposition": "inside",
                "insidetextanchor": "middle", "marker": {"pattern": {"shape": patterns}},
            }
        )  # fmt: skip
    title = "Each class's share of the total"
    if infinite:
        drawn = "hatched, drawn with eps" if eps_terms is not None else "not drawn"
        title += f"<br>H(p, q) = ∞: q = 0 for {len(infinite)} class(es) ({drawn})"
    return _figure(
        data, title, "", unit, barmode="stack", showlegend=False,  # each bar says its class
        uniformtext={"minsize": 10, "mode": "hide"},
    )  # fmt: skip


def _grouped_labels(points: np.ndarray, labels: list[str]) -> list[str]:
    """One label per point; points at the same probability share one label ("Coat +4 more")."""
    texts = []
    for index, point in enumerate(points):
        same = [label for other, label in zip(points, labels) if other == point]
        first = index == next(i for i, other in enumerate(points) if other == point)
        if not first:
            texts.append("")
        elif len(same) == 1:
            texts.append(same[0])
        else:
            texts.append(f"{same[0]} +{len(same) - 1} more")
    return texts


def surprisal_curve(points, labels, base: float, unit: str, title: str):
    """The curve −log_b(x) with the current probabilities marked on it (x = 0 is off the chart)."""
    points = np.asarray(points, dtype=float)
    shown = points > 0
    heights = -np.log(points[shown]) / math.log(base)
    top = max(float(np.max(heights, initial=0)) * 1.15, -math.log(0.01) / math.log(base))
    data = [
        {
            "type": "scatter", "x": CURVE_GRID, "y": -np.log(CURVE_GRID) / math.log(base),
            "mode": "lines", "name": "−log x", "line": {"color": CURVE_COLOR},
        },
        {
            "type": "scatter", "x": points[shown], "y": heights, "mode": "markers+text",
            "text": _grouped_labels(
                points[shown], [label for label, keep in zip(_names(labels), shown) if keep]
            ),
            "textposition": "top right", "marker": {"size": 10, "color": Q_COLOR},
            "name": "the classes now",
        },
    ]  # fmt: skip
    return _figure(
        data, title, "probability", unit, xaxis={"range": [0, 1.02]}, yaxis={"range": [0, top]}
    )


def bernoulli_curve(points, labels, entropies, base: float, unit: str):
    """Entropy of the yes/no question "is it this class?" against P(yes), the classes marked."""
    x = BERNOULLI_GRID[1:-1]
    curve = np.concatenate([[0], -(x * np.log(x) + (1 - x) * np.log(1 - x)) / math.log(base), [0]])
    data = [
        {
            "type": "scatter", "x": BERNOULLI_GRID, "y": curve, "mode": "lines",
            "name": "H(Bernoulli)", "line": {"color": CURVE_COLOR},
        },
        {
            "type": "scatter", "x": list(points), "y": list(entropies), "mode": "markers+text",
            "text": _grouped_labels(np.asarray(points, dtype=float), _names(labels)),
            "textposition": "top center",
            "marker": {"size": 10, "color": P_COLOR}, "name": "P(class) now",
        },
    ]  # fmt: skip
    top = 1.2 * math.log(2) / math.log(base)
    return _figure(
        data, "Entropy of the yes/no question “is it this class?”", "P(yes)", unit,
        yaxis={"range": [0, top]},
    )  # fmt: skip


def _marker_line(x: float) -> dict:
    return {
        "type": "line", "x0": x, "x1": x, "y0": 0, "y1": 1, "yref": "paper",
        "line": {"dash": "dash", "color": "#444"},
    }  # fmt: skip


def loss_and_gradient_curves(sweep: dict, current: float, unit: str):
    """Two figures against the true class's probability: the losses, and their logit gradients."""
    s = sweep["true_probability"]

    def line(y, name, color):
        return {
            "type": "scatter",
            "x": s,
            "y": y,
            "mode": "lines",
            "name": name,
            "line": {"color": color},
        }

    shapes = [_marker_line(current)]
    losses = _figure(
        [
            line(sweep["cross_entropy"], f"cross-entropy ({unit})", CE_COLOR),
            line(sweep["sse"], "SSE (no unit)", SSE_COLOR),
        ],
        "Loss as the true class's probability moves", "q(true class)", "loss",
        shapes=shapes, xaxis={"range": [0, 1]},
        yaxis={"range": [0, min(float(np.max(sweep["cross_entropy"])), 8)]},
    )  # fmt: skip
    gradients = _figure(
        [
            line(sweep["ce_gradient"], f"|∂CE/∂z| ({unit})", CE_COLOR),
            line(sweep["sse_gradient"], "|∂SSE/∂z|", SSE_COLOR),
        ],
        "Gradient on the logits z: what training learns from", "q(true class)",
        "size of the gradient, per unit of z", shapes=shapes, xaxis={"range": [0, 1]},
    )  # fmt: skip
    return losses, gradients


def softmax_bars(names, probabilities, at_one, temperature: float):
    """softmax(z / T) next to softmax(z): a low T sharpens, a high T flattens."""
    data = [
        {
            "type": "bar", "x": _names(names), "y": list(probabilities),
            "name": f"T = {temperature:g}", "marker": {"color": Q_COLOR},
        },
    ]  # fmt: skip
    if temperature != 1:  # the T = 1 bars in grey behind, for comparison
        data.insert(
            0,
            {"type": "bar", "x": _names(names), "y": list(at_one), "name": "T = 1", "marker": {"color": "#c7c7c7"}},
        )  # fmt: skip
    return _figure(
        data, f"softmax(z / T) at T = {temperature:g}", "class", "probability",
        xaxis={"type": "category"}, yaxis={"range": [0, 1.05]}, **_class_axis_margin(names),
    )  # fmt: skip
