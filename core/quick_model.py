"""The "quick model": the Prediction page's shared CNN, the `quick_model` preset trained once.

In a notebook it is an ordinary run of the training path:

    from core.presets import PRESETS, QUICK_MODEL
    from core.training import train
    quick = train(PRESETS[QUICK_MODEL].config)   # seconds on two CPU cores
    quick.test_accuracy                          # about 0.98 on MNIST's 10 000 test images

On the server it is one run of the training engine under a fixed key: the first
session that asks starts it, every other session (in any server process) joins the
same run and its progress, and it jumps the queue of studio runs.
"""

from __future__ import annotations

import threading

from dask.base import tokenize

from core.engine import FAILED, STOPPED, RemoteJob, submit, training_task
from core.presets import PRESETS, QUICK_MODEL
from core.training import RunResult, TrainConfig

QUICK_CONFIG: TrainConfig = PRESETS[QUICK_MODEL].config
QUICK_KEY = f"quick-model-{tokenize(QUICK_CONFIG)}"  # one per recipe, shared by every process
QUICK_PRIORITY = 10  # starts before studio runs that are already waiting

_job: RemoteJob | None = None
_job_lock = threading.Lock()


def quick_model_job() -> RemoteJob:
    """The server's quick-model run: started by the first caller, shared by everyone.

    A run that failed or was stopped is replaced by a fresh one on the next call, so a
    student can retry; a running or finished one is returned as it is. Raises
    core.engine.EngineUnavailable when the engine cannot be reached.
    """
    global _job
    with _job_lock:
        if _job is not None and _job.state in (FAILED, STOPPED):
            _job.release()
            _job = None
        if _job is None:
            _job = submit(
                training_task, QUICK_CONFIG, kind="quick-model", key=QUICK_KEY,
                priority=QUICK_PRIORITY,
            )  # fmt: skip
        return _job


def existing_quick_model_job() -> RemoteJob | None:
    """The run if this process has asked for it, without starting one."""
    with _job_lock:
        return _job


def trained_quick_model() -> RunResult | None:
    """The quick model's finished run (its model as .keras bytes), else None."""
    job = existing_quick_model_job()
    if job is None or not job.finished:
        return None
    snapshot = job.snapshot()
    return snapshot.result if snapshot.state not in (FAILED, STOPPED) else None


def forget_quick_model() -> None:
    """As if the server had just started: stop the run and forget the model (tests)."""
    global _job
    with _job_lock:
        if _job is not None:
            _job.request_stop()
            _job.release()
        _job = None
