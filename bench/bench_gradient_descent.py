"""Gradient-descent lab: server time for one rerun with 6 optimizers x 1000 steps and all figures.

The headline is the whole page: a real AppTest rerun of pages/gradient_descent/page.py in
compare mode after the student moves η (so the 6 x 1000 descent is recomputed, not
cached), median over repeats, against the issue's target of 50 ms and next to a rerun of
the home page as a baseline for what any rerun of the app costs. Then where the time goes:
  * the descent alone (core.descent.compare, one vectorised loop for the six runs),
    against stepping each optimizer's own pure function one run at a time;
  * the figures the page draws at first, built and serialised as st.plotly_chart does;
  * compiling the two scripts: AppTest compiles them on every rerun (a fresh ScriptCache
    per run), a server compiles them once; it stays inside the headline, and a second line
    shows the same rerun with the scripts compiled once.
Wall times on a shared machine swing with its load, so CPU medians are printed too.
"""

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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

    from pages.gradient_descent import figures
    from pages.gradient_descent.settings import LEARNING_RATES

    figures._regime_figure.cache_clear()  # built fresh each time: the worst case
    built = [figures.descent_figure(surface, results, False, 1e-6)]  # on screen at first
    if surface.curvatures is not None:
        regime = quadratic_regime(0.1, surface.curvatures)
        built.append(figures.regime_figure(0.1, regime, LEARNING_RATES))
    for figure in built:  # what st.plotly_chart does with each
        checked = plotly.tools.return_figure_from_figure_or_data(figure, validate_figure=True)
        plotly.io.to_json(checked, validate=False)


def wall_and_cpu_ms(work, repeats: int) -> tuple[float, float]:
    """Medians of wall time and of this process's CPU time (less hurt by a busy machine)."""
    work()
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def app_reruns(repeats: int = 21) -> dict[str, tuple[float, float]]:
    """Home rerun, page rerun after a new η, page rerun after a new step: (wall, cpu) ms."""
    from streamlit.testing.v1 import AppTest

    from pages.gradient_descent.settings import LEARNING_RATES

    app_path = str(ROOT / "dashboard" / "app.py")
    home = AppTest.from_file(app_path, default_timeout=120).run()
    figures = {"home": wall_and_cpu_ms(home.run, repeats)}

    app = AppTest.from_file(app_path, default_timeout=120)
    app.query_params.update({"gd_mode": "optimizers", "gd_steps": str(STEPS)})
    app.run()
    app.switch_page(str(ROOT / "pages" / "gradient_descent" / "page.py")).run()
    assert not app.exception, app.exception
    assert len(app.dataframe[0].value) == len(OPTIMIZERS)  # really 6 runs
    rates = iter(LEARNING_RATES[55:100])  # each new: never a cache hit
    steps = iter(range(10, 1000, 10))
    figures["new_eta"] = wall_and_cpu_ms(
        lambda: app.select_slider(key="gd_lr").set_value(next(rates)).run(), repeats
    )
    figures["new_step"] = (
        wall_and_cpu_ms(  # the gradient check's step (the plots step in the browser)
            lambda: app.slider(key="gd_step").set_value(next(steps)).run(), repeats
        )
    )
    assert not app.exception, app.exception
    return figures


def compile_ms() -> float:
    """What compiling app.py and the page costs each AppTest rerun (a server caches it)."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    scripts = [
        str(ROOT / "dashboard" / "app.py"),
        str(ROOT / "pages" / "gradient_descent" / "page.py"),
    ]
    return median_ms(lambda: [ScriptCache().get_bytecode(script) for script in scripts], 21)


def compiled_once(measure):
    """measure() with AppTest sharing one ScriptCache across reruns, as a server's runtime
    does (AppTest builds fresh ones per run, so it compiles the scripts every time)."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    modules = (app_test, local_script_runner)  # each makes its own: the page's, app.py's
    for module in modules:
        module.ScriptCache = lambda: shared
    try:
        return measure()
    finally:
        for module in modules:
            module.ScriptCache = ScriptCache


def main() -> None:
    print(
        f"machine.load_average: {os.getloadavg()[0]:.1f} "
        f"(1 minute, {os.cpu_count()} cores: figures below scale with it)"
    )
    reruns = app_reruns()
    (rate_ms, rate_cpu), (home_ms, home_cpu) = reruns["new_eta"], reruns["home"]
    print(
        f"rerun.gradient_descent_6x1000: {rate_ms:.1f} ms (median AppTest rerun after a new η: "
        f"6 optimizers x {STEPS} steps recomputed, every figure; CPU {rate_cpu:.1f} ms; "
        "target <= 50 ms)"
    )
    print(
        f"rerun.home: {home_ms:.1f} ms (baseline: the app's home page rerun; CPU {home_cpu:.1f} ms)"
    )
    step_ms, step_cpu = reruns["new_step"]
    print(
        f"rerun.gradient_descent_new_step: {step_ms:.1f} ms "
        f"(the gradient check's step moved: descent from cache; CPU {step_cpu:.1f} ms)"
    )
    print(
        f"compile.app_and_page: {compile_ms():.1f} ms "
        "(paid inside every AppTest rerun above; a server compiles once)"
    )
    once = compiled_once(lambda: app_reruns(11))
    print(
        f"rerun.gradient_descent_6x1000_compiled_once: {once['new_eta'][0]:.1f} ms "
        f"(the same rerun with the scripts compiled once, as on a server; home "
        f"{once['home'][0]:.1f} ms)"
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
        f"figures.bowl_6x1000: {drawn:.1f} ms (the figures on screen at first, the paths with "
        "their animation frames and the η strip, built and serialised as st.plotly_chart does)"
    )


if __name__ == "__main__":
    main()
