"""Training speed: what the studio's UI costs, fast CNN time to accuracy, each tutorial preset.

    python -m bench training                      # UI cost and the accuracy-target presets
    BENCH_TUTORIALS=1 python -m bench training    # also every tutorial preset (long)
    BENCH_QUICK=1 python -m bench training        # a few seconds: checks the code path only

Needs the real data sets ($DASHBOARD_DATA_DIR). Figures are printed, never asserted.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit import config as streamlit_config  # noqa: E402

from core.models import ModelConfig, build_model, compile_model  # noqa: E402
from core.presets import PRESETS  # noqa: E402
from core.training import TrainConfig, prepare_data, train  # noqa: E402

QUICK = bool(os.environ.get("BENCH_QUICK"))
# the throughput comparison: an MLP on all 60 000 MNIST digits, 3 epochs (seconds each),
# long enough for the live panel to tick a dozen times and to dilute graph tracing
THROUGHPUT = TrainConfig(
    "mnist", ModelConfig("mlp", 1, 256), "adam", 1e-3, 128, 3, 60_000, 0.0, seed=0, test_size=1000
)
if QUICK:
    THROUGHPUT = replace(THROUGHPUT, epochs=1, subset_size=2_000)
REPEATS = 1 if QUICK else 5  # one fit varies by +-12 % here: pairs, order alternated
TICK_SECONDS = 0.5  # the studio's live fragment: st.fragment(run_every=0.5)


def bare_fit_seconds(config: TrainConfig) -> float:
    """model.fit alone: same model, data, batch size and epochs, no callback, no thread."""
    import keras

    data = prepare_data(config)
    keras.utils.set_random_seed(config.seed)
    model = compile_model(build_model(config.model), config.optimizer, config.learning_rate)
    start = time.perf_counter()
    model.fit(
        data.x_train, data.y_train, batch_size=config.batch_size, epochs=config.epochs, verbose=0
    )
    return time.perf_counter() - start


def live_page() -> None:
    """The studio's live panel as a script: start the run once, then one tick per run."""
    import streamlit as st

    from dashboard import studio_runs as state
    from pages.training.views import live_view

    if state.pending() is None:
        state.start_run(st.session_state["bench_config"], None)
    current = state.pending()
    if current.job.finished:
        state.collect_finished()
    else:
        live_view(current)


def in_app_fit_seconds(config: TrainConfig) -> float:
    """The studio's real path, driven the way a browser drives it.

    The run starts through dashboard.studio_runs.start_run (Job, Keras callbacks,
    TensorFlow freeze, session watchdog) inside a Streamlit script run, and the live
    panel reruns twice a second through Streamlit's own script runner (AppTest), followed
    by the gc.collect(2) a server adds after every run when runner.postScriptGC is on
    (AppTest leaves it out; .streamlit/config.toml turns it off for this reason).
    """
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_function(live_page, default_timeout=120)
    app.session_state["bench_config"] = config
    while True:
        tick = time.perf_counter()
        app.run()
        if streamlit_config.get_option("runner.postScriptGC"):
            gc.collect(2)
        if app.exception:
            raise RuntimeError(app.exception[0].value)
        if "train_runs" in app.session_state and app.session_state["train_runs"]:
            break
        time.sleep(max(0.0, TICK_SECONDS - (time.perf_counter() - tick)))
    [run] = app.session_state["train_runs"]
    if run.result is None:
        raise RuntimeError(f"the in-app run failed: {run.error}")
    return run.result.seconds  # fit's wall time, like bare_fit_seconds


def throughput_ratio() -> None:
    images = THROUGHPUT.subset_size * THROUGHPUT.epochs
    bare_fit_seconds(THROUGHPUT)  # warm-up: graph tracing and the first allocations
    bare, in_app = [], []
    for repeat in range(REPEATS):  # interleaved, first one then the other: load hits both alike
        pair = (bare_fit_seconds, in_app_fit_seconds)[:: 1 if repeat % 2 == 0 else -1]
        for measure in pair:
            (bare if measure is bare_fit_seconds else in_app).append(measure(THROUGHPUT))
    bare_rate = images / statistics.median(bare)
    app_rate = images / statistics.median(in_app)
    pair_ratios = sorted(b / a for b, a in zip(bare, in_app))
    print(
        f"throughput.bare_fit: {bare_rate:,.0f} images/s (MLP 256, batch 128, "
        f"{THROUGHPUT.epochs} x {THROUGHPUT.subset_size:,} images, median of {REPEATS})"
    )
    print(
        f"throughput.in_app: {app_rate:,.0f} images/s (studio job + callbacks, live panel "
        f"rerun every {TICK_SECONDS} s by Streamlit's script runner, post-script gc "
        f"{'on' if streamlit_config.get_option('runner.postScriptGC') else 'off'})"
    )
    print(
        f"throughput.ratio: {app_rate / bare_rate:.3f} (in-app / bare, target >= 0.95; "
        f"pairs ranged {pair_ratios[0]:.2f}-{pair_ratios[-1]:.2f})"
    )


def preset_figures(key: str) -> None:
    preset = PRESETS[key]
    start = time.perf_counter()
    result = train(preset.config)
    total = time.perf_counter() - start
    tutorial = (
        f"; tutorial printed {preset.tutorial_accuracy:.3f}"
        if preset.tutorial_accuracy is not None
        else ""
    )
    accuracy = "none" if result.test_accuracy is None else f"{result.test_accuracy:.4f}"
    per_epoch = (
        "" if result.seconds_per_epoch is None else f", {result.seconds_per_epoch:.1f} s/epoch"
    )
    print(
        f"preset.{key}.test_accuracy: {accuracy} "
        f"({preset.config.epochs} epochs, {result.status}: {result.message}{tutorial})"
    )
    print(
        f"preset.{key}.seconds: {total:.1f} s (fit {result.seconds:.1f} s{per_epoch}, "
        f"{os.cpu_count()} CPUs)"
    )


def main() -> None:
    throughput_ratio()
    if QUICK:
        preset_figures("fast_softmax")
        return
    for key in ("target_cnn_mnist", "target_cnn_fashion"):
        preset_figures(key)  # targets: MNIST >= 0.990, Fashion >= 0.90, each <= 120 s
    if os.environ.get("BENCH_TUTORIALS"):
        for key in PRESETS:
            if key.startswith("tutorial_"):
                preset_figures(key)


if __name__ == "__main__":
    main()
