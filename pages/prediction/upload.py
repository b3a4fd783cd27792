"""A .keras file a student uploads: checked on a training-engine worker before the page loads it.

Keras builds whatever layers a file describes, so a tiny file can ask for gigabytes and
minutes per image. The page reads only the archive's listing itself; a worker loads the
file, bounds its weights and multiply-adds, and scores it on a sample of the test images
in small batches (with a progress bar and Stop), and checks that this server's NumPy
forward pass (core.plain_model) answers as Keras does. Only a model that passed is loaded
here, once per server process (dashboard.session_models.checked_model).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.data import DATASETS
from core.engine import FINISHED, LOST_WORKER, EngineUnavailable, submit, upload_check_task
from core.engine.tasks import UploadCheck
from core.model_check import CheckedModel, ModelCheckError, check_archive
from dashboard.browser import browser_id
from dashboard.job_watchdog import watch_session
from dashboard.session_models import checked_model
from dashboard.settings import KEEP
from dashboard.text import plain

UPLOAD_CLASSES = {"mnist": "digits (MNIST)", "fashion_mnist": "clothes (Fashion-MNIST)"}
UPLOADED_KEY = "prediction_uploaded_model"  # the last upload that passed the checks
UPLOAD_ERROR_KEY = "prediction_upload_model_error"  # (file_id, message) of the last refused one
SEEN_KEY = "prediction_model_file_seen"  # file_id of the last upload looked at
CHECK_KEY = "prediction_upload_check"  # (name, file_id, bytes, RemoteJob) being checked


@dataclass(frozen=True)
class UploadedModel:
    name: str  # file name, outside text: shown through plain()
    file_id: str  # Streamlit's id of the upload, to check each file once
    checked: CheckedModel
    check: UploadCheck  # what the worker found, accuracies included


def render_upload():
    """The uploader, the check in progress, and the model that passed (or None)."""
    upload = st.file_uploader(
        "A Keras model saved with model.save('name.keras'): 28x28 input, 10 outputs",
        type=["keras"],
        key="prediction_model_file",
    )
    if upload is not None and st.session_state.get(SEEN_KEY) != upload.file_id:
        st.session_state[SEEN_KEY] = upload.file_id  # each file is checked once, not every rerun
        start_check(upload.name, upload.file_id, upload.getvalue())
    if st.session_state.get(CHECK_KEY) is not None:
        check_progress()
    refused = st.session_state.get(UPLOAD_ERROR_KEY)
    uploaded: UploadedModel | None = st.session_state.get(UPLOADED_KEY)
    if refused is not None and upload is not None and refused[0] == upload.file_id:
        kept = f" Still using {plain(uploaded.name)}." if uploaded is not None else ""
        st.error(f"{plain(upload.name)} refused: {plain(refused[1])}.{kept}")
    return uploaded


def start_check(name: str, file_id: str, data: bytes) -> None:
    try:
        check_archive(data)  # the listing alone: cheap, and nothing is inflated
        job = submit(
            upload_check_task, data, tuple(UPLOAD_CLASSES), kind="upload-check",
            owner=browser_id(),
        )  # fmt: skip
    except (ModelCheckError, EngineUnavailable) as error:
        st.session_state[UPLOAD_ERROR_KEY] = (file_id, str(error).rstrip("."))
        return
    watch_session(job)
    st.session_state[CHECK_KEY] = (name, file_id, data, job)


@st.fragment(run_every=0.5)
def check_progress() -> None:
    name, file_id, data, job = st.session_state[CHECK_KEY]
    snapshot = job.snapshot()
    if snapshot.state not in FINISHED:
        done = snapshot.progress.get("scored", 0)
        total = snapshot.progress.get("images") or 1
        st.progress(
            min(done / total, 1.0),
            text=f"Checking {plain(name)} on a worker: {done:,} of {total:,} test images scored",
        )
        if st.button("Stop the check", key="prediction_upload_stop"):
            job.request_stop()
        return
    st.session_state[CHECK_KEY] = None
    job.release()
    if snapshot.result is not None:
        try:
            checked = checked_model(data)  # bounded now: the worker loaded it first
        except ModelCheckError as error:
            st.session_state[UPLOAD_ERROR_KEY] = (file_id, str(error))
        else:
            st.session_state[UPLOADED_KEY] = UploadedModel(name, file_id, checked, snapshot.result)
            st.session_state.pop(UPLOAD_ERROR_KEY, None)
    else:
        st.session_state[UPLOAD_ERROR_KEY] = (file_id, refusal(snapshot))
    st.rerun()  # the whole page: the model (or the reason) is there now


def refusal(snapshot) -> str:
    if snapshot.error == LOST_WORKER:
        return (
            "checking it took more memory than a worker of this server has (the file describes "
            "a network far larger than its weights)"
        )
    if snapshot.error is not None:  # "ModelCheckError: the model has ..."
        return snapshot.error.split(": ", 1)[-1]
    return "the check was stopped before it ended"


def classes_and_caption(uploaded: UploadedModel) -> tuple[str, float | None]:
    """The student says what the model's classes are; the caption says what it is."""
    dataset = st.radio(
        "Its classes are",
        list(UPLOAD_CLASSES),
        format_func=UPLOAD_CLASSES.get,
        horizontal=True,
        key="prediction_upload_classes",
        persist_state=KEEP,
    )
    check = uploaded.check
    output = "softmax probabilities" if check.gives_probabilities else "scores (softmax added here)"
    accuracy = check.accuracies.get(dataset)
    measured = (
        f", **{accuracy:.1%}** on the first {check.sample:,} test images "
        f"of {DATASETS[dataset].title}"
        if accuracy is not None
        else ""
    )
    st.caption(
        f"{plain(uploaded.name)}: {check.parameters:,} weights, {check.multiply_adds:,} "
        f"multiply-adds per image, input {check.input_shape}, outputs {output}{measured}."
    )
    return dataset, accuracy
