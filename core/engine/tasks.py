"""The long work of the pages, as task functions that run on a Dask worker.

Each takes only small settings (a config, a data set's name): the worker loads the data
itself, once per worker process (core.data caches it), and never receives it in the
task's arguments. Each returns plain, picklable results: a trained Keras model comes
back as the bytes of its .keras file, with the pictures and code the pages show, so
the web server needs no TensorFlow to show a finished run.

Called without `run_key` (a test, a notebook) they report to a `LocalChannel`.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from typing import Any

from core.engine.context import DaskChannel, LocalChannel, TaskContext


def channel_for(run_key: str | None, channel=None):
    if channel is not None:
        return channel
    return DaskChannel(run_key) if run_key is not None else LocalChannel()


# --- the studio and the quick model ------------------------------------------------------


def training_task(config, run_key: str | None = None, channel=None):
    """core.training.train on a worker; the RunResult comes back with its model as bytes."""
    from core.training import train

    with TaskContext(channel_for(run_key, channel)) as context:
        result = train(config, context)
    return portable_result(result)


def portable_result(result):
    """The RunResult with `model` replaced by what the pages need of it, all picklable."""
    from core.codegen import layer_lines
    from core.models import first_layer_pictures

    model = result.model
    return dataclasses.replace(
        result,
        model=None,
        model_bytes=keras_bytes(model),
        weight_pictures=first_layer_pictures(model, limit=32),
        layer_code=tuple(layer_lines(model)),
    )


def keras_bytes(model) -> bytes:
    """A Keras model as the bytes of its .keras file (Keras writes only to a path)."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        model.save(path)
        with open(path, "rb") as file:
            return file.read()


# --- From scratch: NumPy only --------------------------------------------------------------


def scratch_training_task(config, dataset: str, run_key: str | None = None, channel=None):
    """core.scratch.train on the data set's pictures; None when it diverged (the page says why)."""
    from threadpoolctl import threadpool_limits

    from core.data import load_dataset
    from core.scratch import TrainingDiverged, train

    (x_train, y_train), (x_test, y_test), _ = load_dataset(dataset)
    with TaskContext(channel_for(run_key, channel)) as context:
        context.report(
            iteration=0,
            iterations=config.iterations,
            epochs=config.iterations / config.iterations_per_epoch(len(x_train)),
        )

        def on_iteration(iteration: int, loss: float) -> None:
            context.append("loss", loss)
            context.report(iteration=iteration + 1)

        # 100x784 by 784x50 products gain nothing from a second BLAS thread, whose spinning
        # made a 300-iteration run 3 to 10 times slower on a busy server (bench_scratch)
        with threadpool_limits(limits=1, user_api="blas"):
            try:
                return train(
                    config,
                    x_train,
                    y_train,
                    x_test,
                    y_test,
                    on_epoch=lambda record: context.append("epochs", dataclasses.asdict(record)),
                    on_iteration=on_iteration,
                    should_stop=lambda: context.stop_requested,
                )
            except TrainingDiverged as error:  # a lesson, not a crash
                context.publish(diverged=str(error))
                return None


def gradient_check_task(
    dataset: str,
    hidden_size: int,
    examples: int,
    activation: str,
    limits: dict[str, Any],
    run_key: str | None = None,
    channel=None,
):
    """Numerical against backprop gradient of a fresh net on the first training pictures.

    Reports the parameters nudged so far; a Stop ends it between two parameters (the
    result is then None). `limits` are core.scratch's caps on its cost.
    """
    from threadpoolctl import threadpool_limits

    from core.data import load_dataset
    from core.scratch import CheckStopped, TwoLayerNet, flatten_images, gradient_check

    (x_train, y_train), _, info = load_dataset(dataset)
    net = TwoLayerNet(
        x_train[0].size, hidden_size, len(info.class_names), activation=activation, seed=0
    )
    x, t = flatten_images(x_train[:examples]), y_train[:examples]
    with TaskContext(channel_for(run_key, channel)) as context:
        total = net.parameter_count

        def tick(done: int) -> None:
            context.report(nudged=done, parameters=total)
            if context.stop_requested:
                raise CheckStopped(f"stopped after nudging {done:,} of {total:,} parameters")

        with threadpool_limits(limits=1, user_api="blas"):  # thousands of tiny products
            try:
                return gradient_check(net, x, t, tick=tick, **limits)
            except CheckStopped as stopped:
                context.publish(stopped_early=str(stopped))
                return None


# --- a model someone uploaded ----------------------------------------------------------------

UPLOAD_SAMPLE = 2_000  # test images an upload is scored on: a fair number, bounded work
UPLOAD_BATCH = 250  # images per forward pass while scoring: memory stays flat, Stop is quick


@dataclasses.dataclass(frozen=True)
class UploadCheck:
    """What the page needs to know of an uploaded model before it loads it itself."""

    parameters: int
    multiply_adds: int  # of one 28x28 image
    input_shape: tuple[int, ...]
    gives_probabilities: bool
    accuracies: dict[str, float | None]  # per data set, on its first `sample` test images
    sample: int  # test images scored per data set (None accuracies: stopped before the end)


def upload_check_task(
    model_bytes: bytes,
    datasets: tuple[str, ...] = ("mnist",),
    sample: int = UPLOAD_SAMPLE,
    run_key: str | None = None,
    channel=None,
):
    """Load an upload on a worker (never in the web server), refuse it past the bounds, and
    score it on a bounded sample of each data set's test split in small, stoppable batches
    (the student says later whether its classes are digits or clothes)."""
    import numpy as np

    from core.data import DatasetError, load_dataset
    from core.metrics import accuracy, predicted_classes
    from core.model_check import (
        check_same_answers,
        class_probabilities,
        load_model_bytes,
        multiply_adds,
        plain_checked_model,
        scaled,
    )

    with TaskContext(channel_for(run_key, channel)) as context:
        checked = load_model_bytes(model_bytes)  # raises ModelCheckError with the reason
        # The web server runs the model in NumPy (core.plain_model): it must answer as Keras.
        check_same_answers(checked, plain_checked_model(model_bytes))
        accuracies, total, per_set = {}, 0, sample
        for dataset in datasets:
            try:
                _, (x_test, y_test), _ = load_dataset(dataset)
            except DatasetError:
                accuracies[dataset] = None
                continue
            count, predicted = min(sample, len(x_test)), []
            per_set = min(per_set, count)
            for start in range(0, count, UPLOAD_BATCH):
                if context.stop_requested:
                    break
                images = scaled(x_test[start : min(start + UPLOAD_BATCH, count)])
                predicted.append(predicted_classes(class_probabilities(checked, images)))
                total += len(images)
                context.report(scored=total, images=count * len(datasets))
            scored = sum(len(batch) for batch in predicted)
            accuracies[dataset] = (
                accuracy(np.concatenate(predicted), y_test[:scored])
                if scored == count > 0
                else None
            )
        return UploadCheck(
            int(checked.parameters),
            multiply_adds(checked.model),
            tuple(checked.input_shape),
            checked.gives_probabilities,
            accuracies,
            per_set,
        )
