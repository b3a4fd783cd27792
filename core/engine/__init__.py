"""The training engine: long work runs as tasks on Dask distributed, never in the web server.

    from core.engine import submit, training_task
    job = submit(training_task, config, kind="studio")   # returns at once
    job.snapshot()          # state, queue position, progress, curves, result or error
    job.request_stop()      # the task ends within one batch and keeps what it trained

By default the first `submit` starts one LocalCluster of worker processes for this
server (`DASHBOARD_WORKERS` of them); `DASHBOARD_SCHEDULER=tcp://host:8786` uses an
existing Dask scheduler instead, whose workers may be on other machines. Progress
travels as a Dask `Variable` per run (the latest state, bounded), Stop as a Dask `Event`,
and the scheduler's own queue decides which run starts next. Task functions are plain
functions of `core` (`core.engine.tasks`): they run in a notebook or a test without a
cluster, given a `LocalChannel`.
"""

from core.engine.cluster import EngineUnavailable, engine_client, is_up, shutdown, warm_up
from core.engine.jobs import (
    DONE,
    FAILED,
    FINISHED,
    LOST_WORKER,
    QUEUED,
    RUNNING,
    STOPPED,
    JobSnapshot,
    RemoteJob,
    runs_of,
    submit,
)
from core.engine.tasks import (
    gradient_check_task,
    scratch_training_task,
    training_task,
    upload_check_task,
)

__all__ = [
    "DONE",
    "FAILED",
    "FINISHED",
    "LOST_WORKER",
    "QUEUED",
    "RUNNING",
    "STOPPED",
    "EngineUnavailable",
    "JobSnapshot",
    "RemoteJob",
    "engine_client",
    "gradient_check_task",
    "is_up",
    "runs_of",
    "scratch_training_task",
    "shutdown",
    "submit",
    "training_task",
    "upload_check_task",
    "warm_up",
]
