"""The class's handwriting test, run for the teacher on the training engine, shown on the board.

The teacher's session holds the engine's job; when it ends, its result (scores, confusion
matrices, the worst-read drawings' ids) goes into the class's store, so every board shows
it. The web server never loads a model here: the engine's worker does.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.classroom.errors import ClassroomError
from core.classroom.handwriting import QUICK_LABEL, handwriting_task
from core.engine import FAILED, FINISHED, QUEUED, EngineUnavailable, submit
from core.quick_model import trained_quick_model
from dashboard import classroom
from dashboard.text import plain
from pages.class_board.figures import confusion_figure

JOB_KEY = "class_handwriting_job"  # (class id, drawing ids, RemoteJob) of the teacher's test


def start_test(access: classroom.TeacherAccess) -> None:
    try:
        ids, images, labels, best = classroom.store().handwriting_inputs(
            access.class_id, access.token
        )
    except ClassroomError as error:
        st.error(plain(error))
        return
    if not ids:
        st.info("No drawings yet: students send them from the Prediction page.")
        return
    quick = (
        trained_quick_model()
    )  # trained in this server already: its bytes, else the worker trains it
    models = [(QUICK_LABEL, quick.model_bytes if quick is not None else None)]
    if best is not None:
        models.append(best)
    try:
        job = submit(handwriting_task, images, labels, models, kind="handwriting")
    except EngineUnavailable as error:
        st.error(str(error))
        return
    st.session_state[JOB_KEY] = (access.class_id, ids, job)


@st.fragment(run_every=1.0)
def test_progress(access: classroom.TeacherAccess) -> None:
    """The running test's progress; its result saved for the whole class when it ends."""
    running = st.session_state.get(JOB_KEY)
    if running is None or running[0] != access.class_id:
        return
    _, ids, job = running
    snapshot = job.snapshot()
    if snapshot.state not in FINISHED:
        text = (
            "waiting for a free trainer"
            if snapshot.state == QUEUED
            else snapshot.progress.get("phase", "starting")
        )
        st.progress(0.5 if snapshot.state != QUEUED else 0.0, text=f"Handwriting test: {text}…")
        return
    st.session_state.pop(JOB_KEY, None)
    job.release()
    if snapshot.state == FAILED or snapshot.result is None:
        st.error(f"The handwriting test did not finish: {snapshot.error or 'stopped'}.")
        return
    result = dict(snapshot.result)
    result["drawing_ids"] = ids
    try:
        classroom.store().save_handwriting(access.class_id, access.token, result)
    except ClassroomError as error:
        st.error(plain(error))
        return
    st.rerun(scope="app")


def show_result(class_id: int, result: dict | None) -> None:
    """Each model's score and confusion matrix, and the drawings the best one read worst."""
    if not result:
        st.info(
            "The handwriting test scores the quick model and the class's best MNIST model on "
            "the drawings students send from Prediction: does MNIST generalise to our handwriting?"
        )
        return
    models = result["models"]
    columns = st.columns([*([1] * len(models)), 1.1], gap="medium")
    for number, (column, scored) in enumerate(zip(columns, models)):
        column.metric(
            plain(scored["label"]),
            f"{scored['accuracy']:.1%}",
            help=f"read correctly, of the class's {result['drawings']} drawings",
        )
        column.plotly_chart(
            confusion_figure(scored["confusion"]),
            key=f"class_confusion_{number}",
            config={"displayModeBar": False},
        )
    with columns[-1]:
        worst_read(class_id, result)


def worst_read(class_id: int, result: dict) -> None:
    ids = result.get("drawing_ids", [])
    worst = [item for item in result.get("worst", []) if item["index"] < len(ids)]
    if not worst:
        st.success("Every drawing was read as the digit its author meant.")
        return
    st.markdown(f"**Worst read** by {plain(result['judge'])}")
    try:
        images = classroom.store().drawings_by_id(class_id, [ids[item["index"]] for item in worst])
    except ClassroomError as error:
        st.warning(plain(error))
        return
    shown = [(images[ids[item["index"]]], item) for item in worst if ids[item["index"]] in images]
    st.image(
        [np.kron(image, np.ones((3, 3), np.uint8)) for image, _ in shown],
        caption=[f"meant {item['label']}, read {item['said']}" for _, item in shown],
        width=84,
    )
