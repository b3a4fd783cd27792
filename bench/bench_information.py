"""Information & loss lab: server time of one full rerun of the page, per section.

`python -m bench information` prints, for each section:
- the headline: wall time of one rerun of the real app (dashboard/app.py, its
  st.navigation and sidebar, then this page) through AppTest, median of REPEATS,
  against the issue's 30 ms target;
- the same for a one-line page in the same process, the floor AppTest and
  Streamlit set, so the page's own share can be read off;
- the computation and figure building alone, called directly.
Each also gives the process's CPU time, which stays steady when other work shares
the cores. `BENCH_REPEATS=10` for a quick look. Writes no file.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REPEATS = int(os.environ.get("BENCH_REPEATS", "100"))  # fewer for a quick look
WARM_UP = 3  # reruns before timing: imports, first figures, caches
TARGET_MS = 30
APP = ROOT / "dashboard" / "app.py"
BASELINE_PAGE = 'import streamlit as st\nst.title("Baseline")\nst.write("one line of text")\n'


def timed_reruns(app) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of REPEATS reruns of an AppTest that has run once already."""
    if app.exception:
        raise RuntimeError(f"the page raised: {app.exception[0].value}")
    for _ in range(WARM_UP):
        app.run()
    seconds = []
    for _ in range(REPEATS):
        start, cpu_start = time.perf_counter(), time.process_time()
        app.run()
        seconds.append((time.perf_counter() - start, time.process_time() - cpu_start))
    if app.exception:
        raise RuntimeError(f"the page raised while timed: {app.exception[0].value}")
    return seconds


def app_rerun_seconds(section: str) -> list[tuple[float, float]]:
    """Reruns of dashboard/app.py showing this page's `section`, as a student's click causes."""
    from streamlit.testing.v1 import AppTest

    from dashboard.navigation import PAGES

    page = next(page for page in PAGES if page.name == "information")
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.run()
    app.switch_page(str(page.path)).run()
    app.segmented_control[0].set_value(section).run()
    return timed_reruns(app)


def baseline_seconds() -> list[tuple[float, float]]:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_string(BASELINE_PAGE, default_timeout=60)
    app.run()
    return timed_reruns(app)


def direct_seconds(section: str) -> list[tuple[float, float]]:
    """Computation plus figure building for one section, without Streamlit."""
    from pages.information import figures, lab
    from pages.information.settings import SETTINGS, typed_numbers

    defaults = SETTINGS.defaults
    inputs = lab.LabInput(
        section=section,
        class_names=lab.class_names(defaults["names"], defaults["n"]),
        p=tuple(typed_numbers("p", defaults["p"])),
        q=tuple(typed_numbers("q", defaults["q"])),
        base=defaults["base"],
        auto_normalise=False,
        logits=tuple(typed_numbers("logits", defaults["logits"])),
        temperature=defaults["temperature"],
    )

    def once() -> None:
        result = lab.evaluate(inputs)
        columns, base = result.columns, float(lab.info.BASES[inputs.base])
        names = columns["class"]
        built = []
        if section == "entropy":
            p = columns["p"]
            built = [
                figures.distribution_bars(names, p),
                figures.contribution_bars(names, columns["p × surprisal"]),
                figures.surprisal_curve(p, names, base, "bits", "surprisal"),
                figures.bernoulli_curve(p, names, p, base, "bits"),
            ]
        elif section == "cross_entropy":
            built = [
                figures.distribution_bars(names, columns["p"], columns["q"]),
                figures.contribution_bars(names, columns["p × (-log p)"], columns["p × (-log q)"]),
                figures.surprisal_curve(columns["q"], names, base, "bits", "−log q"),
            ]
        elif section == "sse":
            sweep = lab.info.confidence_sweep(columns["prediction y"], columns["target t"], "2")
            built = list(figures.loss_and_gradient_curves(sweep, 0.25, "bits"))
        else:
            built = [
                figures.softmax_bars(
                    names, columns["softmax at T"], columns["softmax at T = 1"], 1.0
                )
            ]
        for figure in built:
            figure.to_dict()  # what st.plotly_chart does with a figure

    for _ in range(WARM_UP):
        once()
    seconds = []
    for _ in range(REPEATS):
        start, cpu_start = time.perf_counter(), time.process_time()
        once()
        seconds.append((time.perf_counter() - start, time.process_time() - cpu_start))
    return seconds


def ms(seconds: list[tuple[float, float]]) -> tuple[float, float]:
    """Median wall and median CPU time, in milliseconds."""
    return tuple(statistics.median(pair[which] for pair in seconds) * 1000 for which in (0, 1))


def main() -> None:
    from pages.information.lab import SECTIONS

    baseline, baseline_cpu = ms(baseline_seconds())
    print(
        f"information.baseline_rerun: {baseline:.1f} ms wall, {baseline_cpu:.1f} ms CPU "
        f"(a one-line page through AppTest in this process, median of {REPEATS}; load "
        f"average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    for section in SECTIONS:
        rerun, rerun_cpu = ms(app_rerun_seconds(section))
        direct, direct_cpu = ms(direct_seconds(section))
        verdict = "meets" if rerun <= TARGET_MS else "misses"
        print(
            f"information.app_rerun.{section}: {rerun:.1f} ms wall ({verdict} the {TARGET_MS} ms "
            f"target; dashboard/app.py with navigation through AppTest, median of {REPEATS}; "
            f"{rerun - baseline:.1f} ms above the one-line page; {rerun_cpu:.1f} ms CPU)"
        )
        print(
            f"information.compute_and_figures.{section}: {direct:.1f} ms wall, "
            f"{direct_cpu:.1f} ms CPU (evaluate + figures, direct calls, median of {REPEATS})"
        )


if __name__ == "__main__":
    main()
