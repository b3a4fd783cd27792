"""The board itself, for the projector: join code, counts, leaderboard, the class's plots,
the running experiment and the handwriting test. It refreshes itself every few seconds."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.classroom.errors import ClassroomError
from core.classroom.records import Board
from core.classroom.summary import (
    COLUMNS,
    leaderboard_rows,
    ranked,
    sweep_progress,
    tutorial_reference,
)
from core.classroom.sweeps import VARIABLES
from dashboard import classroom
from dashboard.navigation import available_pages
from dashboard.text import plain
from pages.class_board.figures import accuracy_figure, curves_figure, sweep_figure
from pages.class_board.handwriting import show_result

REFRESH_SECONDS = 5
BOARD_KEY = "class_board_latest"  # the last board read: the teacher's controls use it too
CHART = {"displayModeBar": False}
SHOWN = [column for column in COLUMNS if column != "rank"]  # the order is the rank


def read_board(class_id: int) -> Board | None:
    """The board, or None after one sentence when the database cannot say."""
    try:
        board = classroom.store().board(class_id)
    except ClassroomError as error:
        st.error(plain(error), icon=":material/cloud_off:")
        return None
    st.session_state[BOARD_KEY] = board
    return board


@st.fragment(run_every=REFRESH_SECONDS)
def live_board(class_id: int) -> None:
    board = read_board(class_id)
    if board is not None:
        render_board(board)


def render_board(board: Board) -> None:
    info = board.classroom
    name, code, students, runs, drawings = st.columns([2.2, 1.2, 1, 1, 1])
    name.markdown(f"### {plain(info.name)}")
    if board.push is not None:
        name.caption(f"Last shared: {plain(board.push.description)}")
    code.metric("Join code", info.code if not info.closed else "closed")
    students.metric("Students", info.members)
    runs.metric("Runs", len(board.entries))
    drawings.metric("Drawings", board.drawings)
    if info.training_paused:
        st.warning("Training is paused for the class by the teacher.", icon=":material/pause:")
    if info.closed:
        st.info("This class is closed: it takes no new students and no new runs.")
    reference = tutorial_reference(board.entries)
    table, rate, batch, experiment, handwriting = st.tabs(
        ["Leaderboard", "Learning rate", "Batch size", "Class experiment", "Handwriting test"],
        key="class_board_view",  # the projector stays on its tab while the board refreshes
    )
    with table:
        leaderboard(board)
    with rate:
        accuracy_plot(board, "learning_rate", "learning rate (log scale)", reference)
    with batch:
        accuracy_plot(board, "batch_size", "batch size (log scale)", reference)
    with experiment:
        experiment_view(board, reference)
    with handwriting:
        show_result(board.classroom.id, board.handwriting)


def accuracy_plot(board: Board, field: str, title: str, reference) -> None:
    st.plotly_chart(
        accuracy_figure(tuple(board.entries), field, title, True, reference),
        key=f"class_by_{field}", config=CHART,
    )  # fmt: skip
    if reference is not None:
        st.caption(plain(reference.text))


def leaderboard(board: Board) -> None:
    if not board.entries:
        st.info(
            "No runs yet. Students join from the sidebar with the join code, train in the "
            "Training studio and press Send to class board."
        )
        return
    rows = leaderboard_rows(board.entries)
    event = st.dataframe(
        pd.DataFrame(rows, columns=SHOWN),
        hide_index=True,
        height=min(38 + 35 * len(rows), 430),
        on_select="rerun",
        selection_mode="single-row",
        key="class_leaderboard",
        column_config={
            "student": st.column_config.TextColumn(width=90),
            "optimizer": st.column_config.TextColumn(width=110),
            "test accuracy": st.column_config.ProgressColumn(
                format="%.4f", min_value=0, max_value=1, width=130
            ),
            "learning rate": st.column_config.NumberColumn(format="%g", width=90),
            "batch size": st.column_config.NumberColumn(width=75),
            "epochs": st.column_config.NumberColumn(width=60),
            "seconds": st.column_config.NumberColumn(format="%.1f", width=70),
        },
    )
    if event.selection.rows:
        chosen_run(board, ranked(board.entries)[event.selection.rows[0]])
    else:
        st.caption("Select a run to see its curves and open its settings in the studio.")


def chosen_run(board: Board, entry) -> None:
    try:
        curves, settings = classroom.store().entry_curves(board.classroom.id, entry.id)
    except ClassroomError as error:
        st.warning(plain(error))
        return
    st.plotly_chart(
        curves_figure(curves, f"{entry.student}: {entry.model}"),
        key="class_run_curves",
        config=CHART,
    )
    training = next((page for page in available_pages() if page.name == "training"), None)
    if training is not None:
        st.page_link(str(training.path), label="Open these settings in the Training studio",
                     icon=":material/open_in_new:", query_params=settings)  # fmt: skip


def experiment_view(board: Board, reference) -> None:
    sweep = board.sweep
    if sweep is None:
        st.info(
            "No class experiment yet: the teacher starts one, and each student tests one value."
        )
        return
    progress = sweep_progress(sweep, board.entries)
    state = "running" if sweep.active else "ended"
    st.caption(
        f"Experiment ({state}): each student tests one {progress.title}. "
        f"{len(progress.points)} result{'' if len(progress.points) == 1 else 's'}; waiting for "
        f"{', '.join(f'{value:g}' if isinstance(value, float) else str(value) for value in progress.waiting) or 'none'}."
    )
    st.plotly_chart(
        sweep_figure(progress, VARIABLES[sweep.variable].values, reference),
        key="class_sweep", config=CHART,
    )  # fmt: skip
