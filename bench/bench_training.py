"""Training speed: what the studio's UI costs, fast CNN time to accuracy, each tutorial preset.

    python -m bench training                      # UI cost and the fast CNN presets
    BENCH_TUTORIALS=1 python -m bench training    # also every tutorial preset (long)

Needs the real data sets ($DASHBOARD_DATA_DIR). Figures are printed, never asserted.
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.jobs import Job, JobQueue  # noqa: E402
from core.models import ModelConfig, build_model, compile_model  # noqa: E402
from core.presets import PRESETS  # noqa: E402
from core.training import TrainConfig, prepare_data, train  # noqa: E402

# the model and data of the throughput comparison: an MLP on 20 000 MNIST digits
THROUGHPUT = TrainConfig(
    "mnist", ModelConfig("mlp", 1, 256), "adam", 1e-3, 128, 2, 20_000, 0.0, seed=0, test_size=1000
)
REPEATS = 3


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


def in_app_fit_seconds(config: TrainConfig) -> float:
    """The studio's path: a background Job reporting every batch, polled like the page does."""
    from dashboard.training_figures import curves_figure

    job = Job(lambda context: train(config, context), queue=JobQueue(1)).start()
    done = threading.Event()

    def poll():  # the live fragment: a snapshot and a figure twice a second
        while not done.is_set():
            curves_figure(job.snapshot().series).to_json()
            time.sleep(0.5)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    job.join()
    done.set()
    poller.join()
    snapshot = job.snapshot()
    if snapshot.error:
        raise RuntimeError(snapshot.error)
    return snapshot.result.seconds  # fit's wall time, like bare_fit_seconds


def throughput_ratio() -> None:
    images = (THROUGHPUT.subset_size) * THROUGHPUT.epochs
    bare_fit_seconds(THROUGHPUT)  # warm-up: graph tracing and the first allocations
    bare, in_app = [], []
    for _ in range(REPEATS):  # interleaved, so load changes hit both alike
        bare.append(bare_fit_seconds(THROUGHPUT))
        in_app.append(in_app_fit_seconds(THROUGHPUT))
    bare_rate = images / statistics.median(bare)
    app_rate = images / statistics.median(in_app)
    print(
        f"throughput.bare_fit: {bare_rate:,.0f} images/s (MLP 256, batch 128, median of {REPEATS})"
    )
    print(
        f"throughput.in_app: {app_rate:,.0f} images/s (Job + callback + 2 Hz polling with figure)"
    )
    print(f"throughput.ratio: {app_rate / bare_rate:.3f} (in-app / bare, target >= 0.95)")


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
    print(
        f"preset.{key}.test_accuracy: {result.test_accuracy:.4f} "
        f"({preset.config.epochs} epochs, {result.status}{tutorial})"
    )
    print(
        f"preset.{key}.seconds: {total:.1f} s (fit {result.seconds:.1f} s, "
        f"{result.seconds_per_epoch:.1f} s/epoch, {os.cpu_count()} CPUs)"
    )


def main() -> None:
    throughput_ratio()
    for key in ("fast_cnn_mnist", "fast_cnn_fashion"):
        preset_figures(key)  # targets: MNIST >= 0.990, Fashion >= 0.90, each <= 120 s
    if os.environ.get("BENCH_TUTORIALS"):
        for key in PRESETS:
            if key.startswith("tutorial_"):
                preset_figures(key)


if __name__ == "__main__":
    main()
