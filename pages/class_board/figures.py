"""The board's figures, drawn for a projector: big markers, few words, names as plain text.

Plotly renders a few HTML tags in labels and hover text, so every name from a student is
HTML-escaped before it reaches a figure.
"""

from __future__ import annotations

import html
import math
from functools import lru_cache

import plotly.graph_objects as go

from core.classroom.records import BoardEntry
from core.classroom.summary import Reference, SweepProgress, best_per_value
from core.models import FAMILY_TITLES

FAMILY_COLORS = {"softmax": "#2563eb", "mlp": "#16a34a", "cnn_fast": "#dc2626", "cnn": "#9333ea"}
REFERENCE_COLOR = "#64748b"
HEIGHT = 420
FIGURES_KEPT = 64  # boards' figures kept per process (a few classes, a few tabs each)


def _layout(
    figure: go.Figure,
    x_title: str,
    log_x: bool,
    y_title: str = "test accuracy",
    doubling: bool = False,  # ticks at powers of two (batch sizes), else at decades
) -> go.Figure:
    figure.update_layout(
        height=HEIGHT,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        font={"size": 15},
        legend={"orientation": "h", "y": 1.12, "x": 0},
        xaxis={
            "title": x_title,
            "type": "log",
            "tick0": 0,
            "dtick": math.log10(2) if doubling else 1,
            "tickformat": "~g",
        }
        if log_x
        else {"title": x_title},
        yaxis={"title": y_title, "range": [0, 1.02]},
    )
    return figure


def _reference_line(figure: go.Figure, reference: Reference | None) -> None:
    if reference is not None:
        figure.add_hline(
            y=reference.value,
            line={"color": REFERENCE_COLOR, "dash": "dash"},
            annotation_text=html.escape(f"tutorial {reference.value:.3f}"),
            annotation_position="bottom right",
        )


@lru_cache(maxsize=FIGURES_KEPT)
def accuracy_figure(
    entries: tuple[BoardEntry, ...],
    field: str,
    title: str,
    log_x: bool,
    reference: Reference | None,
) -> go.Figure:
    """Test accuracy against one setting, one colour per model family.

    Every student of a class refreshes the same board: the figure is built once per board
    content and shared (st.plotly_chart copies a Figure; given a dict it would validate it
    anew on every refresh).
    """
    figure = go.Figure()
    for family in sorted({entry.family for entry in entries}):
        chosen = [entry for entry in entries if entry.family == family]
        figure.add_trace(
            go.Scatter(
                x=[getattr(entry, field) for entry in chosen],
                y=[entry.test_accuracy for entry in chosen],
                mode="markers",
                name=html.escape(FAMILY_TITLES.get(family, family)),
                marker={"size": 13, "color": FAMILY_COLORS.get(family), "line": {"width": 1}},
                text=[html.escape(entry.student) for entry in chosen],
                hovertemplate="%{text}<br>%{x}<br>accuracy %{y:.4f}<extra></extra>",
            )
        )
    _reference_line(figure, reference)
    return _layout(figure, title, log_x, doubling=field == "batch_size")


@lru_cache(maxsize=FIGURES_KEPT)
def sweep_figure(progress: SweepProgress, order: tuple, reference: Reference | None) -> go.Figure:
    """Each answer as a dot, and the best accuracy per value as the experiment's curve."""
    figure = go.Figure()
    titles = (lambda value: FAMILY_TITLES.get(value, value)) if not progress.log_axis else None
    shown = (lambda values: [titles(value) for value in values]) if titles else list
    values, best = best_per_value(progress.points, order)
    figure.add_trace(
        go.Scatter(
            x=shown([value for value, _, _ in progress.points]),
            y=[accuracy for _, accuracy, _ in progress.points],
            mode="markers",
            name="a student's run",
            marker={"size": 12, "color": "#93c5fd", "line": {"width": 1, "color": "#1e3a8a"}},
            text=[html.escape(student) for _, _, student in progress.points],
            hovertemplate="%{text}<br>%{x}<br>accuracy %{y:.4f}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=shown(values),
            y=best,
            mode="lines+markers",
            name="best per value",
            line={"color": "#1d4ed8", "width": 3},
            marker={"size": 9},
        )  # fmt: skip
    )
    _reference_line(figure, reference)
    _layout(figure, progress.title, progress.log_axis, doubling=progress.title == "batch size")
    if titles:
        figure.update_xaxes(categoryorder="array", categoryarray=[titles(value) for value in order])
    else:  # the whole range handed out, so the curve grows into its place
        figure.update_xaxes(range=[math.log10(order[0]) - 0.2, math.log10(order[-1]) + 0.2])
    return figure


def confusion_figure(counts: list[list[int]]) -> go.Figure:
    digits = [str(digit) for digit in range(10)]
    figure = go.Figure(
        go.Heatmap(
            z=counts,
            x=digits,
            y=digits,
            colorscale="Blues",
            showscale=False,
            text=counts,
            texttemplate="%{text}",
            hovertemplate="meant %{y}, read %{x}: %{z}<extra></extra>",
        )  # fmt: skip
    )
    figure.update_layout(
        height=330, margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"title": "the model read", "type": "category"},
        yaxis={"title": "the student meant", "type": "category", "autorange": "reversed"},
    )  # fmt: skip
    return figure


def curves_figure(curves: dict, title: str) -> go.Figure:
    """A sent run's accuracy while it trained: within epochs, and validation at epoch ends."""
    figure = go.Figure()
    lines = (
        ("batch_epoch", "batch_accuracy", "train (within epoch)", "lines"),
        ("epoch", "epoch_val_accuracy", "validation (epoch)", "lines+markers"),
    )
    for x_name, y_name, label, mode in lines:
        if curves.get(y_name) and any(value is not None for value in curves[y_name]):
            figure.add_trace(
                go.Scatter(x=curves.get(x_name, []), y=curves[y_name], mode=mode, name=label)
            )
    figure.update_layout(title=html.escape(title))
    return _layout(figure, "epoch", False, "accuracy")
