"""Tab 3, train: the tutorial's run settings, then a run on the training engine that a
fragment polls (pages/scratch/training.py starts it)."""

from __future__ import annotations

import streamlit as st

from core.data import DatasetInfo
from core.engine import FINISHED, EngineUnavailable, runs_of
from core.engine.cost import limit_setting, scratch_refusal
from core.engine.settings import setting_problems
from core.scratch import (
    ACTIVATIONS,
    MAX_HIDDEN_SIZE,
    MAX_ITERATIONS,
    TUTORIAL_TEST_ACCURACY,
    TrainConfig,
)
from dashboard.browser import browser_id
from dashboard.settings import KEEP
from dashboard.studio_runs import ONE_RUN_PER_BROWSER
from pages.scratch.figures import accuracy_figure, loss_figure
from pages.scratch.training import start_training, tutorial_table

JOB_KEY = "scratch_job"  # the last training run (core.engine.RemoteJob)
TRAINED_KEY = "scratch_trained"  # the last finished run's net, data set and label


def render_train_tab(train_size: int, test_size: int, info: DatasetInfo, dataset_name: str) -> None:
    """The run's settings, Start, and the live progress of the last run."""
    config = render_run_settings(train_size)
    for problem in setting_problems():
        st.warning(problem)
    job = st.session_state.get(JOB_KEY)
    running = job is not None and not job.finished
    if st.button("Start training", type="primary", disabled=running, key="scratch_train_start"):
        try:
            config.validate(train_size)
        except ValueError as error:
            st.error(f"Cannot train: {error}")
        else:
            run = st.session_state.get("scratch_runs", 0) + 1
            label = (
                f"run {run} · 784-{config.hidden_size}-10 {config.activation}, "
                f"learning rate {config.learning_rate:g}, batch {config.batch_size} on {info.title}"
            )
            try:
                refused = scratch_refusal(config, train_size, test_size, limit_setting()[0])
                refused = refused or (ONE_RUN_PER_BROWSER if runs_of(browser_id()) else None)
                job = None if refused else start_training(config, dataset_name, browser_id())
            except EngineUnavailable as error:
                refused, job = str(error), None
            if refused:
                st.error(refused)
            if job is not None:
                st.session_state["scratch_runs"] = run
                st.session_state[JOB_KEY] = job
                st.session_state["scratch_job_meta"] = {"label": label, "dataset": dataset_name}
                running = True

    @st.fragment(run_every=0.5 if running else None)
    def training_panel() -> None:
        job = st.session_state.get(JOB_KEY)
        if job is None:
            st.info(
                "Nothing trained yet. The tutorial's run is the default here: MNIST, 50 sigmoid "
                "units, learning rate 0.1, batch 100, 10 000 iterations; the tutorial printed "
                f"test accuracy {TUTORIAL_TEST_ACCURACY} after its last epoch."
            )
            return
        meta = st.session_state["scratch_job_meta"]
        snapshot = job.snapshot()
        progress = snapshot.progress
        done_steps, total = progress.get("iteration", 0), progress.get("iterations", 1)
        if snapshot.state == "queued":
            place = f"number {snapshot.queue_position} in" if snapshot.queue_position else "next in"
            st.info(f"{meta['label']}: waiting for a free worker, {place} the queue.")
        elif snapshot.state == "running":
            st.progress(
                done_steps / total,
                text=f"{meta['label']}: iteration {done_steps:,} of {total:,} "
                f"({snapshot.seconds:.1f} s)",
            )
        finished = snapshot.state in FINISHED  # from the snapshot: job.finished may be newer
        if not finished:
            if st.button("Stop", key="scratch_train_stop"):
                job.request_stop()
        elif "diverged" in progress:
            st.error(f"{meta['label']}: {progress['diverged']}")
        elif snapshot.state == "failed":
            st.error(f"{meta['label']} failed: {snapshot.error}")
        else:
            word = "Stopped" if snapshot.state == "stopped" else "Done"
            st.success(
                f"{word}: {meta['label']}, {done_steps:,} iterations in {snapshot.seconds:.1f} s."
            )
            if snapshot.result is not None and snapshot.result.iterations > 0:
                accuracy_headline(snapshot.result.test_accuracy)
        epochs, losses = snapshot.series.get("epochs", []), snapshot.series.get("loss", [])
        if epochs:
            chart, table = st.columns([3, 2])
            # a stable key updates the chart in place on each tick instead of remounting it
            chart.plotly_chart(
                accuracy_figure(epochs, progress.get("epochs")), key="scratch_live_accuracy"
            )
            table.caption("The tutorial's printout, one line per epoch:")
            table.code(tutorial_table(epochs), language=None, height=300)
        if losses:
            st.plotly_chart(loss_figure(losses, total), key="scratch_live_loss")
        result = snapshot.result
        if finished and st.session_state.get("scratch_promoted") is not job:
            st.session_state["scratch_promoted"] = job
            job.release()  # everything needed is in the snapshot now
            if result is not None and result.iterations > 0:
                st.session_state[TRAINED_KEY] = {
                    "net": result.net,
                    "dataset": meta["dataset"],
                    "label": f"{meta['label']}, test accuracy {result.test_accuracy:.4f}",
                }
            st.rerun()  # the other tabs now show the new weights; polling stops

    training_panel()


def accuracy_headline(test_accuracy: float) -> None:
    """The run's final test accuracy, up front, beside the number the tutorial printed."""
    ours, tutorial = st.columns(2)
    ours.metric(
        "Final test accuracy",
        f"{test_accuracy:.4f}",
        delta=f"{test_accuracy - TUTORIAL_TEST_ACCURACY:+.4f} against the tutorial",
        delta_color="off",
        border=True,
    )
    tutorial.metric(
        "The tutorial printed",
        f"{TUTORIAL_TEST_ACCURACY}",
        help="Saito's two-layer net after 10 000 iterations on MNIST (its last epoch line).",
        border=True,
    )


def render_run_settings(train_size: int) -> TrainConfig:
    """The six numbers of a run, as typed: TrainConfig.validate says what does not fit."""
    first, second, third = st.columns(3)
    first.number_input(
        f"Hidden units (1 to {MAX_HIDDEN_SIZE})", step=10, key="scratch_hidden", persist_state=KEEP
    )
    first.selectbox(
        "Hidden activation", list(ACTIVATIONS), key="scratch_activation", persist_state=KEEP
    )
    second.number_input(
        "Learning rate", step=0.05, format="%g", key="scratch_learning_rate", persist_state=KEEP
    )
    second.number_input(
        f"Batch size (1 to {train_size:,})", step=10, key="scratch_batch", persist_state=KEEP
    )
    third.number_input(
        f"Iterations (1 to {MAX_ITERATIONS:,})",
        step=1000,
        key="scratch_iterations",
        persist_state=KEEP,
    )
    third.number_input(
        "Initial weight scale",
        step=0.01,
        format="%g",
        key="scratch_weight_scale",
        persist_state=KEEP,
    )
    return TrainConfig(
        hidden_size=int(st.session_state["scratch_hidden"]),
        activation=st.session_state["scratch_activation"],
        learning_rate=float(st.session_state["scratch_learning_rate"]),
        batch_size=int(st.session_state["scratch_batch"]),
        iterations=int(st.session_state["scratch_iterations"]),
        weight_init_std=float(st.session_state["scratch_weight_scale"]),
    )
