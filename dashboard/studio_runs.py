"""The Training studio's session state: its one run on the engine, its runs, their hand-over.

Everything lives in st.session_state, so a click, a rerun or a visit to another page
never loses a run. The run itself trains on a worker of the training engine
(core.engine); the page collects a finished run on its next run (or the live
fragment's next tick): its numbers, curves, weight pictures and model bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from core.codegen import script_for
from core.data import spec_for
from core.engine import STOPPED, RemoteJob, submit, training_task
from core.engine.cost import estimate
from core.ledger import ledger_row
from core.models import describe_model
from core.training import DIVERGED, RunResult, TrainConfig
from dashboard.browser import browser_id
from dashboard.job_watchdog import watch_session
from dashboard.session_models import (
    MAX_SESSION_MODELS,
    SessionModel,
    add_session_model,
    find_session_model,
)

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
    def model_bytes(self) -> bytes | None:
        """The trained model's .keras file while the session keeps it (the oldest are dropped)."""
        found = find_session_model(self.label)
        return found.model_bytes if found is not None else None


@dataclass
class PendingRun:
    job: RemoteJob
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


def start_run(config: TrainConfig, preset: str | None) -> PendingRun:
    """Queue the run on the training engine, after collecting the last one if it has ended.

    A run can end between the page's first look and the Train click: collecting it
    here keeps its ledger line, its model and its number. Raises RuntimeError while
    a run is still training (the page checks `is_training()` first and says so), and
    core.engine.EngineUnavailable when the engine cannot be reached.
    """
    collect_finished()
    if is_training():
        raise RuntimeError("a run is already training in this session")
    number = len(runs()) + 1
    job = submit(
        training_task, config, kind="studio", owner=browser_id(),
        estimate=estimate(config).seconds,
    )  # fmt: skip
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
            layers=result.layer_code,
        )
        if result.status != DIVERGED:
            _keep_model(run, result)
        result.model_bytes = None  # the session-model list owns it: dropping it frees memory
    runs().append(run)
    current.job.release()  # the cluster forgets it: everything is in this session now
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
            run.label,
            result.model_bytes,
            run.config.dataset,
            result.class_names,
            result.test_accuracy,
        )
    )
    if dropped is not None:
        notices().append(
            f"The session keeps its {MAX_SESSION_MODELS} newest models: {dropped.label} was "
            "dropped to make room (its ledger line and curves stay)."
        )


ONE_RUN_PER_BROWSER = (
    "A run from this browser is already training or waiting, in another tab: stop it there "
    "or wait for it to end. One run per browser keeps the queue fair for the whole class."
)


def refusal(config: TrainConfig) -> str | None:
    """Why the engine will not take this run now, in one sentence; None when it can start.

    The server's limit on one run's time (DASHBOARD_RUN_LIMIT_MINUTES), and one running
    or waiting run per browser (core.engine counts them in every server process).
    """
    from core.engine import runs_of
    from core.engine.cost import limit_setting
    from core.engine.cost import refusal as over_the_limit

    too_long = over_the_limit(config, limit_setting()[0])
    if too_long is not None:
        return too_long
    return ONE_RUN_PER_BROWSER if runs_of(browser_id()) else None
