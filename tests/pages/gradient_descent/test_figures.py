"""The Gradient-descent lab's figures: what Plotly gets, arrows that point downhill, thin paths."""

import base64

import numpy as np
import pytest


def page_figures(surface_name: str) -> list:
    """Every figure the page draws, on runs that converge, crawl and leave the box."""
    from core.calculus import difference_errors
    from core.descent import compare, quadratic_regime
    from core.surfaces import get_surface
    from pages.gradient_descent import figures
    from pages.gradient_descent.settings import LEARNING_RATES

    cached = (figures._field_figure, figures._regime_figure, figures.h_error_panel)
    for built_once in cached:
        built_once.cache_clear()
    surface = get_surface(surface_name)
    runs = [("sgd", 50.0), ("adam", 0.05), ("momentum", 1e-3)]  # SGD leaves every box
    results = compare(surface, surface.default_start, runs, 60)
    assert figures.left_view(surface, results[0].path) is not None  # the exit label is drawn
    hs = np.logspace(-12, 0, 7)
    central, forward = difference_errors(surface.function, surface.gradient, (0.5, 0.5), hs)
    built = [
        figures.descent_figure(surface, results, True, 1e-6),
        figures.surface_figure(surface, results),
        figures.field_figure(surface),
        figures.h_error_figure(hs, central, forward, 1e-4),
        figures.h_error_panel(surface_name, (0.5, 0.5), 1e-4),
        figures.regime_figure(0.3, quadratic_regime(0.3, (1.0, 1.0)), LEARNING_RATES),
    ]
    for built_once in cached:
        built_once.cache_clear()  # leave no copy built under other settings
    return built


@pytest.mark.parametrize("surface_name", ["bowl", "rosenbrock", "wells"])
def test_figures_skip_no_plotly_check_that_matters(monkeypatch, surface_name):
    """The page builds figures without Plotly's checks for speed: the JSON sent to the
    browser must be exactly what the checked figures give (Plotly's checks also rewrite
    values, e.g. colour-scale names), and the checked build must raise nothing."""
    import json

    import plotly.io

    from pages.gradient_descent import figures

    fast = page_figures(surface_name)
    monkeypatch.setattr(figures, "VALIDATE", True)
    checked = page_figures(surface_name)
    for quick, slow in zip(fast, checked):
        assert json.loads(plotly.io.to_json(quick, validate=False)) == json.loads(
            plotly.io.to_json(slow, validate=False)
        ), slow.layout.title.text or slow.layout.annotations


@pytest.mark.parametrize("surface_name", ["bowl", "elongated", "rosenbrock", "saddle", "wells"])
def test_field_arrows_point_along_minus_the_gradient(surface_name):
    """Every arrow of the field plot runs from its grid point along −∇f there, and its head
    is turned the same way (Plotly turns an arrow marker clockwise from 'up')."""
    from core.surfaces import get_surface
    from pages.gradient_descent import figures

    surface = get_surface(surface_name)
    xs, ys, tips, size, angles = figures._field(surface_name)
    bases = np.column_stack([xs[0::3], ys[0::3]])
    np.testing.assert_array_equal(np.column_stack([xs[1::3], ys[1::3]]), tips)
    downhill = -surface.gradient(bases)
    moving = np.linalg.norm(downhill, axis=1) > 1e-12  # flat spots have no direction
    assert moving.sum() > len(bases) / 2
    shafts = tips - bases
    unit_shafts = shafts[moving] / np.linalg.norm(shafts[moving], axis=1)[:, None]
    unit_downhill = downhill[moving] / np.linalg.norm(downhill[moving], axis=1)[:, None]
    np.testing.assert_allclose(unit_shafts, unit_downhill, atol=1e-9)
    heads = np.radians(angles[moving])
    np.testing.assert_allclose(
        np.column_stack([np.sin(heads), np.cos(heads)]), unit_downhill, atol=1e-9
    )
    np.testing.assert_allclose(size, np.linalg.norm(downhill, axis=1))


def test_paths_are_thinned_to_a_pixel_and_keep_their_arrows():
    """1000 steps that crawl into the minimum are sent as a few dozen points: every arrow
    step, the last point, and one per pixel travelled, so no dropped point is a pixel away
    from a kept one; later points stay visible as small arrows."""
    from core.descent import compare
    from core.surfaces import get_surface
    from pages.gradient_descent import figures

    bowl = get_surface("bowl")
    results = compare(bowl, bowl.default_start, [("adam", 0.1)], 1000)
    path = results[0].path
    kept = figures.path_points(bowl, path)
    assert kept[-1] == len(path) - 1
    assert list(kept[: figures.ARROW_STEPS + 1]) == list(range(figures.ARROW_STEPS + 1))
    assert len(kept) < len(path) / 3
    pixel = 10 / figures.PIXELS  # the bowl's box is 10 wide
    previous_kept = kept[np.searchsorted(kept, np.arange(len(path)), side="right") - 1]
    assert np.linalg.norm(path - path[previous_kept], axis=1).max() < pixel
    trace = next(
        trace
        for trace in figures.descent_figure(bowl, results, False, 1e-6).to_plotly_json()["data"]
        if trace.get("name") == "Adam"
    )
    sizes = np.frombuffer(base64.b64decode(trace["marker"]["size"]["bdata"]), dtype=np.int8)
    assert sizes[0] == 0 and set(sizes[1 : figures.ARROW_STEPS + 1]) == {11}
    assert len(sizes) > figures.ARROW_STEPS + 1 and set(sizes[figures.ARROW_STEPS + 1 :]) == {6}
