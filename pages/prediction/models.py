"""Where the prediction page's model comes from: the quick model, this session's runs, an upload."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.data import DATASETS
from core.engine import FAILED, FINISHED, QUEUED, STOPPED, EngineUnavailable
from core.model_check import (
    CheckedModel,
    ModelCheckError,
)
from core.quick_model import (
    QUICK_CONFIG,
    existing_quick_model_job,
    quick_model_job,
    trained_quick_model,
)
from dashboard.navigation import available_pages
from dashboard.session_models import (
    checked_model,
    find_session_model,
    follow_newest,
    picked_by_hand,
    session_models,
    shown_run_note,
    stop_following,
)
from dashboard.text import plain
from pages.prediction.inputs import kept_choice
from pages.prediction.upload import classes_and_caption, render_upload

SOURCES = {
    "quick": "Quick model",
    "session": "Trained in this session",
    "upload": "Upload a .keras file",
}
SOURCE_KEY = "prediction_source"
SESSION_LABEL_KEY = "prediction_session_label"  # which of this session's runs is picked
SOURCE_AUTO_KEY = "prediction_source_auto"  # the source was chosen for the student


@dataclass(frozen=True)
class ActiveModel:
    label: str  # what the student reads
    checked: CheckedModel  # the model and how to feed it
    dataset: str  # core.data name whose classes it predicts
    class_names: tuple[str, ...]  # output i means class_names[i]
    test_accuracy: float | None  # on that data set's test split, when known


def select_session_model(label: str) -> None:
    """Make a model that just arrived from the studio the one the page predicts with."""
    st.session_state[SOURCE_KEY] = "session"
    st.session_state[SOURCE_AUTO_KEY] = True
    st.session_state[SESSION_LABEL_KEY] = label
    stop_following(SESSION_LABEL_KEY)


def source_picked() -> None:
    st.session_state[SOURCE_AUTO_KEY] = False


def render_model_source() -> ActiveModel | None:
    """The model picker; returns the model to use, or None after saying how to get one.

    Until the student picks a source by hand, a run trained in this session (anywhere,
    while this page was closed too) is preferred to the quick model.
    """
    state = st.session_state
    if SOURCE_KEY not in state or state.get(SOURCE_AUTO_KEY):
        state[SOURCE_KEY] = "session" if session_models() else "quick"
        state[SOURCE_AUTO_KEY] = True
    source = kept_choice("Model", SOURCES, SOURCE_KEY, on_change=source_picked)
    if source == "session":
        return _session_model()
    if source == "upload":
        return _uploaded_model()
    return _quick_model()


def _quick_model() -> ActiveModel | None:
    quick = trained_quick_model()
    if quick is not None:
        st.caption(
            f"A small CNN trained on {quick.config.subset_size:,} MNIST digits for "
            f"{quick.config.epochs} epochs ({quick.seconds:.0f} s), shared by everyone "
            f"on this server: **{quick.test_accuracy:.1%}** on the {len(quick.test_labels):,} "
            "test digits."
        )
        checked = _checked(quick.model_bytes)
        if checked is None:
            return None
        return ActiveModel(
            "quick CNN", checked, quick.config.dataset, quick.class_names, quick.test_accuracy
        )
    job = existing_quick_model_job()
    if job is not None and job.state in (FAILED, STOPPED):
        st.error(f"Training the quick model did not finish: {job.snapshot().error or 'stopped'}.")
    if job is None or job.state in FINISHED:
        st.info(
            "No model yet. The quick model is a small CNN trained once on "
            f"{QUICK_CONFIG.subset_size:,} MNIST digits (about 15 seconds) and then shared by "
            "everyone on this server. You can also train your own in the Training studio "
            "or upload a .keras file."
        )
        if st.button("Train the quick model", type="primary", icon=":material/bolt:"):
            try:
                with st.spinner("Starting the training engine…"):
                    quick_model_job()
            except EngineUnavailable as error:
                st.error(str(error))
                return None
            st.rerun()
        return None
    _quick_model_progress(job)
    return None


@st.fragment(run_every=0.5)
def _quick_model_progress(job) -> None:
    snapshot = job.snapshot()
    if snapshot.state in FINISHED:
        st.rerun()  # the whole page: the model is ready (or failed) now
    if snapshot.state == QUEUED:
        st.progress(
            0.0,
            text=f"Waiting for a free trainer: number {snapshot.queue_position} in the queue",
        )
        return
    fraction = float(snapshot.progress.get("fraction", 0.0))
    loss = snapshot.progress.get("loss")
    detail = f" · loss {loss:.3f}" if loss is not None else ""
    st.progress(
        min(fraction, 1.0),
        text=f"Training the quick model: {fraction:.0%}{detail} · {snapshot.seconds:.0f} s",
    )


def _session_model() -> ActiveModel | None:
    models = session_models()
    if not models:
        st.info("No model has been trained in this session yet: train one, then come back here.")
        training = next((page for page in available_pages() if page.name == "training"), None)
        if training is not None:
            st.page_link(str(training.path), label="Open the Training studio", icon=training.icon)
        return None
    labels = [model.label for model in models]
    by_hand = follow_newest(SESSION_LABEL_KEY, labels)
    label = st.selectbox(
        "Run",
        labels,
        key=SESSION_LABEL_KEY,
        on_change=picked_by_hand,
        args=(SESSION_LABEL_KEY, labels[-1]),
    )
    st.caption(shown_run_note(label, labels[-1], by_hand))
    entry = find_session_model(label)
    if entry is None:
        return None
    checked = _checked(entry.model_bytes)
    if checked is None:
        return None
    return ActiveModel(
        entry.label, checked, entry.dataset, tuple(entry.class_names), entry.test_accuracy
    )


def _checked(model_bytes: bytes) -> CheckedModel | None:
    """The model of a run, loaded and checked once per server process (in NumPy)."""
    try:
        with st.spinner("Loading the model…"):
            return checked_model(model_bytes)
    except ModelCheckError as error:
        st.error(f"This model cannot be used here: {error}.")
        return None


def _uploaded_model() -> ActiveModel | None:
    uploaded = render_upload()
    if uploaded is None:
        return None
    dataset, accuracy = classes_and_caption(uploaded)
    return ActiveModel(
        plain(uploaded.name), uploaded.checked, dataset, DATASETS[dataset].class_names, accuracy
    )
