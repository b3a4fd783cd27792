"""Plotly figures of the Gradient-descent lab: contour with paths, 3-D view, field, loss, h.

Traces are plain dicts, built without Plotly's checks (the tests run them) and with their
arrays already encoded; the surface grids are cached per surface because they never
change; paths are thinned to about a point per pixel before they are sent.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache

import numpy as np
import plotly.graph_objects as go
from _plotly_utils.utils import to_typed_array_spec
from PIL import Image
from plotly.colors import make_colorscale, sample_colorscale, sequential

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
    # sent as float32: half the bytes of the page's largest arrays, and far finer than a pixel
    return tuple(array.astype(np.float32) for array in (x0, x1, z, shown))


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


def descent_figure(surface: Surface, results, by_rate: bool, tolerance: float) -> go.Figure:
    """The paths on the contours (left) and f − min against the step (right), in one figure.

    Its step slider and ▶ play button are Plotly animation frames: they move the marker
    of every run on both sides in the browser, with no rerun. It opens on the last step.
    """
    colors = run_colors(len(results))
    data = [
        _click_grid(surface.name),  # trace CLICK_TRACE: a click picks one of its points
        {
            "type": "scatter",
            "x": [m[0] for m in surface.minima],
            "y": [m[1] for m in surface.minima],
            "mode": "markers",
            "marker": {"symbol": "star", "size": 14, "color": "gold", "line": {"width": 1}},
            "showlegend": False,
            "hovertemplate": "minimum (%{x:.4g}, %{y:.4g})<extra></extra>",
        },
    ]
    annotations = []
    for result, color in zip(results, colors):
        data.append(_path_trace(surface, result, color, run_label(result, by_rate)))
        annotations.extend(_exit_annotation(surface, result, color))
    start = results[0].path[0]
    data.append(
        {
            "type": "scatter",
            "x": [start[0]],
            "y": [start[1]],
            "mode": "markers",
            "marker": {"symbol": "circle-open", "size": 16, "color": "black", "line": {"width": 2}},
            "showlegend": False,
            "hovertemplate": "start (%{x:.4g}, %{y:.4g})<extra></extra>",
        }
    )
    data.extend(_loss_traces(results, colors, by_rate))
    steps = frame_steps(max(result.steps_taken for result in results))
    markers = [len(data), len(data) + 1]  # the two traces the frames move
    data.extend(_step_markers(results, colors, steps[-1]))
    x0_min, x0_max, x1_min, x1_max = surface.view_box
    layout = {
        "xaxis": {
            "title": {"text": "x0"},
            "range": [x0_min, x0_max],
            "constrain": "domain",
            "domain": [0, 0.44],
        },
        "yaxis": {
            "title": {"text": "x1", "standoff": 2},
            "range": [x1_min, x1_max],
            "scaleanchor": "x",
            "constrain": "domain",
        },
        "xaxis2": {"title": {"text": "step"}, "domain": [0.6, 1], "anchor": "y2"},
        "yaxis2": {
            "title": {"text": "f − min", "standoff": 2},
            "type": "log",
            "exponentformat": "power",
            "anchor": "x2",
        },
        "shapes": [
            {
                "type": "line",
                "xref": "x2 domain",
                "x0": 0,
                "x1": 1,
                "yref": "y2",
                "y0": tolerance,
                "y1": tolerance,
                "line": {"dash": "dash", "color": "green", "width": 1},
            },
        ],  # fmt: skip
        "images": [_contour_image(surface.name)],
        "annotations": [
            *annotations,
            _subplot_title(
                "Path on the contours of f (darker is lower): click to start there", "x domain"
            ),
            _subplot_title("f − min, log scale", "x2 domain"),
            {
                "xref": "x2 domain",
                "x": 1,
                "yref": "y2",
                "y": np.log10(tolerance),
                "text": f"{tolerance:g}",
                "showarrow": False,
                "xanchor": "right",
                "yanchor": "bottom",
                "font": {"color": "#1a7f37"},
            },
        ],
        "legend": {"orientation": "h", "y": -0.32, "x": 0},
        "height": 560,
        # Fixed margins with room for the slider and the legend: left to grow on their own
        # (autoexpand), they made Plotly lay the figure out again on every redraw.
        "margin": {"l": 50, "r": 10, "t": 30, "b": 150, "autoexpand": False},
        "sliders": [_step_slider(steps)],
        "updatemenus": [_play_buttons()],
    }
    frames = [
        {"name": str(step), "data": _step_positions(results, step), "traces": markers}
        for step in steps
    ]
    return _figure(data, layout, frames)


CONTOUR_PIXELS = 300  # the contour picture's side: about its size on screen
CONTOUR_LEVELS = 25


@lru_cache(maxsize=16)
def _contour_image(surface_name: str) -> dict:
    """The contour map of f as a picture under the paths, drawn here once per surface.

    A Plotly contour trace is recomputed and redrawn by the browser on every change of
    the figure (about half of what a new η cost it); a picture is only decoded. Colour
    runs with f (log10(f − min) on the surfaces whose values span decades), with a thin
    light line where f crosses each of CONTOUR_LEVELS levels.
    """
    surface = get_surface(surface_name)
    _, _, z = surface_grid(surface, CONTOUR_PIXELS)
    shown = np.log10(z - surface.min_value + 1e-3) if surface_name in LOG_CONTOURS else z
    scaled = (shown - shown.min()) / max(float(np.ptp(shown)), 1e-300)
    palette = np.array(
        [
            [int(part) for part in color[4:-1].split(",")]
            for color in sample_colorscale(BLUES, np.linspace(0, 1, 256))
        ],
        dtype=np.uint8,
    )
    rgb = palette[np.round(scaled * 255).astype(int)]
    level = np.floor(scaled * CONTOUR_LEVELS)
    edge = np.zeros(level.shape, dtype=bool)
    edge[1:] |= level[1:] != level[:-1]
    edge[:, 1:] |= level[:, 1:] != level[:, :-1]
    rgb[edge] = (0.5 * rgb[edge] + 127.5).astype(np.uint8)  # half-way to white
    buffer = io.BytesIO()
    picture = Image.fromarray(rgb[::-1]).quantize(64)  # row 0 on top; 64 colours: 1/3 the bytes
    picture.save(buffer, format="PNG", optimize=True)
    x0_min, x0_max, x1_min, x1_max = surface.view_box
    return {
        "source": "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode(),
        "xref": "x",
        "yref": "y",
        "x": x0_min,
        "y": x1_max,
        "sizex": x0_max - x0_min,
        "sizey": x1_max - x1_min,
        "sizing": "stretch",
        "layer": "below",
    }


MAX_FRAMES = 101  # steps the slider and the animation stop at: every step up to 100
FRAME_MS = 60  # one frame of the ▶ animation


def frame_steps(longest: int) -> list[int]:
    """The steps the slider offers: every one of a short run, else MAX_FRAMES spread evenly."""
    if longest < MAX_FRAMES:
        return list(range(longest + 1))
    return sorted({round(value) for value in np.linspace(0, longest, MAX_FRAMES)})


def _subplot_title(text: str, xref: str) -> dict:
    return {
        "text": text,
        "xref": xref,
        "x": 0.5,
        "yref": "paper",
        "y": 1,
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 14},
    }


def _path_trace(surface: Surface, result: DescentResult, color: str, label: str) -> dict:
    """A run's path with arrowheads on its first steps and small ones after (the start has
    no previous point to aim from: size 0)."""
    path = result.path
    shown = path_points(surface, path)
    sizes = np.where(shown <= ARROW_STEPS, 11, 6).astype(np.int8)
    sizes[0] = 0
    return {
        "type": "scatter",
        "x": path[shown, 0],
        "y": path[shown, 1],
        "customdata": shown,
        "mode": "lines+markers",
        "line": {"color": color, "width": 2},
        "marker": {"symbol": "arrow", "angleref": "previous", "size": sizes},
        "name": label,
        "legendgroup": label,
        "hovertemplate": f"{label}, step %{{customdata}}<br>x=(%{{x:.4g}}, %{{y:.4g}})<extra></extra>",
    }


def _loss_traces(results, colors, by_rate: bool) -> list[dict]:
    traces = []
    gaps = [np.maximum(result.gap, FLOOR) for result in results]
    logs = [np.log10(gap) for gap in gaps]
    longest = max(len(gap) for gap in gaps)
    decades = max(max(log.max() for log in logs) - min(log.min() for log in logs), 1.0)
    per_pixel = np.array([max(longest - 1, 1), decades]) / PIXELS  # as the axes will scale
    for result, gap, log, color in zip(results, gaps, logs, colors):
        shown = drawn_points(np.column_stack([np.arange(len(log)), log]) / per_pixel)
        label = run_label(result, by_rate)
        traces.append(
            {
                "type": "scatter",
                "x": shown,  # the steps kept
                "y": gap[shown],
                "xaxis": "x2",
                "yaxis": "y2",
                "mode": "lines",
                "line": {"color": color, "width": 2},
                "name": label,
                "legendgroup": label,
                "showlegend": False,
                "hovertemplate": "step %{x}: f − min = %{y:.3g}<extra></extra>",
            }
        )
    return traces


def _step_positions(results, step: int) -> list[dict]:
    """Where every run is at a step, on both sides (a run that stopped stays at its end):
    all a frame carries, the markers' style stays in the figure's own traces."""
    at = [min(step, result.steps_taken) for result in results]
    return [
        {
            "type": "scatter",
            "x": [float(result.path[i, 0]) for result, i in zip(results, at)],
            "y": [float(result.path[i, 1]) for result, i in zip(results, at)],
        },
        {
            "type": "scatter",
            "x": at,
            "y": [float(max(result.gap[i], FLOOR)) for result, i in zip(results, at)],
        },
    ]


def _step_markers(results, colors, step: int) -> list[dict]:
    """The two marker traces the frames move, drawn at a step."""
    here, loss = _step_positions(results, step)
    style = {"mode": "markers", "showlegend": False}
    return [
        {
            **here,
            **style,
            "marker": {"size": 13, "color": colors, "line": {"width": 2, "color": "white"}},
            "hovertemplate": "x=(%{x:.4g}, %{y:.4g})<extra></extra>",
        },
        {
            **loss,
            **style,
            "xaxis": "x2",
            "yaxis": "y2",
            "marker": {"size": 10, "color": colors, "line": {"width": 2, "color": "white"}},
            "hovertemplate": "step %{x}: f − min = %{y:.3g}<extra></extra>",
        },
    ]


def _still(duration: int) -> dict:
    return {
        "mode": "immediate",
        "frame": {"duration": duration, "redraw": False},
        "transition": {"duration": 0},
    }


def _step_slider(steps: list[int]) -> dict:
    return {
        "active": len(steps) - 1,  # the final point: where the run ended
        "currentvalue": {"prefix": "Step shown: ", "font": {"size": 13}, "xanchor": "right"},
        "pad": {"t": 40, "b": 0},
        "len": 0.88,
        "x": 0.12,
        "y": 0,
        "yanchor": "top",
        "ticklen": 0,
        "steps": [
            {
                "label": str(step) if index % max(1, len(steps) // 10) == 0 else "",
                "method": "animate",
                "args": [[str(step)], _still(0)],
            }
            for index, step in enumerate(steps)
        ],
    }


def _play_buttons() -> dict:
    return {
        "type": "buttons",
        "direction": "left",
        "showactive": False,
        "x": 0,
        "y": 0,
        "xanchor": "left",
        "yanchor": "top",
        "pad": {"t": 48, "r": 4},
        "buttons": [
            {
                "label": "▶ play",
                "method": "animate",
                "args": [
                    None,
                    {
                        "frame": {"duration": FRAME_MS, "redraw": False},
                        "fromcurrent": False,
                        "transition": {"duration": 0},
                    },
                ],  # fmt: skip
            },
            {"label": "❚❚", "method": "animate", "args": [[None], _still(0)]},
        ],
    }


@lru_cache(maxsize=16)
def _click_grid(surface_name: str, per_side: int = 21) -> dict:
    """Invisible points all over the box: Plotly selects points, not empty space, on a click.

    Each point is an SVG element the browser styles on every redraw: 21 a side (a start
    every 0.5 on the bowl) keeps a redraw a quarter of what 41 a side cost.
    """
    x0_min, x0_max, x1_min, x1_max = get_surface(surface_name).view_box
    x0, x1 = np.meshgrid(
        np.linspace(x0_min, x0_max, per_side), np.linspace(x1_min, x1_max, per_side)
    )
    points = np.column_stack([x0.ravel(), x1.ravel()])
    return {
        "type": "scatter",
        "x": points[:, 0].astype(np.float32),
        "y": points[:, 1].astype(np.float32),
        "customdata": get_surface(surface_name).function(points).astype(np.float32),
        "mode": "markers",
        "marker": {"size": 10, "opacity": 0},
        "hovertemplate": "x0=%{x:.3g}<br>x1=%{y:.3g}<br>f=%{customdata:.3g}<extra></extra>",
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


def surface_figure(surface: Surface, results) -> go.Figure:
    """The surface in 3-D with every path on it and where each ended (WebGL: on demand)."""
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
        here.append((path[-1, 0], path[-1, 1], losses[-1], color))
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
                "name": "last step",
            }
        )
    layout = {
        "title": {"text": "The same surface in 3-D"},
        "scene": {
            "xaxis": {"title": {"text": "x0"}},
            "yaxis": {"title": {"text": "x1"}},
            "zaxis": {"title": {"text": "f"}},
            # far enough that the z ticks (up to 2500 on Rosenbrock) fit a 1280 px half column
            "camera": {"eye": {"x": 1.85, "y": -1.85, "z": 1.3}},
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
        # what Plotly grew 8 and 25 to for the last tick label: asked for, the strip is
        # drawn once per η instead of twice
        "margin": {"l": 8, "r": 14, "t": 8, "b": 36},
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


def _figure(data: list[dict], layout: dict, frames: list[dict] | None = None) -> go.Figure:
    """Plotly checks every property on construction, which is half the cost of a rerun.

    The traces here are fixed code, so they are checked once, in the tests (which set
    VALIDATE), not again on every slider move. `_validate` is the switch Plotly's own
    Figure constructor reads (plotly.basedatatypes.BaseFigure). Unchecked, the arrays are
    also sent already encoded (see _typed_arrays); the tests compare the JSON of both ways.
    """
    if not VALIDATE:
        data = [_typed_arrays(trace) for trace in data]
    if VALIDATE:
        return go.Figure({"data": data, "layout": layout, "frames": frames or []})
    figure = go.Figure({"data": data, "layout": layout}, _validate=False)
    # Plotly builds and checks every frame even unvalidated (4 ms each): the frames here are
    # fixed code, checked in the tests, so they are handed to the figure as they are, in the
    # form its to_dict() reads (BaseFigure._frame_objs; the tests compare the JSON).
    figure._frame_objs = tuple(_RawFrame(frame) for frame in frames or ())
    return figure


class _RawFrame:
    """A frame's properties as Plotly's own Frame keeps them, without building one."""

    def __init__(self, properties: dict):
        self._props = properties


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
