"""Training through the engine: throughput, Stop latency, time to accuracy, CPU per preset.

    python -m bench training                      # everything below except the tutorials
    BENCH_TUTORIALS=1 python -m bench training    # also every tutorial preset (long)
    BENCH_QUICK=1 python -m bench training        # a minute: checks the code path only

- throughput: the studio's run through a worker (callbacks, progress published to the page,
  a page polling it twice a second) against bare `model.fit` in the same kind of process (a
  worker of the same engine), same model, data and batch; pairs alternate. Target >= 0.95.
- stop latency: Stop pressed on a training run while two other runs train (three workers);
  "stopped" is the page seeing the worker has ended the training loop; "result" is the run
  back with its test accuracy. Target p95 <= 1 s.
- time to accuracy: each "Accuracy target" preset from the click to its result. Targets:
  MNIST >= 0.990 in <= 45 s, Fashion-MNIST >= 0.910 in <= 60 s.
- CPU seconds per preset: what one run costs the machine (the capacity table in the README
  is built from these).

Needs the real data sets ($DASHBOARD_DATA_DIR). Figures are printed, never asserted.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DASHBOARD_WORKERS", "3")  # the Stop test trains three runs at once

from bench.report import load, summary  # noqa: E402
from core.engine import FINISHED, engine_client, shutdown, submit, training_task  # noqa: E402
from core.models import ModelConfig, build_model, compile_model  # noqa: E402
from core.presets import PRESETS, QUICK_MODEL  # noqa: E402
from core.training import TrainConfig, prepare_data  # noqa: E402

QUICK = bool(os.environ.get("BENCH_QUICK"))
# the throughput comparison: an MLP on all 60 000 MNIST digits, 3 epochs (seconds each)
THROUGHPUT = TrainConfig(
    "mnist", ModelConfig("mlp", 1, 256), "adam", 1e-3, 128, 3, 60_000, 0.0, seed=0, test_size=1000
)
# what is stopped: a small CNN whose batches take milliseconds, as in a class
STOPPED = TrainConfig(
    "mnist", ModelConfig("cnn_fast"), "adam", 1e-3, 64, 20, 20_000, 0.0, seed=0, test_size=2000
)
if QUICK:
    THROUGHPUT = replace(THROUGHPUT, epochs=1, subset_size=2_000)
REPEATS = 1 if QUICK else 4
STOPS = 3 if QUICK else 12
TICK_SECONDS = 0.5  # the studio's live fragment polls twice a second
TARGETS = {"target_cnn_mnist": (0.990, 45.0), "target_cnn_fashion": (0.910, 60.0)}


def bare_fit_task(config: TrainConfig, run_key: str | None = None) -> float:
    """model.fit alone on a worker: same model, data, batch and epochs; no callback."""
    import keras

    data = prepare_data(config)
    keras.utils.set_random_seed(config.seed)
    model = compile_model(build_model(config.model), config.optimizer, config.learning_rate)
    started = time.perf_counter()
    model.fit(
        data.x_train, data.y_train, batch_size=config.batch_size, epochs=config.epochs, verbose=0
    )
    return time.perf_counter() - started


def watched(job, every: float = TICK_SECONDS):
    """Poll the run as the live panel does (snapshot and its curves figure) until it ends."""
    from pages.training.figures import curves_figure

    while not job.finished:
        tick = time.perf_counter()
        snapshot = job.snapshot()
        curves_figure(snapshot.series, "live")
        time.sleep(max(0.0, every - (time.perf_counter() - tick)))
    return job.snapshot()


def throughput_ratio() -> None:
    images = THROUGHPUT.subset_size * THROUGHPUT.epochs
    submit(bare_fit_task, THROUGHPUT, kind="bench").join()  # warm-up: data, tracing
    bare, in_app = [], []
    for repeat in range(REPEATS):  # alternated, so load hits both alike
        for kind in ("bare", "engine")[:: 1 if repeat % 2 == 0 else -1]:
            if kind == "bare":
                job = submit(bare_fit_task, THROUGHPUT, kind="bench")
                job.join()
                bare.append(job.snapshot().result)
            else:
                snapshot = watched(submit(training_task, THROUGHPUT, kind="bench"))
                in_app.append(snapshot.result.seconds)
    bare_rate, app_rate = images / statistics.median(bare), images / statistics.median(in_app)
    ratios = sorted(b / a for b, a in zip(bare, in_app))
    print(
        f"throughput.bare_fit_in_a_worker: {bare_rate:,.0f} images/s (MLP 256, batch 128, "
        f"{THROUGHPUT.epochs} x {THROUGHPUT.subset_size:,} images, median of {REPEATS}; {load()})"
    )
    print(
        f"throughput.through_the_engine: {app_rate:,.0f} images/s (training_task with its "
        f"callback and progress, the page polling every {TICK_SECONDS} s; {load()})"
    )
    print(
        f"throughput.ratio: {app_rate / bare_rate:.3f} (engine / bare, target >= 0.95; pairs "
        f"{ratios[0]:.2f}-{ratios[-1]:.2f})"
    )


def stop_latency() -> None:
    others = [submit(training_task, replace(STOPPED, epochs=100), kind="bench") for _ in range(2)]
    stopped, resulted = [], []
    try:
        for _ in range(STOPS):
            job = submit(training_task, STOPPED, kind="bench")
            while job.snapshot().progress.get("batch", 0) < 30:
                time.sleep(0.05)
            clicked = time.perf_counter()
            job.request_stop()
            while True:
                snapshot = job.snapshot()
                if snapshot.state in FINISHED or (
                    snapshot.stop_seen and snapshot.progress.get("phase") != "training"
                ):
                    break
                time.sleep(0.02)
            stopped.append(time.perf_counter() - clicked)
            job.join()
            resulted.append(time.perf_counter() - clicked)
            job.release()
    finally:
        for other in others:
            other.request_stop()
    print(
        f"stop.stopped: {summary(stopped)} (click to the training loop ended, while two "
        f"other runs train; target p95 <= 1 s; {load()})"
    )
    print(
        f"stop.result: {summary(resulted)} (click to the run back with its test accuracy on "
        f"{STOPPED.test_size:,} images)"
    )


def preset_figures(key: str, target: tuple[float, float] | None = None) -> None:
    preset = PRESETS[key]
    clicked = time.perf_counter()
    job = submit(training_task, preset.config, kind="bench")
    snapshot = watched(job)
    seconds = time.perf_counter() - clicked
    result = snapshot.result
    if result is None:
        print(f"preset.{key}: {snapshot.state} {snapshot.error}")
        return
    accuracy = "none" if result.test_accuracy is None else f"{result.test_accuracy:.4f}"
    verdict = ""
    if target is not None and result.test_accuracy is not None:
        met = result.test_accuracy >= target[0] and seconds <= target[1]
        verdict = (
            f"; target >= {target[0]:.3f} in <= {target[1]:.0f} s: {'met' if met else 'missed'}"
        )
    tutorial = (
        f"; the tutorial printed {preset.tutorial_accuracy:.3f}"
        if preset.tutorial_accuracy is not None
        else ""
    )
    print(
        f"preset.{key}: test accuracy {accuracy} in {seconds:.1f} s from the click "
        f"(fit {result.seconds:.1f} s, {result.cpu_seconds:.0f} CPU s, {preset.config.epochs} "
        f"epochs{tutorial}{verdict}; {load()})"
    )


def main() -> None:
    started = time.perf_counter()
    engine_client()
    print(f"engine.start: {time.perf_counter() - started:.1f} s (LocalCluster of "
          f"{os.environ['DASHBOARD_WORKERS']} workers with TensorFlow preloaded; {load()})")  # fmt: skip
    try:
        throughput_ratio()
        stop_latency()
        keys = ["fast_softmax"] if QUICK else [key for key in PRESETS if key.startswith("fast_")]
        for key in [QUICK_MODEL, *keys]:
            preset_figures(key)
        if not QUICK:
            for key, target in TARGETS.items():
                preset_figures(key, target)
        if os.environ.get("BENCH_TUTORIALS"):
            for key in PRESETS:
                if key.startswith("tutorial_"):
                    preset_figures(key)
    finally:
        shutdown()


if __name__ == "__main__":
    main()
