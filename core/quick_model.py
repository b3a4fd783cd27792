"""The "quick model": the Prediction page's shared CNN, the `quick_model` preset trained once.

In a notebook it is an ordinary run of the training path:

    from core.presets import PRESETS, QUICK_MODEL
    from core.training import train
    quick = train(PRESETS[QUICK_MODEL].config)   # seconds on two CPU cores
    quick.test_accuracy                          # about 0.98 on MNIST's 10 000 test images

In the dashboard every session asks `quick_model_job()` for the one server-wide
background job; the first caller starts it, the rest watch the same progress.
"""

from __future__ import annotations

import threading

from core.jobs import DONE, FAILED, STOPPED, Job
from core.presets import PRESETS, QUICK_MODEL
from core.training import RunResult, TrainConfig, train

QUICK_CONFIG: TrainConfig = PRESETS[QUICK_MODEL].config

_job: Job | None = None
_job_lock = threading.Lock()


def quick_model_job() -> Job:
    """The server's one quick-model job: started by the first caller, shared by everyone.

    A job that failed or was stopped is replaced by a fresh one on the next call,
    so a student can retry; a running or finished one is returned as it is.
    """
    global _job
    with _job_lock:
        if _job is None or _job.state in (FAILED, STOPPED):
            _job = Job(lambda context: train(QUICK_CONFIG, context), name="quick-model").start()
        return _job


def existing_quick_model_job() -> Job | None:
    """The job if someone has started it in this process, without starting one."""
    with _job_lock:
        return _job


def trained_quick_model() -> RunResult | None:
    """The quick model's run once it has finished training in this process, else None."""
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
