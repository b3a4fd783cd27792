"""Plotly figures for the From-scratch page: curves, one picture, probabilities, weights."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

TRAIN_COLOUR, TEST_COLOUR, LOSS_COLOUR = "#1f77b4", "#d62728", "#7f7f7f"
MAX_LOSS_POINTS = 2000  # the chart is redrawn twice a second while training: keep it light


def _compact(figure: go.Figure, height: int) -> go.Figure:
    figure.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10))
    return figure


def accuracy_figure(epochs: Sequence[dict], total_epochs: float | None = None) -> go.Figure:
    """Train and test accuracy after each epoch (epoch 0 = the untrained net).

    total_epochs fixes the x axis to the whole run, so the curve grows into it.
    """
    x = [record["epoch"] for record in epochs]
    figure = go.Figure()
    for key, name, colour, dash in (
        ("train_accuracy", "train", TRAIN_COLOUR, "solid"),
        ("test_accuracy", "test", TEST_COLOUR, "dash"),  # dashed: often right on top of train
    ):
        figure.add_scatter(
            x=x,
            y=[record[key] for record in epochs],
            mode="lines+markers",
            name=name,
            line=dict(color=colour, dash=dash),
        )
    figure.update_layout(title="Accuracy per epoch", legend=dict(orientation="h", y=-0.25))
    last = max([total_epochs or 0, *x, 1])
    figure.update_xaxes(title="epoch", range=[-0.02 * last, 1.02 * last])
    figure.update_yaxes(title="accuracy", range=[0, 1.02])
    return _compact(figure, 340)


def loss_figure(losses: Sequence[float], total_iterations: int | None = None) -> go.Figure:
    """Cross-entropy of each mini-batch: noisy, because each batch is different.

    Above MAX_LOSS_POINTS iterations one in k is drawn (the title says so).
    """
    stride = max(1, -(-len(losses) // MAX_LOSS_POINTS))
    iterations = np.arange(1, len(losses) + 1)[::stride]
    figure = go.Figure()
    figure.add_scatter(
        x=iterations, y=np.asarray(losses)[::stride], mode="lines", line=dict(color=LOSS_COLOUR)
    )
    every = f", one in {stride} drawn" if stride > 1 else ""
    figure.update_layout(title=f"Loss per iteration (one mini-batch each{every})", showlegend=False)
    figure.update_xaxes(title="iteration", range=[0, max(total_iterations or 0, len(losses), 1)])
    figure.update_yaxes(title="cross-entropy (nats)", rangemode="tozero")
    return _compact(figure, 340)


def picture_figure(image: np.ndarray, title: str) -> go.Figure:
    """One 28x28 input, ink dark on white as on paper."""
    figure = go.Figure(
        go.Heatmap(z=np.asarray(image, dtype=float), colorscale="gray_r", showscale=False)
    )
    figure.update_yaxes(autorange="reversed", scaleanchor="x", visible=False)
    figure.update_xaxes(visible=False)
    figure.update_layout(title=title)
    return _compact(figure, 300)


def probabilities_figure(probabilities: np.ndarray, class_names: Sequence[str], true: int):
    """y = softmax(a2): the true class in red."""
    colours = [TEST_COLOUR if index == true else TRAIN_COLOUR for index in range(len(class_names))]
    figure = go.Figure(go.Bar(x=list(class_names), y=probabilities, marker_color=colours))
    figure.update_layout(title="y: probability of each class (true class in red)")
    figure.update_yaxes(range=[0, 1], title="probability")
    figure.update_xaxes(type="category")
    return _compact(figure, 300)


def weights_figure(mosaic: np.ndarray) -> go.Figure:
    """Hidden units' input weights as 28x28 tiles: red pushes the unit up, blue down."""
    figure = go.Figure(
        go.Heatmap(
            z=mosaic,
            colorscale="RdBu_r",
            zmin=-1,
            zmax=1,
            colorbar=dict(title="weight / max", thickness=12),
            hoverongaps=False,
        )
    )
    figure.update_yaxes(autorange="reversed", scaleanchor="x", visible=False)
    figure.update_xaxes(visible=False)
    tile_rows = (mosaic.shape[0] + 1) // 29
    return _compact(figure, 90 * tile_rows + 80)  # about 90 px per 28x28 tile
