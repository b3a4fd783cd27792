"""Training one run: data subset, Keras fit with live reporting, then a test evaluation.

    result = train(TrainConfig(dataset="mnist", model=ModelConfig("cnn_fast"), epochs=1))
    result.test_accuracy

`train` reports through a context with `report(**fields)`, `append(series, value)`
and `stop_requested` (a core.engine.TaskContext on the engine, `QuietContext`
in a notebook). It never touches a user interface.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.data import load_dataset, spec_for
from core.metrics import accuracy, cross_entropy
from core.models import (
    OPTIMIZERS,
    SCHEDULES,
    ModelConfig,
    build_model,
    check_model_config,
    compile_model,
)

DONE, STOPPED, DIVERGED = "done", "stopped", "diverged"
MAX_BATCH_SIZE = 1024
MAX_EPOCHS = 100
POINTS_PER_EPOCH = 40  # within-epoch curve resolution: enough to see it move, cheap to draw
TRAIN_ACCURACY_SAMPLE = 10_000  # train accuracy is measured on at most this many images


@dataclass(frozen=True)
class TrainConfig:
    dataset: str = "mnist"  # core.data name: mnist | fashion_mnist | digits
    model: ModelConfig = field(default_factory=ModelConfig)  # which network
    optimizer: str = "adam"  # sgd | momentum | rmsprop | adam (core.models.OPTIMIZERS)
    learning_rate: float = 1e-3  # step size of the optimizer, > 0 (the start, with a schedule)
    batch_size: int = 128  # images per gradient step, 1..1024
    epochs: int = 1  # passes over the training images
    subset_size: int = (
        10_000  # training images used (a seeded random subset); validation comes out of it
    )
    validation_split: float = 0.1  # fraction of the subset held out to watch overfitting, 0..0.5
    seed: int = 0  # same seed -> same subset, same initial weights, same curves
    test_size: int | None = None  # test images evaluated at the end; None = the whole test split
    schedule: str = "constant"  # how the learning rate changes: constant | cosine (SCHEDULES)


def training_images(config: TrainConfig) -> int:
    """Images that feed gradient steps: the subset minus its validation part."""
    return config.subset_size - validation_images(config)


def validation_images(config: TrainConfig) -> int:
    return int(round(config.subset_size * config.validation_split))


def steps_per_epoch(config: TrainConfig) -> int:
    return max(1, math.ceil(training_images(config) / config.batch_size))


def check_config(config: TrainConfig, available: int | None = None) -> list[str]:
    """Everything wrong with a run's settings, one sentence each (empty when it can start).

    `available` is the size of the data set's training split, when known.
    """
    problems = []
    try:
        spec_for(config.dataset)
    except ValueError as error:
        problems.append(str(error))
    problems += check_model_config(config.model)
    if config.schedule not in SCHEDULES:
        problems.append(
            f"unknown learning-rate schedule {config.schedule!r}; choose one of "
            f"{', '.join(SCHEDULES)}"
        )
    if config.optimizer not in OPTIMIZERS:
        problems.append(
            f"unknown optimizer {config.optimizer!r}; choose one of {', '.join(OPTIMIZERS)}"
        )
    if not (isinstance(config.learning_rate, int | float) and config.learning_rate > 0):
        problems.append(f"learning rate must be greater than 0, got {config.learning_rate}")
    elif not math.isfinite(config.learning_rate):
        problems.append(f"learning rate must be a finite number, got {config.learning_rate}")
    if config.epochs < 1:
        problems.append(f"epochs must be at least 1, got {config.epochs}")
    elif config.epochs > MAX_EPOCHS:
        problems.append(f"at most {MAX_EPOCHS} epochs in the studio, got {config.epochs}")
    if not 0 <= config.validation_split <= 0.5:
        problems.append(
            f"validation split must be between 0 and 0.5, got {config.validation_split}"
        )
    if config.subset_size < 1:
        problems.append(f"the training subset must hold at least 1 image, got {config.subset_size}")
    elif available is not None and config.subset_size > available:
        problems.append(
            f"the training subset asks for {config.subset_size} images but "
            f"{spec_for(config.dataset).title} has only {available}"
        )
    if not 1 <= config.batch_size <= MAX_BATCH_SIZE:
        problems.append(
            f"batch size must be between 1 and {MAX_BATCH_SIZE}, got {config.batch_size}"
        )
    elif config.subset_size >= 1 and 0 <= config.validation_split <= 0.5:
        usable = training_images(config)
        if usable < 1:
            problems.append("the validation split leaves no image to train on; use a bigger subset")
        elif config.batch_size > usable:
            problems.append(
                f"batch size {config.batch_size} is larger than the {usable} training images "
                f"of the subset; pick a batch size of at most {usable} or a bigger subset"
            )
    if config.test_size is not None and config.test_size < 1:
        problems.append(f"test size must be at least 1 image, got {config.test_size}")
    return problems


# --- data -------------------------------------------------------------------------------


def scale_images(images: np.ndarray) -> np.ndarray:
    """uint8 0..255 -> float32 0..1, the input every model here expects."""
    return images.astype(np.float32) / np.float32(255.0)


@dataclass
class PreparedData:
    x_train: np.ndarray  # (n, 28, 28) float32 in 0..1
    y_train: np.ndarray  # (n,) int64
    x_val: np.ndarray  # (m, 28, 28), m may be 0
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]


def prepare_data(config: TrainConfig) -> PreparedData:
    """The seeded subset, split into train and validation, and the test images, scaled."""
    (x_all, y_all), (x_test, y_test), info = load_dataset(config.dataset)
    problems = check_config(config, available=len(x_all))
    if problems:
        raise ValueError("; ".join(problems))
    chosen = np.random.default_rng(config.seed).permutation(len(x_all))[: config.subset_size]
    n_val = validation_images(config)
    train_index, val_index = chosen[: len(chosen) - n_val], chosen[len(chosen) - n_val :]
    test_count = len(x_test) if config.test_size is None else min(config.test_size, len(x_test))
    return PreparedData(
        scale_images(x_all[train_index]),
        y_all[train_index],
        scale_images(x_all[val_index]),
        y_all[val_index],
        scale_images(x_test[:test_count]),
        y_test[:test_count],
        info.class_names,
    )


def predict(model, images: np.ndarray) -> np.ndarray:
    return np.asarray(model.predict(images, batch_size=1024, verbose=0), dtype=np.float64)


# --- the run ----------------------------------------------------------------------------


class QuietContext:
    """A context for notebooks and tests: keeps what is reported, never stops."""

    def __init__(self):
        self.progress: dict[str, Any] = {}
        self.series: dict[str, list[Any]] = {}
        self.stop_requested = False

    def report(self, **fields: Any) -> None:
        self.progress.update(fields)

    def append(self, series: str, value: Any) -> None:
        self.series.setdefault(series, []).append(value)


@dataclass
class RunResult:
    config: TrainConfig
    status: str  # done | stopped | diverged
    message: str  # one line for the page, e.g. why it stopped
    model: Any  # the trained keras.Model (as far as it got)
    class_names: tuple[str, ...]
    parameter_count: int
    epochs_completed: float  # fractional when stopped inside an epoch
    seconds: float  # wall time of fit, without data preparation and evaluation
    cpu_seconds: float  # CPU time of the process during fit (all of TensorFlow's threads)
    seconds_per_epoch: float | None
    train_accuracy: float | None  # measured after training, dropout off
    val_accuracy: float | None  # last epoch's validation accuracy
    test_accuracy: float | None
    test_loss: float | None
    test_probabilities: np.ndarray | None  # (n_test, 10)
    test_labels: np.ndarray | None  # the first len(test_labels) images of the test split
    # set when the run crossed a process (core.engine), in place of `model`:
    model_bytes: bytes | None = None  # the model's .keras file
    weight_pictures: tuple[str, np.ndarray] | None = None  # core.models.first_layer_pictures
    layer_code: tuple[str, ...] | None = None  # core.codegen.layer_lines, for "show code"


def _progress_callback(context, config: TrainConfig, steps: int, state: dict):
    """A Keras callback that reports to `context` and obeys its stop flag; no UI here."""
    import keras

    every = max(1, steps // POINTS_PER_EPOCH)
    total_steps = steps * config.epochs

    class ReportProgress(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            state["started"] = time.perf_counter()

        def on_epoch_begin(self, epoch, logs=None):
            state["epoch"] = epoch
            state["epoch_started"] = time.perf_counter()

        def on_train_batch_begin(self, batch, logs=None):
            if context.stop_requested:  # checked in the loop itself: ends after this batch
                state["stopped"] = True
                self.model.stop_training = True

        def on_train_batch_end(self, batch, logs=None):
            logs = logs or {}
            loss = float(logs.get("loss", float("nan")))
            batch_accuracy = float(logs.get("accuracy", float("nan")))
            epoch = state["epoch"]
            done_steps = epoch * steps + batch + 1
            state["batches"] = done_steps
            if not math.isfinite(loss):
                state["diverged"] = (epoch + 1, batch + 1)
                self.model.stop_training = True
                return
            # rates count from the end of the first batch, which includes graph tracing
            now = time.perf_counter()
            first_done = state.setdefault("first_batch_done", (now, done_steps))
            elapsed, steps_since = now - first_done[0], done_steps - first_done[1]
            rate = steps_since / elapsed if elapsed > 0 and steps_since > 0 else 0.0
            samples = min(done_steps * config.batch_size, training_images(config) * config.epochs)
            context.report(
                epoch=epoch + 1,
                epochs=config.epochs,
                batch=batch + 1,
                batches=steps,
                fraction=done_steps / total_steps,
                samples=samples,
                samples_per_second=rate * config.batch_size,
                eta_seconds=(total_steps - done_steps) / rate if rate > 0 else None,
                loss=loss,
                accuracy=batch_accuracy,
            )
            if (batch + 1) % every == 0 or batch + 1 == steps:
                context.append("batch_epoch", epoch + (batch + 1) / steps)
                context.append("batch_loss", loss)
                context.append("batch_accuracy", batch_accuracy)

        def on_epoch_end(self, epoch, logs=None):
            if "diverged" in state:
                return
            logs = logs or {}
            state["epoch_seconds"].append(time.perf_counter() - state["epoch_started"])
            if state.get("stopped") and state["batches"] < (epoch + 1) * steps:
                return  # a partial epoch's averages are not an epoch point
            state["epochs_done"] = epoch + 1
            context.append("epoch", epoch + 1)
            for name in ("loss", "accuracy", "val_loss", "val_accuracy"):
                context.append(f"epoch_{name}", float(logs.get(name, float("nan"))))

    return ReportProgress()


def train(config: TrainConfig, context=None) -> RunResult:
    """Train one run to the end, to a stop request, or to a diverging loss."""
    context = context if context is not None else QuietContext()
    context.report(phase="importing TensorFlow (slow only the first time)")
    import keras

    context.report(phase="preparing data")
    data = prepare_data(config)
    steps = steps_per_epoch(config)
    state: dict[str, Any] = {"epoch": 0, "batches": 0, "epoch_seconds": [], "epochs_done": 0}
    validation = (data.x_val, data.y_val) if len(data.x_val) else None
    # same seed -> same subset, weights, dropout masks and shuffles: one run per process
    # (an engine worker runs one task at a time), so nothing else draws from these seeds
    keras.utils.set_random_seed(config.seed)
    model = compile_model(
        build_model(config.model),
        config.optimizer,
        config.learning_rate,
        config.schedule,
        steps * config.epochs,
    )
    callback = _progress_callback(context, config, steps, state)
    context.report(phase="training", epochs=config.epochs, batches=steps, fraction=0.0)
    started, cpu_started = time.perf_counter(), time.process_time()
    history = model.fit(
        data.x_train,
        data.y_train,
        batch_size=config.batch_size,
        epochs=config.epochs,
        validation_data=validation,
        shuffle=True,
        callbacks=[callback],
        verbose=0,
    )
    seconds = time.perf_counter() - started
    context.report(phase="evaluating on the test images")

    if "diverged" in state:
        epoch, batch = state["diverged"]
        status = DIVERGED
        message = f"diverged at epoch {epoch}, batch {batch} — try a smaller learning rate"
    elif state.get("stopped"):
        status = STOPPED
        message = f"stopped after {state['batches']} of {steps * config.epochs} batches"
    else:
        status, message = DONE, f"finished {config.epochs} epoch(s)"

    val_history = history.history.get("val_accuracy") or [None]
    result = RunResult(
        config=config,
        status=status,
        message=message,
        model=model,
        class_names=data.class_names,
        parameter_count=int(model.count_params()),
        epochs_completed=state["batches"] / steps,
        seconds=seconds,
        cpu_seconds=time.process_time() - cpu_started,
        seconds_per_epoch=(seconds * steps / state["batches"]) if state["batches"] else None,
        train_accuracy=None,
        val_accuracy=val_history[-1] if status != DIVERGED else None,
        test_accuracy=None,
        test_loss=None,
        test_probabilities=None,
        test_labels=None,
    )
    if status == DIVERGED:
        return result  # NaN weights: any test number would be meaningless
    probabilities = predict(model, data.x_test)
    result.test_probabilities = probabilities.astype(np.float32)
    result.test_labels = data.y_test
    result.test_accuracy = accuracy(probabilities, data.y_test)
    result.test_loss = cross_entropy(probabilities, data.y_test)
    sample = slice(0, TRAIN_ACCURACY_SAMPLE)
    result.train_accuracy = accuracy(predict(model, data.x_train[sample]), data.y_train[sample])
    context.report(phase="finished")
    return result
