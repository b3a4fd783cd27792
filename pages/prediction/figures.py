"""Pictures for the prediction page: the probability bars and crisp enlarged pixels."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

PREDICTED_COLOUR = "#2563eb"  # the theme's primary blue: the model's answer
TRUE_COLOUR = "#16a34a"  # green: the right answer, when the model missed it
OTHER_COLOUR = "#94a3b8"  # slate: every other class


def bar_colours(p: np.ndarray, true_label: int | None) -> list[str]:
    predicted = int(np.argmax(p))
    colours = [OTHER_COLOUR] * len(p)
    if true_label is not None:
        colours[true_label] = TRUE_COLOUR
    colours[predicted] = PREDICTED_COLOUR
    return colours


def probability_figure(
    p: np.ndarray, class_names: tuple[str, ...], true_label: int | None = None
) -> go.Figure:
    """One bar per class, the answer in blue and the true class in green when it differs."""
    names = [
        f"{index} · {name}" if name != str(index) else name
        for index, name in enumerate(class_names)
    ]
    figure = go.Figure(
        go.Bar(
            x=names,
            y=p,
            marker_color=bar_colours(p, true_label),
            text=[f"{value:.1%}" for value in p],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y:.4f}<extra></extra>",
        )
    )
    figure.update_layout(
        height=300,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        yaxis={"range": [0, 1.08], "tickformat": ".0%", "title": "probability"},
        xaxis={"type": "category", "tickangle": -30 if len(names[0]) > 2 else 0},
        showlegend=False,
    )
    return figure


FRAME_COLOUR = (51, 65, 85)  # slate, around a picture that is not square: shows where it ends


def framed(image: np.ndarray, side: int = 140) -> np.ndarray:
    """An RGB uint8 square to show `image` at about side x side without distorting it.

    Small pictures get each pixel repeated (crisp squares, not a browser blur); a picture
    that is not square is padded with a slate frame, so a 20 x 2 crop looks 20 x 2.
    Values in [0, 1] (or 0..255 when not rescaled) become 0..255.
    """
    array = np.asarray(image, dtype=np.float32)
    if array.max() > 1.0:
        array = array / 255.0
    factor = max(1, side // max(array.shape))
    big = np.kron(np.clip(array, 0, 1), np.ones((factor, factor), dtype=np.float32))
    grey = (big * 255).round().astype(np.uint8)
    height, width = grey.shape
    square = max(height, width)
    picture = np.empty((square, square, 3), dtype=np.uint8)
    picture[:] = FRAME_COLOUR
    top, left = (square - height) // 2, (square - width) // 2
    picture[top : top + height, left : left + width] = grey[..., None]
    return picture
