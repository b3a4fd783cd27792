"""Plotly figures of the Gradient-descent lab: contour with paths, 3-D view, field, loss, h.

Traces are plain dicts, built without Plotly's checks (the tests run them) and with their
arrays already encoded; the surface grids are cached per surface because they never
change; paths are thinned to about a point per pixel before they are sent.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import plotly.graph_objects as go
from _plotly_utils.utils import to_typed_array_spec
from plotly.colors import make_colorscale, sequential

from core.calculus import difference_errors
from core.descent import BOUND_RULE, DIVERGED, DescentResult, Regime
from core.optimizers import OPTIMIZERS
from core.surfaces import Surface, get_surface, surface_grid

COLORS = ("#e4572e", "#2e86ab", "#8e44ad", "#f3a712", "#29bf12", "#222222", "#d81b60", "#6d4c41")
LOG_CONTOURS = {"rosenbrock", "wells"}  # values spread over decades: contour log10(f - min)
ARROW_STEPS = 40  # steps drawn as big arrows; later ones small, or arrows hide the path
PIXELS = 500  # about how wide a plot is on screen: paths are thinned to a point per pixel
FLOOR = 1e-18  # gaps below this are drawn at it: a log axis cannot show 0
H_VALUES = np.logspace(-14, 0, 43)  # the h axis of the numerical-vs-analytic plot
MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}
BLUES = make_colorscale(sequential.Blues_r)  # spelled out: names like "Blues_r" need checks
VALIDATE = False  # Plotly's per-property checks: on in the tests, off on the page (see _figure)


def run_label(result: DescentResult, by_rate: bool) -> str:
    title = OPTIMIZERS[result.optimizer].title
    return f"{title}, η={result.learning_rate:g}" if by_rate else title


def run_colors(count: int) -> list[str]:
    return [COLORS[index % len(COLORS)] for index in range(count)]


@lru_cache(maxsize=16)
def _grid(surface_name: str, resolution: int):
    surface = get_surface(surface_name)
    x0, x1, z = surface_grid(surface, resolution)
    shown = np.log10(z - surface.min_value + 1e-3) if surface_name in LOG_CONTOURS else z
    return x0, x1, z, shown


def drawn_points(pixels: np.ndarray, keep_first: int = 0) -> np.ndarray:
    """Indices of the points of a line worth sending, given their screen positions (n, 2).

    A point is kept once the line has travelled another pixel along its length since the
    last one kept, so every dropped point lies within a pixel of a kept one and the line
    looks the same: a run crawling into its minimum sends a few dozen points, not a
    thousand on top of each other. The first keep_first points and the last are kept.
    """
    moves = np.linalg.norm(np.diff(pixels, axis=0), axis=1)
    pixel_of = np.floor(np.concatenate([[0.0], np.cumsum(moves)]))
    keep = np.ones(len(pixels), dtype=bool)
    keep[1:] = pixel_of[1:] != pixel_of[:-1]
    keep[: keep_first + 1] = True
    keep[-1] = True
    return np.flatnonzero(keep)


def path_points(surface: Surface, path: np.ndarray) -> np.ndarray:
    """drawn_points of a path on the contour plot (every arrow step kept)."""
    x0_min, x0_max, x1_min, x1_max = surface.view_box
    per_pixel = max(x0_max - x0_min, x1_max - x1_min) / PIXELS
    return drawn_points(path / per_pixel, ARROW_STEPS)


def left_view(surface: Surface, path: np.ndarray) -> int | None:
    """First step whose point is outside the view box, or None."""
    x0_min, x0_max, x1_min, x1_max = surface.view_box
    outside = (
        (path[:, 0] < x0_min)
        | (path[:, 0] > x0_max)
        | (path[:, 1] < x1_min)
        | (path[:, 1] > x1_max)
    )
    return int(np.argmax(outside)) if outside.any() else None


def exit_point(surface: Surface, inside: np.ndarray, outside: np.ndarray) -> np.ndarray:
    """Where the segment from an inside point to an outside one crosses the box edge."""
    x0_min, x0_max, x1_min, x1_max = surface.view_box
    direction = outside - inside
    fractions = [1.0]
    for value, low, high, move in (
        (inside[0], x0_min, x0_max, direction[0]),
        (inside[1], x1_min, x1_max, direction[1]),
    ):
        if move > 0:
            fractions.append((high - value) / move)
        elif move < 0:
            fractions.append((low - value) / move)
    return inside + min(fractions) * direction


def contour_figure(surface: Surface, results, step: int, by_rate: bool) -> go.Figure:
    x0, x1, _, shown = _grid(surface.name, 90)
    log = surface.name in LOG_CONTOURS
    data = [
        {
            "type": "contour",
            "x": x0,
            "y": x1,
            "z": shown,
            "colorscale": BLUES,
            "ncontours": 25,
            "contours": {"coloring": "heatmap", "showlines": True},
            "line": {"width": 0.5, "color": "rgba(255,255,255,0.5)"},
            "colorbar": {"title": {"text": "log10(f − min)" if log else "f"}, "thickness": 12},
            "hovertemplate": "x0=%{x:.3g}<br>x1=%{y:.3g}<br>"
            + ("log10(f − min)" if log else "f")
            + "=%{z:.3g}<extra></extra>",
        },
        {
            "type": "scatter",
            "x": [m[0] for m in surface.minima],
            "y": [m[1] for m in surface.minima],
            "mode": "markers",
            "marker": {"symbol": "star", "size": 14, "color": "gold", "line": {"width": 1}},
            "name": "minima",
            "hovertemplate": "minimum (%{x:.4g}, %{y:.4g})<extra></extra>",
        },
    ]
    annotations, here = [], []
    colors = run_colors(len(results))
    for result, color in zip(results, colors):
        path = result.path
        label = run_label(result, by_rate)
        shown = path_points(surface, path)
        # One trace per run: the line, with arrowheads on its first steps and small ones
        # after (the start has no previous point to aim from: size 0).
        sizes = np.where(shown <= ARROW_STEPS, 11, 6).astype(np.int8)
        sizes[0] = 0
        data.append(
            {
                "type": "scatter",
                "x": path[shown, 0],
                "y": path[shown, 1],
                "customdata": shown,
                "mode": "lines+markers",
                "line": {"color": color, "width": 2},
                "marker": {"symbol": "arrow", "angleref": "previous", "size": sizes},
                "name": label,
                "hovertemplate": f"{label}, step %{{customdata}}<br>"
                "x=(%{x:.4g}, %{y:.4g})<extra></extra>",
            }
        )
        here.append(path[min(step, len(path) - 1)])
        annotations.extend(_exit_annotation(surface, result, color))
    here = np.array(here)
    data.append(
        {
            "type": "scatter",
            "x": here[:, 0],
            "y": here[:, 1],
            "mode": "markers",
            "marker": {"size": 13, "color": colors, "line": {"width": 2, "color": "white"}},
            "name": f"step {step}",
            "hovertemplate": "x=(%{x:.4g}, %{y:.4g})<extra></extra>",
        }
    )
    start = results[0].path[0]
    data.append(
        {
            "type": "scatter",
            "x": [start[0]],
            "y": [start[1]],
            "mode": "markers",
            "marker": {"symbol": "circle-open", "size": 16, "color": "black", "line": {"width": 2}},
            "name": "start",
            "hovertemplate": "start (%{x:.4g}, %{y:.4g})<extra></extra>",
        }
    )
    data.append(_click_grid(surface.name))
    x0_min, x0_max, x1_min, x1_max = surface.view_box
    layout = {
        "title": {"text": f"Path on the contours of f, step {step} (click to start there)"},
        "xaxis": {"title": {"text": "x0"}, "range": [x0_min, x0_max], "constrain": "domain"},
        "yaxis": {
            "title": {"text": "x1"},
            "range": [x1_min, x1_max],
            "scaleanchor": "x",
            "constrain": "domain",
        },
        "legend": {"orientation": "h", "y": -0.12},
        "annotations": annotations,
        "height": 520,
        "margin": MARGIN,
    }
    return _figure(data, layout)


@lru_cache(maxsize=16)
def _click_grid(surface_name: str, per_side: int = 41) -> dict:
    """Invisible points all over the box: Plotly selects points, not empty space, on a click."""
    x0_min, x0_max, x1_min, x1_max = get_surface(surface_name).view_box
    x0, x1 = np.meshgrid(
        np.linspace(x0_min, x0_max, per_side), np.linspace(x1_min, x1_max, per_side)
    )
    return {
        "type": "scatter",
        "x": x0.ravel(),
        "y": x1.ravel(),
        "mode": "markers",
        "marker": {"size": 10, "opacity": 0},
        "hoverinfo": "none",
        "showlegend": False,
    }


def _exit_annotation(surface: Surface, result: DescentResult, color: str) -> list[dict]:
    left = left_view(surface, result.path)
    if left is None:
        if result.divergence_rule != BOUND_RULE:
            return []
        left = len(result.path)  # blew up in one jump from the last kept point
        crossing = result.path[-1]
    else:
        crossing = exit_point(surface, result.path[left - 1], result.path[left])
    text = f"left the plot at step {left}"
    if result.status == DIVERGED:
        text += f"<br>diverged at step {result.diverged_at}"
    x0_min, x0_max, x1_min, x1_max = surface.view_box
    centre = np.array([(x0_min + x0_max) / 2, (x1_min + x1_max) / 2])
    label_at = centre + 0.5 * (crossing - centre)  # inside the plot, towards the exit
    return [
        {
            "x": crossing[0],
            "y": crossing[1],
            "ax": label_at[0],
            "ay": label_at[1],
            "axref": "x",
            "ayref": "y",
            "text": text,
            "showarrow": True,
            "arrowcolor": color,
            "font": {"color": color},
            "bgcolor": "rgba(255,255,255,0.85)",
        }
    ]


def surface_figure(surface: Surface, results, step: int, by_rate: bool) -> go.Figure:
    x0, x1, z, _ = _grid(surface.name, 50)
    data = [
        {
            "type": "surface",
            "x": x0,
            "y": x1,
            "z": z,
            "colorscale": BLUES,
            "opacity": 0.85,
            "showscale": False,
            "hovertemplate": "x0=%{x:.3g}<br>x1=%{y:.3g}<br>f=%{z:.3g}<extra></extra>",
        }
    ]
    # All runs in one line trace, NaN rows between them and a colour index per vertex:
    # one set of arrays to validate and serialise instead of one per run.
    pieces, shades, here = [], [], []
    for index, (result, color) in enumerate(zip(results, run_colors(len(results)))):
        left = left_view(surface, result.path)
        path = result.path[:left]  # a point off the box would squash the whole view
        losses = result.losses[: len(path)]
        shown = path_points(surface, path)
        pieces.append(np.column_stack([path[shown], losses[shown]]))
        pieces.append(np.full((1, 3), np.nan))
        shades.append(np.full(len(shown) + 1, index, dtype=np.int8))
        if step < len(path):
            here.append((path[step, 0], path[step, 1], losses[step], color))
    lines = np.concatenate(pieces)
    count = len(results)
    data.append(
        {
            "type": "scatter3d",
            "x": lines[:, 0],
            "y": lines[:, 1],
            "z": lines[:, 2],
            "mode": "lines",
            "line": {
                "width": 5,
                "color": np.concatenate(shades),
                "colorscale": [
                    [bound, color]
                    for index, color in enumerate(run_colors(count))
                    for bound in (index / count, (index + 1) / count)
                ],
                "cmin": -0.5,
                "cmax": count - 0.5,
            },
            "hovertemplate": "x=(%{x:.4g}, %{y:.4g})<br>f=%{z:.4g}<extra></extra>",
        }
    )
    if here:
        x, y, z, colors = zip(*here)
        data.append(
            {
                "type": "scatter3d",
                "x": x,
                "y": y,
                "z": z,
                "mode": "markers",
                "marker": {"size": 6, "color": colors, "line": {"width": 1, "color": "white"}},
                "name": f"step {step}",
            }
        )
    layout = {
        "title": {"text": "The same surface in 3-D"},
        "scene": {
            "xaxis": {"title": {"text": "x0"}},
            "yaxis": {"title": {"text": "x1"}},
            "zaxis": {"title": {"text": "f"}},
            "camera": {"eye": {"x": 1.4, "y": -1.4, "z": 1.0}},
        },
        "showlegend": False,
        "height": 520,
        "margin": MARGIN,
    }
    return _figure(data, layout)


@lru_cache(maxsize=16)
def _field(surface_name: str, per_side: int = 17):
    """Arrow segments of -grad f on a grid, as one line trace (None between arrows)."""
    surface = get_surface(surface_name)
    x0_min, x0_max, x1_min, x1_max = surface.view_box
    grid = np.stack(
        np.meshgrid(np.linspace(x0_min, x0_max, per_side), np.linspace(x1_min, x1_max, per_side)),
        axis=-1,
    ).reshape(-1, 2)
    downhill = -surface.gradient(grid)
    size = np.linalg.norm(downhill, axis=1)
    cell = min(x0_max - x0_min, x1_max - x1_min) / (per_side - 1)
    # Length grows with steepness but the square root keeps steep corners from hiding the rest.
    length = 0.9 * cell * np.sqrt(size / max(size.max(), 1e-300))
    unit = downhill / np.maximum(size, 1e-300)[:, None]
    tips = grid + unit * length[:, None]
    xs = np.column_stack([grid[:, 0], tips[:, 0], np.full(len(grid), np.nan)]).ravel()
    ys = np.column_stack([grid[:, 1], tips[:, 1], np.full(len(grid), np.nan)]).ravel()
    # Plotly turns an arrow marker clockwise from 'up'; equal axis scales keep this true on screen.
    # wrapped into [-180, 180) the way Plotly's angle check would, so no check is needed
    angles = (np.degrees(np.arctan2(unit[:, 0], unit[:, 1])) + 180) % 360 - 180
    return xs, ys, tips, size, angles


def field_figure(surface: Surface) -> go.Figure:
    """The same for every run on a surface: built once (st.plotly_chart only copies it)."""
    return _field_figure(surface.name)


@lru_cache(maxsize=16)
def _field_figure(surface_name: str) -> go.Figure:
    surface = get_surface(surface_name)
    xs, ys, tips, size, angles = _field(surface.name)
    data = [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "lines",
            "line": {"color": "#2e86ab", "width": 1.5},
            "hoverinfo": "skip",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "x": tips[:, 0],
            "y": tips[:, 1],
            "mode": "markers",
            "marker": {
                "symbol": "arrow",
                "angle": angles,
                "size": 8,
                "color": "#2e86ab",
            },
            "customdata": size,
            "hovertemplate": "|∇f| = %{customdata:.3g}<extra></extra>",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "x": [m[0] for m in surface.minima],
            "y": [m[1] for m in surface.minima],
            "mode": "markers",
            "marker": {"symbol": "star", "size": 14, "color": "gold", "line": {"width": 1}},
            "showlegend": False,
            "hovertemplate": "minimum<extra></extra>",
        },
    ]
    x0_min, x0_max, x1_min, x1_max = surface.view_box
    pad_x, pad_y = (x0_max - x0_min) * 0.05, (x1_max - x1_min) * 0.05
    layout = {
        "title": {"text": "−∇f: every arrow points downhill"},
        "xaxis": {"title": {"text": "x0"}, "range": [x0_min - pad_x, x0_max + pad_x]},
        "yaxis": {
            "title": {"text": "x1"},
            "range": [x1_min - pad_y, x1_max + pad_y],
            "scaleanchor": "x",
        },
        "height": 420,
        "margin": MARGIN,
    }
    return _figure(data, layout)


def loss_figure(results, step: int, tolerance: float, by_rate: bool) -> go.Figure:
    data = []
    gaps = [np.maximum(result.gap, FLOOR) for result in results]
    logs = [np.log10(gap) for gap in gaps]
    longest = max(len(gap) for gap in gaps)
    decades = max(max(log.max() for log in logs) - min(log.min() for log in logs), 1.0)
    per_pixel = np.array([max(longest - 1, 1), decades]) / PIXELS  # as the axes will scale
    for result, gap, log, color in zip(results, gaps, logs, run_colors(len(results))):
        shown = drawn_points(np.column_stack([np.arange(len(log)), log]) / per_pixel)
        data.append(
            {
                "type": "scatter",
                "x": shown,  # the steps kept
                "y": gap[shown],
                "mode": "lines",
                "line": {"color": color, "width": 2},
                "name": run_label(result, by_rate),
                "hovertemplate": "step %{x}: f − min = %{y:.3g}<extra></extra>",
            }
        )
    layout = {
        "title": {"text": "Loss above the minimum, f − min (log scale)"},
        "xaxis": {"title": {"text": "step"}},
        "yaxis": {"title": {"text": "f − min"}, "type": "log", "exponentformat": "power"},
        "shapes": [
            {
                "type": "line",
                "xref": "x",
                "x0": step,
                "x1": step,
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"dash": "dot", "color": "gray"},
            },
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": tolerance,
                "y1": tolerance,
                "line": {"dash": "dash", "color": "green", "width": 1},
            },
        ],  # fmt: skip
        "annotations": [
            {
                "xref": "paper",
                "x": 1,
                "y": np.log10(tolerance),
                "text": f"{tolerance:g}",
                "showarrow": False,
                "xanchor": "right",
                "yanchor": "bottom",
                "font": {"color": "green"},
            },
        ],  # fmt: skip
        "legend": {"orientation": "h", "y": -0.2},
        "height": 420,
        "margin": MARGIN,
    }
    return _figure(data, layout)


REGIME_COLORS = {
    "monotone": "#29bf12",
    "one step": "#29bf12",
    "oscillating": "#f3a712",
    "bounded": "#e4572e",
    "diverging": "#e4572e",
}


def regime_figure(learning_rate: float, regime: Regime, grid: list[float]) -> go.Figure:
    """A strip under the learning-rate slider: where the maths says each regime is.

    The slider places its options evenly by index, so the strip does too: a value's x is
    its (interpolated) position in the grid, and the strip lines up with the slider.
    The same η gives the same strip: built once (st.plotly_chart only copies it).
    """
    return _regime_figure(learning_rate, regime, tuple(grid))


@lru_cache(maxsize=64)
def _regime_figure(learning_rate: float, regime: Regime, grid: tuple[float, ...]) -> go.Figure:
    logs = np.log10(grid)

    def position(value: float) -> float:
        return float(np.interp(np.log10(value), logs, np.arange(len(grid))))

    oscillates, diverges = (position(value) for value in regime.thresholds)
    end = len(grid) - 1
    bands = [
        (0, oscillates, "monotone", "#29bf12"),
        (oscillates, diverges, "oscillating", "#f3a712"),
        (diverges, end, "diverging", "#e4572e"),
    ]
    shapes, annotations = [], []
    for start, stop, name, color in bands:
        shapes.append(
            {"type": "rect", "xref": "x", "yref": "paper", "x0": start, "x1": stop, "y0": 0,
             "y1": 1, "fillcolor": color, "opacity": 0.35, "line": {"width": 0}}
        )  # fmt: skip
        annotations.append(
            {"x": (start + stop) / 2, "y": 0.5, "yref": "paper", "text": name,
             "showarrow": False, "font": {"size": 11}, "textangle": 0 if stop - start > 12 else -90}
        )  # fmt: skip
    marker = {
        "type": "scatter",
        "x": [position(learning_rate)],
        "y": [1.0],
        "mode": "markers",
        "marker": {"symbol": "triangle-down", "size": 14, "color": "black"},
        "hoverinfo": "skip",
    }
    ticks = [value for value in (1e-10, 1e-7, 1e-4, 1e-2, 0.1) if value < regime.thresholds[0]]
    ticks += [*regime.thresholds, grid[-1]]
    layout = {
        "xaxis": {
            "range": [-0.5, end + 0.5],
            "tickvals": [position(t) for t in ticks],
            "ticktext": [f"{t:g}" for t in ticks],
            "fixedrange": True,
        },
        "yaxis": {"visible": False, "range": [0, 1.15], "fixedrange": True},
        "shapes": shapes,
        "annotations": annotations,
        "showlegend": False,
        "height": 110,
        "margin": {"l": 8, "r": 8, "t": 8, "b": 25},
    }
    return _figure([marker], layout)


@lru_cache(maxsize=64)
def h_error_panel(surface_name: str, point: tuple[float, ...], h: float) -> go.Figure:
    """Error of the numerical gradient against h at a point, for the h axis H_VALUES.

    The same point and h give the same figure, so a rerun that moved neither (a new η or
    optimizer at step 0, a new step of a run that has stopped moving) reuses it.
    """
    surface = get_surface(surface_name)
    central, forward = difference_errors(
        surface.function, surface.gradient, np.array(point), H_VALUES
    )
    return h_error_figure(H_VALUES, central, forward, h)


def h_error_figure(hs, central, forward, h: float) -> go.Figure:
    # An error of exactly 0 (central differences on a quadratic) has no place on a log
    # axis: it is left as a gap rather than drawn at a made-up floor.
    central = np.where(central > 0, central, np.nan)
    forward = np.where(forward > 0, forward, np.nan)
    data = [
        {"type": "scatter", "x": hs, "y": central, "mode": "lines+markers",
         "name": "central (f(x+h) − f(x−h)) / 2h", "line": {"color": "#2e86ab"}},
        {"type": "scatter", "x": hs, "y": forward, "mode": "lines+markers",
         "name": "forward (f(x+h) − f(x)) / h", "line": {"color": "#e4572e", "dash": "dot"}},
    ]  # fmt: skip
    layout = {
        "title": {"text": "Error of the numerical gradient against h"},
        "xaxis": {"title": {"text": "h"}, "type": "log", "exponentformat": "power"},
        "yaxis": {
            "title": {"text": "|numerical − analytic|"},
            "type": "log",
            "exponentformat": "power",
        },
        "shapes": [
            {
                "type": "line",
                "xref": "x",
                "x0": h,
                "x1": h,
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"dash": "dot", "color": "gray"},
            },
        ],  # fmt: skip
        "annotations": [
            {
                "x": np.log10(h),
                "y": 1,
                "yref": "paper",
                "text": f"h={h:g}",
                "showarrow": False,
                "yanchor": "bottom",
            },
            {
                "x": np.log10(hs[1]),
                "y": 0.05,
                "yref": "paper",
                "xanchor": "left",
                "text": "← rounding error",
                "showarrow": False,
            },
            {
                "x": np.log10(hs[-2]),
                "y": 0.05,
                "yref": "paper",
                "xanchor": "right",
                "text": "truncation error →",
                "showarrow": False,
            },
        ],  # fmt: skip
        "legend": {"orientation": "h", "y": -0.25},
        "height": 400,
        "margin": MARGIN,
    }
    return _figure(data, layout)


def _figure(data: list[dict], layout: dict) -> go.Figure:
    """Plotly checks every property on construction, which is half the cost of a rerun.

    The traces here are fixed code, so they are checked once, in the tests (which set
    VALIDATE), not again on every slider move. `_validate` is the switch Plotly's own
    Figure constructor reads (plotly.basedatatypes.BaseFigure). Unchecked, the arrays are
    also sent already encoded (see _typed_arrays); the tests compare the JSON of both ways.
    """
    if not VALIDATE:
        data = [_typed_arrays(trace) for trace in data]
    return go.Figure({"data": data, "layout": layout}, _validate=VALIDATE)


def _typed_arrays(properties: dict) -> dict:
    """NumPy arrays replaced by the {"dtype", "bdata"} form Plotly would send them in.

    st.plotly_chart has Plotly copy the figure and encode every array on each rerun, with
    checks that cost far more than the encoding; encoded here, the copy is of a string.
    The encoder is Plotly's own (private, like `_validate`: the tests compare the JSON).
    """
    return {
        key: to_typed_array_spec(value)
        if isinstance(value, np.ndarray)
        else _typed_arrays(value)
        if isinstance(value, dict)
        else value
        for key, value in properties.items()
    }
