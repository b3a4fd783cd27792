"""The teacher's controls: drawn only in the session that opened the teacher link, and every
one of them presents that session's token to the store, which refuses any other."""

from __future__ import annotations

import streamlit as st

from core.classroom.errors import ClassroomError
from core.classroom.records import Board
from core.classroom.summary import board_csv, drawings_npz
from core.classroom.sweeps import VARIABLES
from core.presets import PRESETS
from dashboard import classroom
from dashboard.text import plain
from pages.class_board.handwriting import start_test, test_progress
from pages.class_board.opening import teacher_link_box
from pages.class_board.sharing import shareable_pages, shared_page, studio_base

SWEEP_BASES = ("fast_softmax", "fast_mlp", "fast_cnn")
VARIABLE_TITLES = {
    "learning_rate": "Learning rate (1e-4 to 10)",
    "batch_size": "Batch size (8 to 1024)",
    "model": "Model (softmax, MLP, CNN)",
}


def act(action, *args, done: str) -> None:
    """Run a store action with the session's token, then redraw the page with its effect;
    a refusal is one sentence."""
    access = classroom.teacher()
    try:
        action(access.class_id, access.token, *args)
    except ClassroomError as error:
        st.error(plain(error))
        return
    st.toast(done)
    st.rerun()


def teacher_controls(access: classroom.TeacherAccess, board: Board) -> None:
    st.subheader("Teacher controls")
    share, experiment, handwriting, manage = st.tabs(
        ["Share a page", "Run an experiment", "Run the handwriting test", "Board & class"]
    )
    with share:
        share_tab()
    with experiment:
        experiment_tab(board)
    with handwriting:
        if st.button(f"Run the handwriting test on {board.drawings} drawings", key="class_run_handwriting",
                     icon=":material/draw:", disabled=board.drawings == 0):  # fmt: skip
            start_test(access)
        test_progress(access)
    with manage:
        manage_tab(access, board)


def share_tab() -> None:
    pages = shareable_pages()
    left, right = st.columns([1, 2])
    page = left.selectbox("Page", list(pages), format_func=pages.get, key="class_share_page")
    link = right.text_input(
        "Its settings: paste a link copied from that page (optional)",
        key="class_share_link",
        max_chars=4000,
        placeholder="e.g. http://…/gradient_descent?gd_lr=1.01",
    )
    try:
        shared = shared_page(page, link)
    except ValueError as error:
        st.error(plain(error))
        return
    st.caption(f"Students will see: Your teacher shared: {plain(shared.description)} — Open")
    if st.button(
        "Share with the class", type="primary", key="class_share", icon=":material/campaign:"
    ):
        act(classroom.store().push_page, shared.page, shared.query, shared.description,
            done="Shared with every student.")  # fmt: skip


def experiment_tab(board: Board) -> None:
    sweep = board.sweep
    if sweep is not None and sweep.active:
        variable = VARIABLES[sweep.variable]
        st.info(
            f"Running: each student tests one {variable.title}; {sweep.assigned} handed out so far."
        )
        if st.button("End the experiment", key="class_end_sweep", icon=":material/stop_circle:"):
            act(classroom.store().end_sweep, done="Experiment ended.")
        return
    left, right = st.columns(2)
    variable = left.radio("Each student gets a different", list(VARIABLE_TITLES),
                          format_func=VARIABLE_TITLES.get, key="class_sweep_variable")  # fmt: skip
    base = right.selectbox("Everything else as in", SWEEP_BASES,
                           format_func=lambda key: PRESETS[key].title, key="class_sweep_base")  # fmt: skip
    if st.button(
        "Start the experiment", type="primary", key="class_start_sweep", icon=":material/science:"
    ):
        act(classroom.store().start_sweep, variable, studio_base(base), done="Experiment started.")


def manage_tab(access: classroom.TeacherAccess, board: Board) -> None:
    store = classroom.store()
    info = board.classroom
    left, right = st.columns(2)
    if info.training_paused:
        if left.button("Allow training", key="class_allow", icon=":material/play_arrow:"):
            act(store.set_paused, False, done="Training allowed.")
    elif left.button("Pause training", key="class_pause", icon=":material/pause:"):
        act(store.set_paused, True, done="Training paused for the class.")
    if board.entries:
        titles = {
            entry.id: f"{entry.student} · {entry.model} · {entry.test_accuracy:.4f}"
            for entry in board.entries
        }
        chosen = right.selectbox(
            "Run", list(titles), format_func=titles.get, key="class_remove_choice"
        )
        if right.button("Remove this run", key="class_remove", icon=":material/delete:"):
            act(store.remove_entry, chosen, done="Run removed.")
    export_buttons(access)
    with st.expander("Clear the board or close the class"):
        if st.button(
            "Clear every run from the board", key="class_clear", icon=":material/delete_sweep:"
        ):
            act(store.clear_board, done="Board cleared.")
        if not info.closed and st.button("Close the class (no one can join)", key="class_close",
                                         icon=":material/lock:"):  # fmt: skip
            act(store.close_class, done="Class closed.")
    teacher_link_box(access)


def export_buttons(access: classroom.TeacherAccess) -> None:
    store = classroom.store()
    try:
        rows = store.export_rows(access.class_id, access.token)
        images, labels, students = store.export_drawings(access.class_id, access.token)
    except ClassroomError as error:
        st.error(plain(error))
        return
    left, right = st.columns(2)
    left.download_button("Export the board (CSV)", board_csv(rows), file_name="class_board.csv",
                         mime="text/csv", on_click="ignore", icon=":material/download:")  # fmt: skip
    right.download_button(f"Export {len(labels)} drawings (.npz)", drawings_npz(images, labels, students),
                          file_name="class_drawings.npz", mime="application/octet-stream",
                          on_click="ignore", icon=":material/download:")  # fmt: skip
