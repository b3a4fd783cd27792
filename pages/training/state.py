"""The Training studio's session state: its one job, its runs, and their hand-over.

Everything lives in st.session_state, so a click, a rerun or a visit to
another page never loses a run. The job's thread never touches this module:
the page collects a finished job on its next run (or the live fragment's next tick).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from core.codegen import script_for
from core.data import spec_for
from core.jobs import STOPPED, Job
from core.ledger import ledger_row
from core.models import describe_model
from core.training import DIVERGED, RunResult, TrainConfig, train
from dashboard.job_watchdog import watch_session
from dashboard.session_models import (
    MAX_SESSION_MODELS,
    SessionModel,
    add_session_model,
    find_session_model,
)
from dashboard.tensorflow_runtime import freeze_tensorflow_objects

JOB_KEY = "train_job"
RUNS_KEY = "train_runs"
NOTICES_KEY = "train_notices"


@dataclass
class Run:
    number: int  # 1, 2, ... within the session
    config: TrainConfig
    preset: str | None  # core.presets key it came from
    row: dict[str, Any]  # its ledger line
    series: dict[str, list] = field(default_factory=dict)  # its curves
    result: RunResult | None = None  # None when it failed or was stopped before training
    error: str | None = None  # why it failed
    script: str | None = None  # "show code", written once from its own model

    @property
    def label(self) -> str:
        return (
            f"run {self.number} · {describe_model(self.config.model)} on "
            f"{spec_for(self.config.dataset).title}"
        )

    @property
    def model(self):
        """The trained model while the session still keeps it (the oldest are dropped)."""
        found = find_session_model(self.label)
        return found.model if found is not None else None


@dataclass
class PendingRun:
    job: Job
    number: int
    config: TrainConfig
    preset: str | None
    collected: bool = False


def runs() -> list[Run]:
    return st.session_state.setdefault(RUNS_KEY, [])


def pending() -> PendingRun | None:
    return st.session_state.get(JOB_KEY)


def is_training() -> bool:
    current = pending()
    return current is not None and not current.job.finished


def notices() -> list[str]:
    return st.session_state.setdefault(NOTICES_KEY, [])


def _work(config: TrainConfig):
    def work(context):
        context.report(phase="importing TensorFlow (slow only the first time)")
        # full garbage collections over TensorFlow's objects would otherwise starve training
        freeze_tensorflow_objects(import_now=True)
        return train(config, context)

    return work


def start_run(config: TrainConfig, preset: str | None) -> PendingRun:
    """Start training in a background job, after collecting the last one if it has ended.

    A job can end between the page's first look and the Train click: collecting it
    here keeps its ledger line, its model and its number. Raises RuntimeError while
    a run is still training (the page checks `is_training()` first and says so).
    """
    collect_finished()
    if is_training():
        raise RuntimeError("a run is already training in this session")
    number = len(runs()) + 1
    job = Job(_work(config), name=f"train-{number}").start()
    watch_session(job)  # a closed tab must not keep a trainer busy
    current = PendingRun(job, number, config, preset)
    st.session_state[JOB_KEY] = current
    return current


def collect_finished() -> Run | None:
    """Move a finished job into the ledger and its model into the session's models, once."""
    current = pending()
    if current is None or current.collected or not current.job.finished:
        return None
    current.collected = True
    snapshot = current.job.snapshot()
    result: RunResult | None = snapshot.result
    if result is None:
        run = _untrained_run(current, snapshot)
    else:
        run = Run(
            current.number,
            current.config,
            current.preset,
            ledger_row(current.number, current.config, result),
            snapshot.series,
            result,
        )
        run.script = script_for(
            current.config,
            title=f"Reproduces {run.label} of the Training studio",
            model=result.model,
        )
        if result.status != DIVERGED:
            _keep_model(run, result)
        result.model = None  # the session-model list owns it, so dropping it frees memory
    runs().append(run)
    return run


def _untrained_run(current: PendingRun, snapshot) -> Run:
    """A job that ended without a result: stopped while queued, or failed."""
    if snapshot.state == STOPPED:
        row = ledger_row(current.number, current.config, status=STOPPED)
        return Run(current.number, current.config, current.preset, row, snapshot.series)
    error = snapshot.error or "ended without a result"
    row = ledger_row(current.number, current.config, error=error)
    return Run(current.number, current.config, current.preset, row, snapshot.series, None, error)


def _keep_model(run: Run, result: RunResult) -> None:
    dropped = add_session_model(
        SessionModel(
            run.label, result.model, run.config.dataset, result.class_names, result.test_accuracy
        )
    )
    if dropped is not None:
        notices().append(
            f"The session keeps its {MAX_SESSION_MODELS} newest models: {dropped.label} was "
            "dropped to make room (its ledger line and curves stay)."
        )
