"""Plotly figures and image helpers of the Training studio."""

from __future__ import annotations

import copy
from functools import lru_cache

import numpy as np
import plotly.graph_objects as go
from _plotly_utils.utils import to_typed_array_spec
from plotly.subplots import make_subplots

TRAIN_COLOR, VALIDATION_COLOR = "#1f77b4", "#ff7f0e"
VALIDATE = False  # Plotly's per-property checks of the live curves: on in the tests only
RUN_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b")


@lru_cache(maxsize=1)
def _loss_and_accuracy_layout() -> dict:
    """make_subplots' two side-by-side panels, built once: it alone costs ~7 ms.

    Never changed after: a figure's layout is a shallow copy with its own title.
    """
    layout = make_subplots(rows=1, cols=2, subplot_titles=("loss", "accuracy")).layout
    layout = layout.to_plotly_json()
    for axis in ("xaxis", "xaxis2"):
        layout[axis]["title"] = {"text": "epoch"}
    layout.update(height=340, margin={"t": 60, "b": 40}, legend={"orientation": "h", "y": -0.25})
    return layout


class PreparedFigure(go.Figure):
    """A figure handed over as its final dict.

    st.plotly_chart (and plotly.io.to_json) take a figure's `to_dict()`, which copies every
    property; this one returns the dict it was given, built without Plotly's objects. The
    tests check the JSON is exactly that of the figure Plotly builds and checks itself.
    """

    def __init__(self, spec: dict):
        super().__init__()
        self._prepared = spec

    def to_dict(self) -> dict:
        return self._prepared


def curve_values(values) -> np.ndarray | dict:
    """A within-epoch curve (up to 400 points while live) as 32-bit floats, already in the
    base64 form Plotly sends arrays in: half the bytes of text numbers, and st.plotly_chart's
    copy and JSON encoding of the figure handle one string instead of hundreds of floats.
    Unchecked only: with VALIDATE (the tests) Plotly encodes the array itself."""
    array = np.asarray(values, dtype=np.float32)
    return array if VALIDATE else to_typed_array_spec(array)


def curves_figure(series: dict[str, list], title: str = "") -> go.Figure:
    """Loss and accuracy: within-epoch running averages (lines), epoch ends (markers).

    The live panel draws this on every tick while a run trains, so it is built from
    plain dicts without Plotly's per-property checks (VALIDATE; the tests turn them on
    and compare): checked, it cost ~17 ms of the server's GIL per tick; as Plotly objects
    unchecked, ~8 ms; as a prepared dict with its curves in base64, ~1 ms.
    """
    traces = []
    for column, metric in enumerate(("loss", "accuracy"), start=1):
        axes = {
            "xaxis": f"x{column if column > 1 else ''}",
            "yaxis": f"y{column if column > 1 else ''}",
        }
        traces.append(
            {
                "type": "scatter",
                "x": curve_values(series.get("batch_epoch", [])),
                "y": curve_values(series.get(f"batch_{metric}", [])),
                "mode": "lines",
                "name": "train (within epoch)",
                "line": {"color": TRAIN_COLOR, "width": 1},
                "opacity": 0.6,
                "showlegend": column == 1,
                "legendgroup": "batch",
                **axes,
            }
        )
        for name, label, color in (
            (f"epoch_{metric}", "train (epoch)", TRAIN_COLOR),
            (f"epoch_val_{metric}", "validation (epoch)", VALIDATION_COLOR),
        ):
            values = series.get(name, [])
            if values and not all(np.isnan(values)):
                traces.append(
                    {
                        "type": "scatter",
                        "x": series.get("epoch", []),
                        "y": values,
                        "mode": "lines+markers",
                        "name": label,
                        "line": {"color": color},
                        "showlegend": column == 1,
                        "legendgroup": label,
                        **axes,
                    }
                )
    spec = {"data": traces, "layout": {**_loss_and_accuracy_layout(), "title": {"text": title}}}
    if VALIDATE:
        return go.Figure(copy.deepcopy(spec), _validate=True)
    return PreparedFigure(spec)


def overlay_metric(runs: list[tuple[str, dict[str, list]]]) -> tuple[str, str]:
    """The one accuracy every run has: validation when all have it, else training."""

    def has(series, name):
        values = series.get(name, [])
        return bool(values) and not all(np.isnan(values))

    if all(has(series, "epoch_val_accuracy") for _, series in runs):
        return "epoch_val_accuracy", "validation accuracy"
    return "epoch_accuracy", "training accuracy (not every run has a validation split)"


def overlay_figure(runs: list[tuple[str, dict[str, list]]]) -> go.Figure:
    """Several runs' curves on one chart: training loss, and one accuracy, named, per epoch."""
    metric, metric_title = overlay_metric(runs)
    figure = make_subplots(rows=1, cols=2, subplot_titles=("training loss", metric_title))
    for index, (label, series) in enumerate(runs):
        color = RUN_COLORS[index % len(RUN_COLORS)]
        figure.add_trace(
            go.Scatter(
                x=series.get("batch_epoch", []),
                y=series.get("batch_loss", []),
                mode="lines",
                name=label,
                line={"color": color},
                legendgroup=label,
            ),
            row=1,
            col=1,
        )
        figure.add_trace(
            go.Scatter(
                x=series.get("epoch", []),
                y=series.get(metric, []),
                mode="lines+markers",
                name=label,
                line={"color": color},
                legendgroup=label,
                showlegend=False,
            ),
            row=1,
            col=2,
        )
    figure.update_xaxes(title_text="epoch")
    figure.update_layout(height=360, margin={"t": 50}, legend={"orientation": "h", "y": -0.25})
    return figure


def every_class(class_names: tuple[str, ...]) -> dict:
    """An axis that labels every class: digit names would otherwise be read as numbers and
    ticked every other one, and long Fashion names thinned out."""
    names = list(class_names)
    return {"type": "category", "tickmode": "array", "tickvals": names, "ticktext": names}


def confusion_figure(counts: np.ndarray, class_names: tuple[str, ...]) -> go.Figure:
    figure = go.Figure(
        go.Heatmap(
            z=counts,
            x=list(class_names),
            y=list(class_names),
            text=counts,
            texttemplate="%{text}",
            colorscale="Blues",
            hovertemplate="true %{y}, predicted %{x}: %{z} images<extra></extra>",
        )
    )
    figure.update_layout(
        xaxis={**every_class(class_names), "title": {"text": "predicted"}},
        yaxis={**every_class(class_names), "title": {"text": "true"}},
        yaxis_autorange="reversed",
        height=480,
        margin={"t": 20},
    )
    return figure


def per_class_figure(accuracies: np.ndarray, class_names: tuple[str, ...]) -> go.Figure:
    figure = go.Figure(
        go.Bar(
            x=list(class_names),
            y=accuracies,
            text=[f"{value:.3f}" for value in accuracies],
            textposition="outside",
        )
    )
    figure.update_layout(
        xaxis=every_class(class_names),
        yaxis_title="test accuracy",
        yaxis_range=[0, 1.08],
        height=320,
        margin={"t": 20},
    )
    return figure


def class_counts_figure(counts: np.ndarray, class_names: tuple[str, ...]) -> go.Figure:
    figure = go.Figure(
        # the tallest bar's number sits above the plot area: clipped to it, it was cut in half
        go.Bar(x=list(class_names), y=counts, text=counts, textposition="outside", cliponaxis=False)
    )
    figure.update_layout(
        xaxis=every_class(class_names), yaxis_title="training images", height=300, margin={"t": 20}
    )
    return figure


def diverging_rgb(weights: np.ndarray) -> np.ndarray:
    """Weights as colour: blue negative, white zero, red positive, scaled to the largest |w|."""
    scale = float(np.max(np.abs(weights))) or 1.0
    t = np.clip(weights / scale, -1.0, 1.0)[..., None]
    white, red, blue = np.ones(3), np.array([0.8, 0.1, 0.1]), np.array([0.1, 0.3, 0.8])
    rgb = np.where(t >= 0, white + t * (red - white), white - t * (blue - white))
    return (rgb * 255).round().astype(np.uint8)


def enlarge(image: np.ndarray, size: int = 84) -> np.ndarray:
    """Nearest-neighbour upscaling, so a 5x5 filter is seen as blocks, not a blur."""
    factor = max(1, size // image.shape[0])
    return np.repeat(np.repeat(image, factor, axis=0), factor, axis=1)
