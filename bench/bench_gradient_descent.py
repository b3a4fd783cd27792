"""Gradient-descent lab: server time for one rerun with 6 optimizers x 1000 steps and all figures.

Three views of the same work, medians over repeats:
  * the descent alone (core.descent.compare, one vectorised loop for the six runs),
    against stepping each optimizer's own pure function one run at a time;
  * descent plus every figure the page draws, serialised as st.plotly_chart does;
  * a whole AppTest rerun of the page after a change of η (descent recomputed) and after a
    move of the step slider (descent cached), against a rerun of the home page.
"""

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.calculus import difference_errors  # noqa: E402
from core.descent import compare, quadratic_regime  # noqa: E402
from core.optimizers import OPTIMIZERS, HyperParameters, initial_state  # noqa: E402
from core.surfaces import SURFACES  # noqa: E402

STEPS = 1000
RUNS = [(name, 0.1) for name in OPTIMIZERS]


def median_ms(work, repeats: int) -> float:
    work()  # warm caches (grids, imports) first: a page rerun finds them warm too
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def one_run_at_a_time(surface) -> None:
    """The baseline: each optimizer's own function, one point, one step at a time."""
    hyper = HyperParameters()
    for name, rate in RUNS:
        params = np.array(surface.default_start)
        state = initial_state(name, params, hyper)
        for _ in range(STEPS):
            params, state = OPTIMIZERS[name].step(
                params, surface.gradient(params), state, rate, hyper
            )


def figures_as_the_page_draws_them(surface, results) -> None:
    import plotly.io
    import plotly.tools

    from dashboard import gradient_descent_figures as figures
    from dashboard.gradient_descent_inputs import LEARNING_RATES

    step = 500
    point = results[0].path[min(step, results[0].steps_taken)]
    hs = np.logspace(-14, 0, 43)
    central, forward = difference_errors(surface.function, surface.gradient, point, hs)
    built = [
        figures.contour_figure(surface, results, step, False),
        figures.surface_figure(surface, results, step, False),
        figures.loss_figure(results, step, 1e-6, False),
        figures.field_figure(surface),
        figures.h_error_figure(hs, central, forward, 1e-4),
    ]
    if surface.curvatures is not None:
        regime = quadratic_regime(0.1, surface.curvatures)
        built.append(figures.regime_figure(0.1, regime, LEARNING_RATES))
    for figure in built:  # what st.plotly_chart does with each
        checked = plotly.tools.return_figure_from_figure_or_data(figure, validate_figure=True)
        plotly.io.to_json(checked, validate=False)


def app_reruns() -> tuple[float, float, float]:
    from streamlit.testing.v1 import AppTest

    from dashboard.gradient_descent_inputs import LEARNING_RATES

    app_path = str(ROOT / "dashboard" / "app.py")
    home = AppTest.from_file(app_path, default_timeout=120).run()
    home_ms = median_ms(home.run, 15)

    app = AppTest.from_file(app_path, default_timeout=120)
    app.query_params.update({"gd_mode": "optimizers", "gd_steps": str(STEPS)})
    app.run()
    app.switch_page(str(ROOT / "pages" / "gradient_descent.py")).run()
    assert not app.exception, app.exception
    rates = iter(LEARNING_RATES[80:100])  # each new: never a cache hit

    def new_rate():
        app.select_slider(key="gd_lr").set_value(next(rates)).run()

    steps = iter(range(10, 1000, 10))

    def new_step():
        app.slider(key="gd_step").set_value(next(steps)).run()

    rate_ms = median_ms(new_rate, 15)
    step_ms = median_ms(new_step, 15)
    assert not app.exception, app.exception
    return home_ms, rate_ms, step_ms


def main() -> None:
    print(
        f"machine.load_average: {os.getloadavg()[0]:.1f} "
        f"(1 minute, {os.cpu_count()} cores: figures below scale with it)"
    )
    bowl = SURFACES["bowl"]
    start = bowl.default_start
    vectorised = median_ms(lambda: compare(bowl, start, RUNS, STEPS), 15)
    alone = median_ms(lambda: one_run_at_a_time(bowl), 3)
    print(
        f"descent.bowl_6x1000: {vectorised:.1f} ms "
        f"(6 optimizers in one NumPy loop; {alone / vectorised:.1f}x faster than "
        f"{alone:.0f} ms stepping each optimizer alone)"
    )
    for surface in SURFACES.values():
        if surface.name == "bowl":
            continue
        ms = median_ms(lambda s=surface: compare(s, s.default_start, RUNS, STEPS), 9)
        print(f"descent.{surface.name}_6x1000: {ms:.1f} ms (analytic gradient)")
    numerical = median_ms(lambda: compare(bowl, start, RUNS, STEPS, gradient="numerical"), 9)
    print(f"descent.bowl_6x1000_numerical: {numerical:.1f} ms (central differences, h=1e-4)")

    results = compare(bowl, start, RUNS, STEPS)
    drawn = median_ms(lambda: figures_as_the_page_draws_them(bowl, results), 9)
    print(
        f"figures.bowl_6x1000: {drawn:.1f} ms (6 figures built and serialised as st.plotly_chart does)"
    )
    total = median_ms(
        lambda: figures_as_the_page_draws_them(bowl, compare(bowl, start, RUNS, STEPS)), 9
    )
    print(f"rerun_work.bowl_6x1000: {total:.1f} ms (descent + all figures; target <= 50 ms)")

    home_ms, rate_ms, step_ms = app_reruns()
    print(f"apptest.home_rerun: {home_ms:.1f} ms (baseline: the whole app, home page)")
    print(
        f"apptest.rerun_new_eta: {rate_ms:.1f} ms ({rate_ms / home_ms:.1f}x home; "
        "6x1000 descent recomputed, all figures)"
    )
    print(
        f"apptest.rerun_new_step: {step_ms:.1f} ms ({step_ms / home_ms:.1f}x home; "
        "descent from cache, all figures)"
    )


if __name__ == "__main__":
    main()
