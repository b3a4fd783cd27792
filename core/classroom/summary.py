"""What the board shows, computed from its entries: the leaderboard, the tutorial's number,
a class experiment's progress, and the CSV export. Plain functions, no database."""

from __future__ import annotations

import csv
import io
import time
from collections import Counter
from dataclasses import dataclass

from core.classroom.records import BoardEntry, SweepInfo
from core.classroom.sweeps import VARIABLES
from core.presets import PRESETS

COLUMNS = (  # the accuracy next to the name: what a projector must show without scrolling
    "rank", "student", "test accuracy", "model", "data set", "optimizer", "learning rate",
    "batch size", "epochs", "seconds",
)  # fmt: skip
SPREADSHEET_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a cell starting so is run by spreadsheets


def ranked(entries: list[BoardEntry]) -> list[BoardEntry]:
    """Best test accuracy first (the earlier run first on a tie)."""
    return sorted(entries, key=lambda entry: (-entry.test_accuracy, entry.created_at, entry.id))


def leaderboard_rows(entries: list[BoardEntry]) -> list[dict]:
    return [
        {
            "rank": rank,
            "student": entry.student,
            "data set": entry.dataset_title,
            "model": entry.model,
            "optimizer": entry.optimizer,
            "learning rate": entry.learning_rate,
            "batch size": entry.batch_size,
            "epochs": entry.epochs,
            "test accuracy": round(entry.test_accuracy, 4),
            "seconds": round(entry.seconds, 1),
        }
        for rank, entry in enumerate(ranked(entries), start=1)
    ]


@dataclass(frozen=True)
class Reference:
    value: float
    text: str  # e.g. "tutorial: softmax on MNIST 0.91"


def tutorial_reference(entries: list[BoardEntry]) -> Reference | None:
    """The tutorial's number for the data set and model most of the board trained."""
    if not entries:
        return None
    (dataset, family), _ = Counter(
        (entry.dataset, "cnn" if entry.family.startswith("cnn") else entry.family)
        for entry in entries
    ).most_common(1)[0]
    for preset in PRESETS.values():
        config = preset.config
        family_matches = (
            "cnn" if config.model.family.startswith("cnn") else config.model.family
        ) == family
        if preset.tutorial_accuracy is not None and config.dataset == dataset and family_matches:
            return Reference(
                preset.tutorial_accuracy,
                f"tutorial {preset.tutorial_accuracy:.3f}: {preset.source}",
            )
    return None


@dataclass(frozen=True)
class SweepProgress:
    title: str  # "learning rate"
    points: tuple[tuple, ...]  # (value, test accuracy, student) of the runs that answer it
    waiting: tuple  # values handed out with no result yet
    log_axis: bool


def sweep_progress(sweep: SweepInfo, entries: list[BoardEntry]) -> SweepProgress:
    variable = VARIABLES[sweep.variable]
    field = {"learning_rate": "learning_rate", "batch_size": "batch_size", "model": "family"}[
        sweep.variable
    ]
    answers = [entry for entry in entries if entry.sweep_id == sweep.id]
    points = tuple((getattr(entry, field), entry.test_accuracy, entry.student) for entry in answers)
    handed = {sweep.values[position % len(sweep.values)] for position in range(sweep.assigned)}
    reported = {value for value, _, _ in points}
    order = list(variable.values)
    waiting = tuple(sorted(handed - reported, key=order.index))
    return SweepProgress(variable.title, points, waiting, variable.log_axis)


def best_per_value(points: list[tuple], order: tuple) -> tuple[list, list]:
    """The sweep's curve: for each value tried, the best accuracy, in the variable's order."""
    best: dict = {}
    for value, accuracy, _ in points:
        best[value] = max(accuracy, best.get(value, 0.0))
    values = [value for value in order if value in best]
    return values, [best[value] for value in values]


def safe_cell(value) -> object:
    """Text a spreadsheet shows as text (a name like '=HYPERLINK(...)' is not run)."""
    if isinstance(value, str) and value.startswith(SPREADSHEET_FORMULA):
        return "'" + value
    return value


def board_csv(entries: list[BoardEntry]) -> str:
    buffer = io.StringIO()
    columns = [*COLUMNS, "sent at (UTC)", "class experiment"]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row, entry in zip(leaderboard_rows(entries), ranked(entries)):
        row = {key: safe_cell(value) for key, value in row.items()}
        row["sent at (UTC)"] = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(entry.created_at))
        row["class experiment"] = entry.sweep_id or ""
        writer.writerow(row)
    return buffer.getvalue()


def drawings_npz(images, labels, students: list[str]) -> bytes:
    """Like keras' mnist.npz: np.load(f)["x_test"], ["y_test"], and who drew each."""
    import numpy as np

    buffer = io.BytesIO()
    np.savez_compressed(buffer, x_test=images, y_test=labels, student=np.array(students, dtype=str))
    return buffer.getvalue()
