"""What the Training studio and Prediction pages do with the class: the teacher's pause,
the student's value in a class experiment, and the buttons that send a finished run or a
drawing to the class board. Students of a class only: without one, nothing is drawn.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.classroom.errors import ClassroomError
from core.classroom.records import RunReport
from dashboard.classroom import APPLIED_KEY, membership, store
from dashboard.text import plain

SENT_KEY = "class_sent"  # the numbers of the studio runs this session sent to the board


def sent() -> set:
    return st.session_state.setdefault(SENT_KEY, set())


def training_paused() -> str | None:
    """One sentence when the teacher has paused training for this student's class."""
    member = membership()
    if member is None:
        return None
    try:
        paused = store().class_info(member.class_id).training_paused
    except ClassroomError:
        return None  # a database hiccup (or a deleted class) must not stop anyone training
    if paused:
        return "Your teacher has paused training for the class: wait until it is allowed again."
    return None


def apply_assignment(settings) -> None:
    """The studio opens on the student's value of the class experiment, with a banner.

    Called after `settings.sync_from_link()`: the assignment is put on the settings once
    (a student may change them afterwards); the banner stays while the experiment runs.
    """
    member = membership()
    if member is None:
        return
    try:
        given = store().assignment(member.member_id)
    except ClassroomError:
        return
    if given is None:
        return
    from core.classroom.sweeps import VARIABLES

    variable = VARIABLES[given.variable]
    setting = settings[variable.setting]
    marker = (given.sweep_id, given.position)
    if st.session_state.get(APPLIED_KEY) != marker:
        values, _ = settings.read_link(given.query)
        st.session_state.update(values)
        st.session_state[APPLIED_KEY] = marker
    st.info(
        f"Class experiment: you are testing **{setting.label} = {setting.shown(given.value)}**; "
        "the rest of the settings are the class's. Press Train, then Send to class board.",
        icon=":material/science:",
    )


def send_run_button(run, settings_query: dict[str, str], key: str) -> None:
    """'Send to class board' under a finished run (students of a class only)."""
    member = membership()
    result = run.result
    if member is None or result is None or result.test_accuracy is None:
        return
    if run.number in sent():
        st.caption(":material/check: On the class board.")
        return
    if not st.button("Send to class board", key=key, icon=":material/co_present:"):
        return
    try:
        store().send_run(member.member_id, run_report(run, settings_query))
    except ClassroomError as error:
        st.error(plain(error))
        return
    sent().add(run.number)
    st.toast("Sent to the class board.")
    st.caption(":material/check: On the class board.")


def run_report(run, settings_query: dict[str, str]) -> RunReport:
    from core.data import spec_for
    from core.models import OPTIMIZER_TITLES, describe_model

    config, result = run.config, run.result
    return RunReport(
        dataset=config.dataset,
        dataset_title=spec_for(config.dataset).title,
        family=config.model.family,
        model=describe_model(config.model),
        optimizer=OPTIMIZER_TITLES.get(config.optimizer, config.optimizer),
        learning_rate=config.learning_rate,
        batch_size=config.batch_size,
        epochs=config.epochs,
        test_accuracy=result.test_accuracy,
        seconds=result.seconds,
        settings=dict(settings_query),
        curves=dict(run.series),
        model_bytes=run.model_bytes if config.dataset == "mnist" else None,
    )


def send_drawing_button(model_input: np.ndarray | None, label: int | None) -> None:
    """'Send to class with the digit I meant': the 28x28 model input (0..1) and the label."""
    member = membership()
    if member is None:
        return
    usable = model_input is not None and label is not None
    if not st.button(
        f"Send to class as {label}" if usable else "Send to class with the digit I meant",
        key="class_send_drawing",
        disabled=not usable,
        help=None if usable else "Draw a digit and choose the digit you meant first.",
        icon=":material/co_present:",
    ):
        return
    pixels = (np.clip(model_input, 0, 1) * 255).round().astype(np.uint8)
    try:
        store().send_drawing(member.member_id, pixels, int(label))
    except ClassroomError as error:
        st.error(plain(error))
        return
    st.toast(f"Your {label} is in the class's handwriting test.")
