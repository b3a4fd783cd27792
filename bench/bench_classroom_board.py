"""Class board: how long a refresh takes with a full class, and how fast SQLite takes runs.

`python -m bench classroom_board` prints, on a fresh SQLite file (the default database)
holding one class of STUDENTS students and ENTRIES runs (with their curves):
- the board page's rerun through AppTest (what a refresh costs the server), p50 and p95,
  against a one-line page in the same process;
- one refresh's own work (store.board() and the figures) while all STUDENTS students
  refresh at once from threads, p95, against the same read alone;
- sends per second through the store (each a transaction with every limit checked),
  against plain sqlite3 inserts of the same row, one transaction each, in WAL mode too.
The load average is printed with each line. Writes only to a temporary folder.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STUDENTS = 30
ENTRIES = 300
REPEATS = int(os.environ.get("BENCH_REPEATS", "40"))
REFRESHES_PER_STUDENT = 10
INSERTS = 600
BASELINE_PAGE = 'import streamlit as st\nst.title("Baseline")\nst.write("one line of text")\n'


def load() -> str:
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


class SteppingClock:
    """Each call is ten seconds later: the send-rate limit never trips in a benchmark."""

    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        self.now += 10
        return self.now


def a_run(number: int):
    from core.classroom.records import RunReport

    points = 3 * 40
    curves = {
        "batch_epoch": [index / 40 for index in range(points)],
        "batch_accuracy": [0.5 + index / (2 * points) for index in range(points)],
        "epoch": [1, 2, 3],
        "epoch_val_accuracy": [0.85, 0.88, 0.9],
    }
    family = ("softmax", "mlp", "cnn_fast")[number % 3]
    return RunReport(
        "mnist", "MNIST", family, family, "SGD", [1e-3, 1e-2, 0.1, 0.5][number % 4],
        [32, 64, 128][number % 3], 3, 0.8 + (number % 19) / 100, 4.2,
        {"train_learning_rate": "0.5", "train_family": family}, curves,
    )  # fmt: skip


def filled_class(folder: str):
    """A class of STUDENTS students and ENTRIES runs; returns (store, class, teacher token)."""
    from core.classroom.store import ClassroomStore

    store = ClassroomStore(f"sqlite:///{folder}/classroom.sqlite", clock=SteppingClock())
    new = store.create_class("Benchmark class", session_key="bench")
    members = [
        store.join(new.classroom.code, f"Student {n}", session_key=f"s{n}") for n in range(STUDENTS)
    ]
    for number in range(ENTRIES):
        store.send_run(members[number % STUDENTS].member_id, a_run(number))
    return store, new


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed_reruns(app) -> list[float]:
    for _ in range(3):
        app.run()
    seconds = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        app.run()
        seconds.append(time.perf_counter() - start)
    if app.exception:
        raise RuntimeError(f"the page raised: {app.exception[0].value}")
    return seconds


def page_reruns(folder: str, token: str) -> tuple[list[float], list[float]]:
    from streamlit.testing.v1 import AppTest

    os.environ["DASHBOARD_STATE_DIR"] = folder
    os.environ.pop("DASHBOARD_DATABASE_URL", None)
    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60)
    app.run()
    app.switch_page(str(ROOT / "pages" / "class_board" / "page.py"))
    app.query_params["teacher"] = token
    app.run()
    app.session_state["class_projector_view"] = True  # the projector: the board alone
    board = timed_reruns(app)
    baseline = timed_reruns(AppTest.from_string(BASELINE_PAGE, default_timeout=60).run())
    return board, baseline


def one_refresh(store, class_id: int) -> None:
    """What a board refresh does besides Streamlit itself: read, rank, the figures (built once
    per board content, as on the page)."""
    from core.classroom.summary import leaderboard_rows, tutorial_reference
    from pages.class_board.figures import accuracy_figure

    board = store.board(class_id)
    reference = tutorial_reference(board.entries)
    leaderboard_rows(board.entries)
    for field in ("learning_rate", "batch_size"):
        accuracy_figure(tuple(board.entries), field, field, True, reference).to_dict()


def class_refreshing(store, class_id: int) -> tuple[list[float], list[float]]:
    """Each refresh's time with every student refreshing at once, and alone."""
    one_refresh(store, class_id)  # the figures of this board content, built once
    alone = []
    for _ in range(REFRESHES_PER_STUDENT * 3):
        start = time.perf_counter()
        one_refresh(store, class_id)
        alone.append(time.perf_counter() - start)
    together, lock = [], threading.Lock()

    def student() -> None:
        for _ in range(REFRESHES_PER_STUDENT):
            start = time.perf_counter()
            one_refresh(store, class_id)
            with lock:
                together.append(time.perf_counter() - start)

    threads = [threading.Thread(target=student) for _ in range(STUDENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return together, alone


def inserts_per_second(folder: str) -> tuple[float, float]:
    """Runs sent through the store per second, and plain sqlite3 inserts per second."""
    from core.classroom.store import ClassroomStore

    store = ClassroomStore(f"sqlite:///{folder}/inserts.sqlite", clock=SteppingClock())
    new = store.create_class("Inserts", session_key="bench")
    members = [
        store.join(new.classroom.code, f"S{n}", session_key=f"s{n}").member_id
        for n in range(STUDENTS)
    ]
    start = time.perf_counter()
    for number in range(INSERTS):
        store.send_run(members[number % STUDENTS], a_run(number))
    through_store = INSERTS / (time.perf_counter() - start)
    store.dispose()

    import json

    connection = sqlite3.connect(f"{folder}/plain.sqlite", isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(
        "CREATE TABLE runs (id INTEGER PRIMARY KEY, member INTEGER, accuracy REAL, curves TEXT)"
    )
    curves = json.dumps(a_run(0).curves)
    start = time.perf_counter()
    for number in range(INSERTS):
        connection.execute("BEGIN")
        connection.execute(
            "INSERT INTO runs (member, accuracy, curves) VALUES (?, ?, ?)",
            (number % STUDENTS, 0.9, curves),
        )
        connection.execute("COMMIT")
    plain = INSERTS / (time.perf_counter() - start)
    connection.close()
    return through_store, plain


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store, new = filled_class(folder)
        board, baseline = page_reruns(folder, new.teacher_token)
        p95, base95 = percentile(board, 0.95) * 1000, percentile(baseline, 0.95) * 1000
        print(
            f"classroom_board.page_refresh_p95: {p95:.0f} ms (p50 {statistics.median(board) * 1000:.0f} ms; "
            f"{p95 / base95:.1f}x a one-line page's p95 of {base95:.0f} ms; {STUDENTS} students, "
            f"{ENTRIES} runs, AppTest rerun of the board page, {REPEATS} reruns; {load()})"
        )
        together, alone = class_refreshing(store, new.classroom.id)
        t95, a95 = percentile(together, 0.95) * 1000, percentile(alone, 0.95) * 1000
        print(
            f"classroom_board.class_refresh_p95: {t95:.0f} ms per refresh with {STUDENTS} students "
            f"refreshing at once ({t95 / a95:.1f}x the {a95:.0f} ms of one refresh alone; read and "
            f"figures, {STUDENTS * REFRESHES_PER_STUDENT} refreshes; {load()})"
        )
        store.dispose()
        through_store, plain = inserts_per_second(folder)
        print(
            f"classroom_board.sqlite_sends_per_second: {through_store:,.0f} runs/s through the store "
            f"(1/{plain / through_store:.0f} of plain sqlite3's {plain:,.0f} inserts/s, one "
            f"transaction each, WAL; a send also checks 8 limits in its transaction; {INSERTS} "
            f"runs with curves; {load()})"
        )


if __name__ == "__main__":
    main()
