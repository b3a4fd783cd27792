"""The From-scratch page's training job: core.scratch.train in a core.jobs.Job.

The work function runs in a background thread and only talks to its JobContext,
never to st.*; the page reads job.snapshot() from a polling fragment.
"""

from __future__ import annotations

from dataclasses import asdict

from core.jobs import Job, JobContext
from core.scratch import (
    EpochRecord,
    TrainConfig,
    TrainingDiverged,
    TrainResult,
    epoch_table_line,
    train,
)


def training_work(config: TrainConfig, train_split, test_split):
    """A Job function that trains and reports each epoch row and each batch loss."""
    (x_train, y_train), (x_test, y_test) = train_split, test_split

    def work(context: JobContext) -> TrainResult | None:
        context.report(iteration=0, iterations=config.iterations)

        def on_iteration(iteration: int, loss: float) -> None:
            context.append("loss", loss)
            context.report(iteration=iteration + 1)

        try:
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
    return Job(training_work(config, train_split, test_split), name=name).start()


def tutorial_table(epochs: list[dict]) -> str:
    """The tutorial's printout, one line per evaluation."""
    return "\n".join(epoch_table_line(EpochRecord(**record)) for record in epochs)
