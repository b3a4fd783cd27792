"""The From-scratch page's long work on the training engine: training and the gradient check.

Both are NumPy tasks of core.engine.tasks: the worker loads the data set by name, the page
polls the run's snapshot from a fragment and can stop it.
"""

from __future__ import annotations

from core.engine import RemoteJob, gradient_check_task, scratch_training_task, submit
from core.scratch import (
    MAX_CHECK_PARAMETERS,
    MAX_CHECK_PICTURE_PASSES,
    EpochRecord,
    TrainConfig,
    epoch_table_line,
)
from dashboard.job_watchdog import watch_session

CHECK_LIMITS = {
    "max_parameters": MAX_CHECK_PARAMETERS,
    "max_picture_passes": MAX_CHECK_PICTURE_PASSES,
}


def start_training(config: TrainConfig, dataset: str, owner: str) -> RemoteJob:
    """Queue a training run; raises core.engine.EngineUnavailable when the engine is down."""
    job = submit(scratch_training_task, config, dataset, kind="scratch-train", owner=owner)
    watch_session(job)  # a closed tab must not keep a worker busy
    return job


def start_check(dataset: str, hidden_size: int, examples: int, activation: str) -> RemoteJob:
    """Queue a gradient check; raises core.engine.EngineUnavailable when the engine is down."""
    job = submit(
        gradient_check_task, dataset, hidden_size, examples, activation, CHECK_LIMITS,
        kind="gradient-check",
    )  # fmt: skip
    watch_session(job)
    return job


def tutorial_table(epochs: list[dict]) -> str:
    """The tutorial's printout, one line per evaluation."""
    return "\n".join(epoch_table_line(EpochRecord(**record)) for record in epochs)
