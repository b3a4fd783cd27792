"""The ledger: one row per run of the session, and its CSV download."""

from __future__ import annotations

import csv
import io
from typing import Any

from core.data import spec_for
from core.models import OPTIMIZER_TITLES, describe_model
from core.training import TrainConfig

FAILED = "failed"
COLUMNS = (
    "run",
    "data set",
    "model",
    "parameters",
    "optimizer",
    "learning rate",
    "schedule",
    "batch size",
    "epochs",
    "seed",
    "s/epoch",
    "train acc",
    "val acc",
    "test acc",
    "status",
)


def _rounded(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)


def ledger_row(
    run: int,
    config: TrainConfig,
    result=None,
    error: str | None = None,
    status: str | None = None,
) -> dict[str, Any]:
    """A run's line: its settings, and the numbers of `result` (a RunResult) if it got one.

    Without a result the status is `status` (e.g. "stopped" before training began),
    else "failed", followed by `error` when given.
    """
    row = {
        "run": run,
        "data set": spec_for(config.dataset).title,
        "model": describe_model(config.model),
        "parameters": result.parameter_count if result is not None else None,
        "optimizer": OPTIMIZER_TITLES.get(config.optimizer, config.optimizer),
        "learning rate": config.learning_rate,
        "schedule": config.schedule,
        "batch size": config.batch_size,
        "epochs": config.epochs,
        "seed": config.seed,
        "s/epoch": _rounded(result.seconds_per_epoch, 2) if result is not None else None,
        "train acc": _rounded(result.train_accuracy) if result is not None else None,
        "val acc": _rounded(result.val_accuracy) if result is not None else None,
        "test acc": _rounded(result.test_accuracy) if result is not None else None,
        "status": result.status if result is not None else (status or FAILED),
    }
    if error is not None:
        row["status"] = f"{FAILED}: {error}"
    return row


def ledger_csv(rows: list[dict[str, Any]]) -> str:
    """The ledger as CSV text, header first; empty cells for numbers a run never got."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {column: "" if row.get(column) is None else row[column] for column in COLUMNS}
        )
    return buffer.getvalue()
