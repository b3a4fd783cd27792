"""What the studio shows: the live run, the ledger, and the look inside a finished run."""

from __future__ import annotations

import threading
import time

import numpy as np
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core.data import load_dataset, spec_for
from core.engine import QUEUED, RUNNING
from core.engine.cost import duration_text
from core.ledger import ledger_csv
from core.metrics import confusion_matrix, per_class_accuracy, worst_mistakes
from core.presets import PRESETS
from core.training import DIVERGED, STOPPED
from dashboard.studio_runs import PendingRun, Run
from pages.training.figures import (
    confusion_figure,
    curves_figure,
    diverging_rgb,
    enlarge,
    overlay_figure,
    per_class_figure,
)


def progress_text(progress: dict) -> str:
    if "batch" not in progress:
        return progress.get("phase", "starting") + "…"
    eta = progress.get("eta_seconds")
    speed = (
        f"{progress['samples_per_second']:,.0f} images/s · ETA {eta:,.0f} s"
        if eta is not None
        else "measuring speed · ETA …"
    )
    return (
        f"epoch {progress['epoch']}/{progress['epochs']} · batch {progress['batch']}/"
        f"{progress['batches']} · {speed} · loss {progress['loss']:.4f}"
    )


# The live panels' tick rate. Each tick costs the server process a few ms of its one core
# (`python -m bench classroom --scenario live` prints how many), so with many panels open
# in one process each ticks less often: PANELS_AT_FULL_RATE panels tick twice a second
# (as fast as the worker publishes), 16 once a second, 32 or more every 2 s.
LIVE_SECONDS = 0.5
SLOWEST_LIVE_SECONDS = 2.0
PANELS_AT_FULL_RATE = 8
PANEL_GONE_SECONDS = 5.0  # a panel that has not ticked for this long is closed
_panel_ticks: dict[str, float] = {}  # session id -> its live panel's last tick, this process
_panel_lock = threading.Lock()


def live_interval(panels: int | None = None) -> float:
    """Seconds between two ticks of a live panel, given the panels open (this one included)."""
    if panels is None:
        panels = open_panels(besides=_this_session()) + 1
    return min(SLOWEST_LIVE_SECONDS, LIVE_SECONDS * max(1.0, panels / PANELS_AT_FULL_RATE))


def open_panels(besides: str | None = None) -> int:
    """Live panels of this server process that ticked within the last PANEL_GONE_SECONDS,
    the session `besides` left out."""
    now = time.monotonic()
    with _panel_lock:
        for session_id, ticked in list(_panel_ticks.items()):
            if now - ticked > PANEL_GONE_SECONDS:
                del _panel_ticks[session_id]
        return sum(session_id != besides for session_id in _panel_ticks)


def _this_session() -> str | None:
    context = get_script_run_ctx()
    return context.session_id if context is not None else None


def _note_tick() -> None:
    session_id = _this_session()
    if session_id is not None:
        with _panel_lock:
            _panel_ticks[session_id] = time.monotonic()


def live_view(current: PendingRun) -> None:
    """One tick of the live panel: queue position, or progress bar and growing curves."""
    _note_tick()
    snapshot = current.job.snapshot()
    if snapshot.state == QUEUED:
        if snapshot.queue_position:
            wait = current.job.expected_wait()
            when = f" It should start in about {duration_text(wait)}." if wait else ""
            st.info(
                f"Run {current.number} is waiting for a free trainer: position "
                f"{snapshot.queue_position} in the server's queue. Every trainer is busy "
                f"with another student's run.{when}"
            )
        else:
            st.info(f"Run {current.number} is starting on a free trainer…")
        return
    if snapshot.state == RUNNING:
        progress = snapshot.progress
        st.progress(min(1.0, progress.get("fraction", 0.0)), text=progress_text(progress))
        if snapshot.stop_seen:
            st.caption("Stopped: measuring the test accuracy of the model trained so far…")
        elif current.job.stop_requested:  # the snapshot just read says not seen yet
            st.caption("Stopping at the end of this batch…")
        elif progress.get("phase") not in (None, "training"):
            st.caption(progress["phase"].capitalize() + "…")
    st.plotly_chart(
        curves_figure(snapshot.series, f"Run {current.number} (training)"),
        key=f"live_curves_{current.number}",
    )


def run_summary(run: Run) -> None:
    """Status line, the headline numbers, and the tutorial's number when it was a preset."""
    result = run.result
    if result is None:
        if run.error is None:
            st.warning(f"Run {run.number} was stopped before training started: nothing to show.")
        else:
            st.error(f"Run {run.number} failed: {run.error}")
        return
    if result.status == DIVERGED:
        st.error(f"Run {run.number} {result.message}.")
    elif result.status == STOPPED:
        st.warning(f"Run {run.number} was {result.message}; the model trained so far is kept.")
    else:
        st.success(f"Run {run.number} {result.message} in {result.seconds:.1f} s.")
    if result.test_accuracy is None:
        return
    columns = st.columns(4)
    columns[0].metric("Test accuracy", f"{result.test_accuracy:.4f}")
    columns[1].metric("Test loss", f"{result.test_loss:.4f}")
    columns[2].metric("Train accuracy", f"{result.train_accuracy:.4f}")
    gap = result.train_accuracy - result.test_accuracy
    columns[3].metric("Train − test gap", f"{gap:+.4f}")
    if result.test_accuracy < 2 / len(result.class_names):
        st.warning(
            "Test accuracy is near chance (1 in 10): the model learned almost nothing. "
            "A learning rate that is too large (or too small), or too few steps, does that."
        )
    elif gap > 0.03:
        st.caption(
            "The model does clearly better on images it trained on than on new ones: it is "
            "starting to overfit (memorise). More data, dropout or fewer epochs help."
        )
    else:
        st.caption("Train and test accuracy are close: no sign of overfitting yet.")
    if run.preset is not None and PRESETS[run.preset].tutorial_accuracy is not None:
        preset = PRESETS[run.preset]
        st.info(
            f"Tutorial printed **{preset.tutorial_accuracy:.3f}**; this run: "
            f"**{result.test_accuracy:.4f}** ({preset.source})."
        )


# The status and the scores first: at 1280 px the ledger's last columns need a scroll, and
# the status was the one out of sight. The CSV keeps the ledger's own order.
LEDGER_ORDER = (
    "run", "status", "test acc", "val acc", "train acc", "data set", "model", "learning rate",
    "schedule", "batch size", "epochs", "optimizer", "parameters", "s/epoch", "seed",
)  # fmt: skip


def ledger_view(all_runs: list[Run]) -> list[Run]:
    """The ledger table; returns the runs whose rows are selected (for the overlay)."""
    table = pd.DataFrame([run.row for run in all_runs])
    event = st.dataframe(
        table,
        hide_index=True,
        on_select="rerun",
        selection_mode="multi-row",
        key="train_ledger_table",
        column_order=LEDGER_ORDER,
    )
    st.download_button(
        "Download the ledger (CSV)",
        ledger_csv([run.row for run in all_runs]),
        file_name="training_ledger.csv",
        mime="text/csv",
        on_click="ignore",
    )
    return [all_runs[index] for index in event.selection.rows]


SAWTOOTH = (
    "The thin line is Keras' running mean over the batches of the epoch so far: it starts "
    "again at each epoch, so a curve that improves within epochs looks like a saw."
)


def overlay_view(selected: list[Run]) -> None:
    datasets = list(dict.fromkeys(spec_for(run.config.dataset).title for run in selected))
    if len(datasets) > 1:
        st.warning(
            f"These runs learned different data sets ({', '.join(datasets)}): their losses "
            "and accuracies are not comparable. Select runs of one data set to compare them."
        )
    st.plotly_chart(
        overlay_figure([(run.label, run.series) for run in selected]), key="train_overlay"
    )
    st.caption(SAWTOOTH.replace("The thin line", "The training loss"))


def inside_view(run: Run) -> None:
    """Confusion matrix, per-class accuracy, mistakes, weight pictures, code and model."""
    result = run.result
    if result is None or result.test_probabilities is None:
        st.info(
            "This run has no test predictions to look at (it failed, diverged, or was "
            "stopped before training started)."
        )
        return
    names = result.class_names
    predictions = result.test_probabilities.argmax(axis=1)
    counts = confusion_matrix(result.test_labels, predictions, len(names))
    tabs = st.tabs(["Confusion matrix", "Per class", "Mistakes", "Weights", "Code & model"])
    with tabs[0]:
        st.caption(
            f"{len(result.test_labels):,} test images; row = true class, column = prediction."
        )
        st.plotly_chart(confusion_figure(counts, names), key=f"confusion_{run.number}")
    with tabs[1]:
        st.plotly_chart(
            per_class_figure(per_class_accuracy(counts), names), key=f"per_class_{run.number}"
        )
    with tabs[2]:
        mistakes_gallery(run, result)
    with tabs[3]:
        weights_view(run)
    with tabs[4]:
        code_and_model(run)


def mistakes_gallery(run: Run, result) -> None:
    worst = worst_mistakes(result.test_probabilities, result.test_labels, limit=24)
    if len(worst) == 0:
        st.success("No test image is misclassified.")
        return
    test_images = load_dataset(run.config.dataset).test[0]
    names = result.class_names
    st.caption("The most confident mistakes first.")
    captions = []
    for index in worst:
        guess = int(result.test_probabilities[index].argmax())
        captions.append(
            f"true {names[result.test_labels[index]]} · said {names[guess]} "
            f"({result.test_probabilities[index, guess]:.0%})"
        )
    st.image(
        [enlarge(test_images[index]) for index in worst],
        caption=captions,
        width=110,
        alt=[f"a misread test image, {caption}" for caption in captions],
    )


def weights_view(run: Run) -> None:
    if run.result is None or run.result.weight_pictures is None:
        st.info("This run has no trained weights to show.")
        return
    kind, pictures = run.result.weight_pictures  # drawn on the worker, from its own model
    if kind == "conv":
        st.caption("First convolution layer: one picture per filter (red positive, blue negative).")
        captions = [f"filter {index}" for index in range(len(pictures))]
    elif run.config.model.family == "softmax":
        st.caption(
            "Softmax regression learns one 28x28 template per class: red pixels push "
            "towards the class, blue pixels away."
        )
        captions = list(run.result.class_names)
    else:
        st.caption("First dense layer: the 28x28 input weights of its first units.")
        captions = [f"unit {index}" for index in range(len(pictures))]
    st.image(
        [enlarge(diverging_rgb(picture)) for picture in pictures],
        caption=captions,
        width=90,
        alt=[f"weights picture: {caption}" for caption in captions],
    )


def code_and_model(run: Run) -> None:
    script = run.script  # written when the run ended, from its own model: nothing is built here
    st.code(script, language="python")
    left, right = st.columns(2)
    left.download_button(
        "Download the script",
        script,
        file_name=f"train_run_{run.number}.py",
        mime="text/x-python",
        on_click="ignore",
        key=f"script_{run.number}",
    )
    model_bytes = run.model_bytes
    if model_bytes is None:
        right.caption("The model was dropped from the session: retrain it with the script.")
    else:
        right.download_button(
            "Download the model (.keras)",
            model_bytes,
            file_name=f"run_{run.number}.keras",
            mime="application/octet-stream",
            on_click="ignore",
            key=f"model_{run.number}",
        )


def class_labels_table(names: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({"label": np.arange(len(names)), "class": names})
