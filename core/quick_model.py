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

import os
import pickle
import threading
from pathlib import Path

from dask.base import tokenize

from core.classroom.database import state_dir
from core.engine import FAILED, STOPPED, RemoteJob, submit, training_task
from core.presets import PRESETS, QUICK_MODEL
from core.training import RunResult, TrainConfig

QUICK_CONFIG: TrainConfig = PRESETS[QUICK_MODEL].config
QUICK_KEY = f"quick-model-{tokenize(QUICK_CONFIG)}"  # one per recipe, shared by every process
QUICK_PRIORITY = 10  # starts before studio runs that are already waiting

_job: RemoteJob | None = None
_saved: RunResult | None = None  # the finished run, from this process's job or the disk
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
    """The quick model's finished run (its model as .keras bytes), else None.

    Once trained it is kept in the state folder, shared by every server process on the
    machine and by the next start: a class never waits for it twice, however busy the
    trainers are (its reserved slot is the disk; its first run jumps the queue).
    """
    global _saved
    if _saved is not None:
        return _saved
    job = existing_quick_model_job()
    if job is not None and job.finished:
        snapshot = job.snapshot()
        if snapshot.state in (FAILED, STOPPED) or snapshot.result is None:
            return None
        _save(snapshot.result)
        _saved = snapshot.result
        return _saved
    _saved = _load()
    return _saved


def saved_path() -> Path:
    return state_dir() / "models" / f"{QUICK_KEY}.pickle"


def _save(result: RunResult) -> None:
    """Written whole to a temporary name, then renamed: another process never reads half."""
    path = saved_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        partial.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, path)
    except OSError:
        pass  # a read-only state folder: the model is kept in this process only


def _load() -> RunResult | None:
    # the server's own state folder: whoever can write there can change the code as well
    try:
        result = pickle.loads(saved_path().read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return result if isinstance(result, RunResult) and result.config == QUICK_CONFIG else None


def forget_quick_model() -> None:
    """As on a fresh machine: stop the run and forget the model, on disk too (tests)."""
    global _job, _saved
    with _job_lock:
        if _job is not None:
            _job.request_stop()
            _job.release()
        _job = None
        _saved = None
        saved_path().unlink(missing_ok=True)
