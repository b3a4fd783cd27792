"""Information & loss lab: server time of one full rerun of the page, per section.

`python -m bench information` prints, for each section:
- the page script's own time (widgets, computation, figures), timed inside the
  script thread by a wrapper, median over REPEATS reruns through AppTest, as wall
  time and as the script thread's CPU time (steady when other work shares the cores);
- the same for a one-line page in the same process, the floor Streamlit sets;
- the computation and figure building alone, called directly.
The issue's target is 30 ms per rerun; `BENCH_REPEATS=10` for a quick look.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REPEATS = int(os.environ.get("BENCH_REPEATS", "100"))  # fewer for a quick look
TARGET_MS = 30
WRAPPER = """
import runpy, sys, time
sys.path.insert(0, {root!r})
import streamlit as st
start, cpu_start = time.perf_counter(), time.thread_time()
runpy.run_path({page!r})
seconds = (time.perf_counter() - start, time.thread_time() - cpu_start)
st.session_state.setdefault("_bench_seconds", []).append(seconds)
"""
BASELINE_PAGE = 'import streamlit as st\nst.title("Baseline")\nst.write("one line of text")\n'


def script_seconds(page: Path, section: str | None = None) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of REPEATS reruns of `page`, measured inside the script thread.

    The script thread's CPU time does not grow when other programs share the cores,
    so it is the figure to compare on a busy machine; wall time is what a student waits.
    """
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_string(WRAPPER.format(root=str(ROOT), page=str(page)), default_timeout=60)
    app.run()
    if section is not None:
        app.segmented_control[0].set_value(section).run()
    if app.exception:
        raise RuntimeError(f"{page} raised: {app.exception[0].value}")
    for _ in range(3):  # warm-up: imports and first figures
        app.run()
    app.session_state["_bench_seconds"] = []
    for _ in range(REPEATS):
        app.run()
    return list(app.session_state["_bench_seconds"])


def direct_seconds(section: str) -> list[tuple[float, float]]:
    """Computation plus figure building for one section, without Streamlit."""
    from dashboard import information_figures as figures
    from dashboard import information_lab as lab
    from dashboard import information_state as state

    defaults = state.DEFAULTS
    inputs = lab.LabInput(
        section=section,
        class_names=lab.class_names(defaults["names"], defaults["n"]),
        p=tuple(defaults["p"]),
        q=tuple(defaults["q"]),
        base=defaults["base"],
        auto_normalise=False,
        logits=tuple(defaults["logits"]),
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
            sweep = lab.confidence_sweep(columns["prediction y"], columns["target t"], "2")
            built = list(figures.loss_and_gradient_curves(sweep, 0.25, "bits"))
        else:
            built = [
                figures.softmax_bars(
                    names, columns["softmax at T"], columns["softmax at T = 1"], 1.0
                )
            ]
        for figure in built:
            figure.to_dict()  # what st.plotly_chart does with a figure

    for _ in range(3):
        once()
    seconds = []
    for _ in range(REPEATS):
        start, cpu_start = time.perf_counter(), time.thread_time()
        once()
        seconds.append((time.perf_counter() - start, time.thread_time() - cpu_start))
    return seconds


def ms(seconds: list[tuple[float, float]]) -> tuple[float, float]:
    """Median wall and median CPU time, in milliseconds."""
    return tuple(statistics.median(pair[which] for pair in seconds) * 1000 for which in (0, 1))


def main() -> None:
    from dashboard.information_lab import SECTIONS

    baseline_file = ROOT / "artifacts" / "bench_baseline_page.py"
    baseline_file.parent.mkdir(parents=True, exist_ok=True)
    baseline_file.write_text(BASELINE_PAGE)
    baseline, baseline_cpu = ms(script_seconds(baseline_file))
    load = os.getloadavg()[0]
    print(
        f"information.baseline_page_rerun: {baseline:.1f} ms wall, {baseline_cpu:.1f} ms CPU "
        f"(one-line page, median of {REPEATS}; load average {load:.1f} on "
        f"{os.cpu_count()} cores while measuring)"
    )
    page = ROOT / "pages" / "information.py"
    for section in SECTIONS:
        rerun, rerun_cpu = ms(script_seconds(page, section))
        direct, direct_cpu = ms(direct_seconds(section))
        verdict = "meets" if rerun_cpu <= TARGET_MS else "misses"
        print(
            f"information.rerun.{section}: {rerun:.1f} ms wall, {rerun_cpu:.1f} ms CPU "
            f"(page script, median of {REPEATS}; CPU {rerun_cpu / baseline_cpu:.0f}x the "
            f"one-line page; CPU {verdict} the {TARGET_MS} ms target)"
        )
        print(
            f"information.compute_and_figures.{section}: {direct:.1f} ms wall, "
            f"{direct_cpu:.1f} ms CPU (evaluate + figures, direct calls, median of {REPEATS})"
        )


if __name__ == "__main__":
    main()
