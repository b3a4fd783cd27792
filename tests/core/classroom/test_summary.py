"""What the board computes from its entries: ranking, the tutorial's number, an experiment's
progress, the CSV export."""

import csv
import io

import numpy as np

from core.classroom.records import BoardEntry, SweepInfo
from core.classroom.summary import (
    board_csv,
    drawings_npz,
    leaderboard_rows,
    sweep_progress,
    tutorial_reference,
)
from core.classroom.sweeps import values_in_hand_out_order


def entry(number, accuracy, student="Ann", family="softmax", dataset="mnist", sweep=None, rate=0.5):
    return BoardEntry(
        number, student, dataset, dataset.upper(), family, family, "SGD", rate, 50, 1, accuracy,
        2.0, sweep, 1_800_000_000.0 + number,
    )  # fmt: skip


def test_the_leaderboard_ranks_by_accuracy_then_who_was_first():
    rows = leaderboard_rows([entry(1, 0.8), entry(2, 0.9, "Bob"), entry(3, 0.9, "Cy")])
    assert [(row["rank"], row["student"]) for row in rows] == [(1, "Bob"), (2, "Cy"), (3, "Ann")]


def test_the_tutorial_number_follows_what_most_of_the_board_trained():
    assert tutorial_reference([]) is None
    assert tutorial_reference([entry(1, 0.9), entry(2, 0.9)]).value == 0.91
    cnns = [entry(n, 0.99, family="cnn_fast") for n in range(3)]
    assert tutorial_reference([entry(9, 0.9), *cnns]).value == 0.992
    assert tutorial_reference([entry(1, 0.8, dataset="fashion_mnist")]).value == 0.836


def test_an_experiment_lists_its_answers_and_the_values_still_waiting():
    values = values_in_hand_out_order("learning_rate")
    sweep = SweepInfo(7, "learning_rate", values, {}, True, 3)
    answers = [entry(1, 0.1, rate=1e-4, sweep=7), entry(2, 0.5, rate=0.5, sweep=None)]
    progress = sweep_progress(sweep, answers)
    assert progress.points == ((1e-4, 0.1, "Ann"),)
    assert progress.waiting == (0.02, 10.0)  # the other two handed out, in increasing order


def test_the_csv_keeps_every_run_and_defuses_spreadsheet_formulas():
    text = board_csv([entry(1, 0.8, "=HYPERLINK(1)"), entry(2, 0.9, "Bob")])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["student"] for row in rows] == ["Bob", "'=HYPERLINK(1)"]
    assert rows[0]["test accuracy"] == "0.9" and rows[0]["sent at (UTC)"].startswith("2027-")


def test_the_drawings_file_loads_like_keras_mnist():
    images = np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28)
    loaded = np.load(io.BytesIO(drawings_npz(images, np.array([3, 4]), ["Ann", "Bob"])))
    assert (loaded["x_test"] == images).all() and loaded["y_test"].tolist() == [3, 4]
    assert loaded["student"].tolist() == ["Ann", "Bob"]
