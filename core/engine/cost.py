"""What a studio run will cost a worker, before it starts, and whether the server allows it.

A run costs CPU for every image it pushes through its model (forward and backward:
about three times one forward pass, counted in multiply-adds) and a fixed overhead for
every gradient step (Keras' bookkeeping, the progress callback). Both constants come from
this project's 2-core machine (bench/bench_training.py prints CPU seconds per preset): the
tutorial CNN's 17 epochs (42 million million multiply-adds) took 546 s, a softmax
regression's 1 000 steps of 50 images 1.9 s. Small convolutions run less efficiently than
the tutorial's (the 16-filter CNN costs about twice its estimate): the estimate errs short
for small runs, which only matters to runs far inside the limit.

The server owner sets how long one run may take (DASHBOARD_RUN_LIMIT_MINUTES); a run
estimated past it is refused before it starts, with a sentence that says what fits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from core.engine.settings import DEFAULT_LIMIT_MINUTES, limit_setting  # noqa: F401 - pages read them here
from core.models import multiply_adds
from core.training import TrainConfig, steps_per_epoch, training_images

SECONDS_PER_MULTIPLY_ADD = 3e-11  # CPU seconds, measured on the tutorial CNN
SECONDS_PER_STEP = 2e-3  # CPU seconds of overhead per gradient step, measured on softmax
TRAINING_FACTOR = 3  # a training step: the forward pass, then about twice that backwards
CORES_PER_RUN = 2  # TensorFlow spreads one run over the cores of a small machine
EVALUATION_IMAGES = 20_000  # test and train accuracy at the end


@dataclass(frozen=True)
class RunCost:
    seconds: float  # estimated wall time on a worker of its own
    steps: int  # gradient steps in all
    images: int  # images pushed through the model in all

    def text(self) -> str:
        return duration_text(self.seconds)


def estimate(config: TrainConfig) -> RunCost:
    """The run's estimated seconds on a worker of its own (no Keras needed to know it)."""
    per_image = multiply_adds(config.model)
    steps = steps_per_epoch(config) * config.epochs
    images = training_images(config) * config.epochs
    cpu = (
        steps * SECONDS_PER_STEP
        + images * per_image * TRAINING_FACTOR * SECONDS_PER_MULTIPLY_ADD
        + EVALUATION_IMAGES * per_image * SECONDS_PER_MULTIPLY_ADD
    )
    return RunCost(cpu / CORES_PER_RUN, steps, images)


def refusal(config: TrainConfig, limit_minutes: int) -> str | None:
    """One sentence when the run would take longer than the limit, saying what fits; else None."""
    cost = estimate(config)
    if cost.seconds <= limit_minutes * 60:
        return None
    fits = []
    epochs = math.floor(config.epochs * limit_minutes * 60 / cost.seconds)
    if 1 <= epochs < config.epochs:
        fits.append(f"at most {epochs} epoch{'s' if epochs > 1 else ''}")
    batch = next(
        (
            size
            for size in (16, 32, 64, 128, 256, 512, 1024)
            if size > config.batch_size
            and estimate(replace(config, batch_size=size)).seconds <= limit_minutes * 60
        ),
        None,
    )
    if batch is not None:
        fits.append(f"a batch size of {batch}")
    advice = (
        f": {' or '.join(fits)} would fit"
        if fits
        else ": fewer images or a smaller model would fit"
    )
    return (
        f"This run would take about {cost.text()} ({cost.steps:,} steps over "
        f"{cost.images:,} images); runs on this server are limited to "
        f"{minutes_text(limit_minutes)}{advice}."
    )


def minutes_text(minutes: int) -> str:
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


def duration_text(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    minutes = seconds / 60
    if minutes < 90:
        return f"{minutes:.0f} min"
    return f"{int(minutes // 60)} h {int(minutes % 60):02d} min"


def scratch_estimate(config, train_size: int, test_size: int) -> RunCost:
    """A From-scratch NumPy run (one BLAS thread): its batches, and the tutorial's accuracy
    on both whole sets once per epoch."""
    per_image = 784 * config.hidden_size + config.hidden_size * 10
    evaluations = config.iterations // max(1, config.iterations_per_epoch(train_size)) + 1
    images = config.iterations * config.batch_size
    cpu = (
        config.iterations * SECONDS_PER_STEP
        + images * per_image * TRAINING_FACTOR * SECONDS_PER_MULTIPLY_ADD
        + evaluations * (train_size + test_size) * per_image * SECONDS_PER_MULTIPLY_ADD
    )
    return RunCost(cpu, config.iterations, images)


def scratch_refusal(config, train_size: int, test_size: int, limit_minutes: int) -> str | None:
    """One sentence when a From-scratch run would take longer than the limit; else None."""
    cost = scratch_estimate(config, train_size, test_size)
    if cost.seconds <= limit_minutes * 60:
        return None
    fits = math.floor(config.iterations * limit_minutes * 60 / cost.seconds)
    advice = f": at most {fits:,} iterations would fit" if fits >= 1 else ""
    return (
        f"This run would take about {cost.text()} ({cost.images:,} pictures through a "
        f"784-{config.hidden_size}-10 net); runs on this server are limited to "
        f"{minutes_text(limit_minutes)}{advice}."
    )
