"""The From-scratch page's training job: core.scratch.train in a core.jobs.Job.

The work function runs in a background thread and only talks to its JobContext,
never to st.*; the page reads job.snapshot() from a polling fragment.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict

from threadpoolctl import threadpool_limits

from core.jobs import Job, JobContext
from core.scratch import (
    EpochRecord,
    TrainConfig,
    TrainingDiverged,
    TrainResult,
    epoch_table_line,
    train,
)
from dashboard.job_watchdog import watch_session

_blas_lock = threading.Lock()
_blas_users = 0
_blas_limiter = None


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """One BLAS thread while any training job runs.

    A 100x784 by 784x50 product is too small to gain from OpenBLAS' second thread, and on a
    busy server its spinning threads made a 300-iteration run 3 to 10 times slower
    (bench_scratch measures it). The limit is process-wide, so it is counted: the last
    job to finish restores the original setting.
    """
    global _blas_users, _blas_limiter
    with _blas_lock:
        if _blas_users == 0:
            _blas_limiter = threadpool_limits(limits=1, user_api="blas")
        _blas_users += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_users -= 1
            if _blas_users == 0:
                _blas_limiter.restore_original_limits()
                _blas_limiter = None


def training_work(config: TrainConfig, train_split, test_split):
    """A Job function that trains and reports each epoch row and each batch loss."""
    (x_train, y_train), (x_test, y_test) = train_split, test_split

    def work(context: JobContext) -> TrainResult | None:
        context.report(
            iteration=0,
            iterations=config.iterations,
            epochs=config.iterations / config.iterations_per_epoch(len(x_train)),
        )

        def on_iteration(iteration: int, loss: float) -> None:
            context.append("loss", loss)
            context.report(iteration=iteration + 1)

        try:
            with single_threaded_blas():
                return train(
                    config,
                    x_train,
                    y_train,
                    x_test,
                    y_test,
                    on_epoch=lambda record: context.append("epochs", asdict(record)),
                    on_iteration=on_iteration,
                    should_stop=lambda: context.stop_requested,
                )
        except TrainingDiverged as error:  # a lesson, not a crash: the page shows the message
            context.report(diverged=str(error))
            return None

    return work


def start_training(config: TrainConfig, train_split, test_split, name: str) -> Job:
    job = Job(training_work(config, train_split, test_split), name=name).start()
    watch_session(job)  # a closed tab must not keep a trainer busy
    return job


def tutorial_table(epochs: list[dict]) -> str:
    """The tutorial's printout, one line per evaluation."""
    return "\n".join(epoch_table_line(EpochRecord(**record)) for record in epochs)
