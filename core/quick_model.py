"""The "quick model": a small CNN trained once per server process on MNIST, shared read-only.

In a notebook:

    from core.quick_model import train_quick_model
    quick = train_quick_model()          # 5-10 s of training on two CPU cores
    quick.test_accuracy                  # ~0.98 on MNIST's 10 000 test images

In the dashboard every session asks `quick_model_job()` for the one server-wide
background job; the first caller starts it, the rest watch the same progress.
TensorFlow is imported inside the functions, so importing this module is instant.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.data import load_dataset
from core.jobs import DONE, FAILED, STOPPED, Job, JobContext
from core.model_check import accuracy, check_model
from core.models import SEEDING_LOCK, SeededStart


@dataclass(frozen=True)
class QuickModelConfig:
    dataset: str = "mnist"  # core.data name it learns from (10 classes, 28x28)
    train_images: int = 20_000  # first N training images: ~97.5 %, about 5 s on 2 cores
    epochs: int = 2  # passes over those images
    batch_size: int = 64  # images per gradient step
    learning_rate: float = 3e-3  # Adam step size; above the default 1e-3 to learn in 2 epochs
    seed: int = 0  # weights and shuffling, so every server gets the same model


@dataclass(frozen=True)
class QuickModel:
    model: Any  # keras.Model: input (28, 28) floats in [0, 1], output 10 probabilities
    dataset: str  # core.data name it was trained on
    class_names: tuple[str, ...]  # output i means class_names[i]
    test_accuracy: float  # on the data set's whole test split
    test_images: int  # how many images that test split has
    train_seconds: float  # wall time of model.fit
    config: QuickModelConfig = field(default_factory=QuickModelConfig)


def build_cnn(seed: int = 0):
    """conv 16 -> pool -> conv 32 -> pool -> dense 64 -> softmax 10, about 55 k weights."""
    import keras

    # Seeding is process-wide: under the lock, so a studio run between its own seeding
    # and its build never sees this seed (same seed, same curves).
    with SEEDING_LOCK:
        keras.utils.set_random_seed(seed)
        return keras.Sequential(
            [
                keras.Input(shape=(28, 28)),
                keras.layers.Reshape((28, 28, 1)),  # Conv2D wants a channel axis
                keras.layers.Conv2D(16, 3, activation="relu"),
                keras.layers.MaxPooling2D(),
                keras.layers.Conv2D(32, 3, activation="relu"),
                keras.layers.MaxPooling2D(),
                keras.layers.Flatten(),
                keras.layers.Dense(64, activation="relu"),
                keras.layers.Dense(10, activation="softmax"),
            ],
            name="quick_cnn",
        )


def _check(config: QuickModelConfig) -> None:
    if config.train_images < 100:
        raise ValueError(f"train_images must be at least 100, got {config.train_images}")
    if config.epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {config.epochs}")
    if config.batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {config.batch_size}")
    if not config.learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {config.learning_rate}")


def train_quick_model(
    config: QuickModelConfig | None = None,
    report: Callable[..., None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> QuickModel:
    """Train the quick CNN now, in this thread; `report(fraction=..., loss=...)` after each batch."""
    import keras

    config = config or QuickModelConfig()
    _check(config)
    (x_train, y_train), (x_test, y_test), info = load_dataset(config.dataset)
    if len(info.class_names) != 10:
        raise ValueError(
            f"the quick model needs 10 classes; {info.title} has {len(info.class_names)}"
        )
    count = min(config.train_images, len(x_train))
    images = x_train[:count].astype(np.float32) / 255.0  # the same scaling preprocess.py applies
    labels = y_train[:count]
    steps = config.epochs * -(-count // config.batch_size)  # ceil division per epoch
    with SeededStart() as seeded:  # no studio run's seeding lands between this seed and fit

        class Progress(keras.callbacks.Callback):
            done = 0

            def on_train_begin(self, logs=None):
                seeded.release()  # fit has drawn its shuffle seed

            def on_train_batch_end(self, batch, logs=None):
                Progress.done += 1
                if report is not None:
                    loss = float((logs or {}).get("loss", 0.0))
                    report(fraction=Progress.done / steps, loss=loss)
                if should_stop is not None and should_stop():
                    self.model.stop_training = True

        model = build_cnn(config.seed)
        model.compile(
            optimizer=keras.optimizers.Adam(config.learning_rate),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
        started = time.perf_counter()
        model.fit(
            images,
            labels,
            epochs=config.epochs,
            batch_size=config.batch_size,
            shuffle=True,
            verbose=0,
            callbacks=[Progress()],
        )
    seconds = time.perf_counter() - started
    test_accuracy = accuracy(check_model(model), x_test, y_test)
    return QuickModel(
        model=model,
        dataset=config.dataset,
        class_names=info.class_names,
        test_accuracy=test_accuracy,
        test_images=len(x_test),
        train_seconds=seconds,
        config=config,
    )


_job: Job | None = None
_job_lock = threading.Lock()


def quick_model_job(config: QuickModelConfig | None = None) -> Job:
    """The server's one quick-model job: started by the first caller, shared by everyone.

    A job that failed or was stopped is replaced by a fresh one on the next call,
    so a student can retry; a running or finished one is returned as it is.
    """
    global _job
    config = config or QuickModelConfig()
    _check(config)
    with _job_lock:
        if _job is None or _job.state in (FAILED, STOPPED):

            def work(context: JobContext) -> QuickModel:
                return train_quick_model(
                    config, report=context.report, should_stop=lambda: context.stop_requested
                )

            _job = Job(work, name="quick-model").start()
        return _job


def existing_quick_model_job() -> Job | None:
    """The job if someone has started it in this process, without starting one."""
    with _job_lock:
        return _job


def trained_quick_model() -> QuickModel | None:
    """The quick model if it has finished training in this process, else None (never starts it)."""
    with _job_lock:
        job = _job
    if job is None or job.state != DONE:
        return None
    return job.snapshot().result


def forget_quick_model() -> None:
    """As if the server had just started: stop a running job and forget the model (tests)."""
    global _job
    with _job_lock:
        if _job is not None:
            _job.request_stop()
        _job = None
