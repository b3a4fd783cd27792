"""Tab 2, the gradient check: both gradients of one batch, their differences and their times."""

from __future__ import annotations

import numpy as np
import streamlit as st
from threadpoolctl import threadpool_limits

from core.data import DatasetInfo
from core.engine import FAILED, FINISHED, QUEUED, EngineUnavailable
from core.scratch import (
    ACTIVATIONS,
    MAX_CHECK_PARAMETERS,
    MAX_CHECK_PICTURE_PASSES,
    TwoLayerNet,
    estimate_numerical_seconds,
    flatten_images,
    picture_passes,
    refuse_costly_check,
)
from dashboard.settings import KEEP
from pages.scratch.settings import MAX_CHECK_EXAMPLES
from pages.scratch.training import start_check

CHECK_KEY = "scratch_check"  # the last check's result and what it was run on
CHECK_JOB_KEY = "scratch_check_job"  # the check on the engine (core.engine.RemoteJob)
CHECK_LABEL_KEY = "scratch_check_label"  # what that check is run on
CHECK_SEEN_KEY = "scratch_check_seen"  # the check whose end was already taken in
CHECK_NOTE_KEY = "scratch_check_note"  # why the last check has no result, said once
DIFFERENCE_FORMAT = st.column_config.NumberColumn(format="%.2e")


def render_check_tab(
    x_train: np.ndarray, y_train: np.ndarray, info: DatasetInfo, dataset_name: str
) -> None:
    st.markdown(
        "The numerical gradient computes the loss twice **per parameter**: "
        "(L(w + h) − L(w − h)) / 2h with h = 0.0001. Backpropagation gets all of them from "
        "one forward and one backward pass. The tutorial checks a 784-50-10 net on 3 pictures."
    )
    check_net, examples = checked_net(x_train, info)
    if check_net is not None:
        render_cost(check_net, flatten_images(x_train[:examples]), y_train[:examples])
    job = st.session_state.get(CHECK_JOB_KEY)
    running = job is not None and not job.finished
    if st.button(
        "Run the gradient check",
        type="primary",
        disabled=check_net is None or running,
        key="scratch_check_run",
    ):
        label = (
            f"{layer_sizes(check_net)} {check_net.activation_name} net, first "
            f"{examples} training pictures of {info.title}"
        )
        try:
            job = start_check(
                dataset_name, check_net.params["W1"].shape[1], examples, check_net.activation_name
            )
        except EngineUnavailable as error:
            st.error(str(error))
        else:
            st.session_state[CHECK_JOB_KEY] = job
            st.session_state[CHECK_LABEL_KEY] = label
            running = True
    check_panel(running)


def check_panel(running: bool) -> None:
    """The check in progress (on a worker: the page stays free), or the last result."""

    @st.fragment(run_every=0.5 if running else None)
    def panel() -> None:
        job = st.session_state.get(CHECK_JOB_KEY)
        if job is not None and job not in st.session_state.get(CHECK_SEEN_KEY, ()):
            snapshot = job.snapshot()
            label = st.session_state[CHECK_LABEL_KEY]
            if snapshot.state not in FINISHED:
                show_check_progress(job, snapshot, label)
                return
            st.session_state[CHECK_SEEN_KEY] = (job,)
            job.release()
            if snapshot.result is not None:
                st.session_state[CHECK_KEY] = {"result": snapshot.result, "label": label}
            elif snapshot.state == FAILED:
                st.session_state[CHECK_NOTE_KEY] = f"The check failed: {snapshot.error}."
            else:
                stopped = snapshot.progress.get("stopped_early", "stopped before it began")
                st.session_state[CHECK_NOTE_KEY] = f"The check was {stopped}."
            st.rerun()  # the whole tab: the button is free again
        note = st.session_state.pop(CHECK_NOTE_KEY, None)
        if note is not None:
            st.info(note)
        check = st.session_state.get(CHECK_KEY)
        if check is None:
            st.info("Press the button to compute both gradients of the same batch.")
        else:
            render_check_result(check)

    panel()


def show_check_progress(job, snapshot, label: str) -> None:
    if snapshot.state == QUEUED:
        place = f"number {snapshot.queue_position} in" if snapshot.queue_position else "next in"
        st.info(f"Gradient check of the {label}: waiting for a free worker, {place} the queue.")
    else:
        done = snapshot.progress.get("nudged", 0)
        total = snapshot.progress.get("parameters", 1)
        st.progress(
            min(done / total, 1.0),
            text=f"Nudging the {label}: parameter {done:,} of {total:,} ({snapshot.seconds:.1f} s)",
        )
    if st.button("Stop the check", key="scratch_check_stop"):
        job.request_stop()


def checked_net(x_train: np.ndarray, info: DatasetInfo) -> tuple[TwoLayerNet | None, int]:
    """The net and batch size the student asks for, or None after saying why it is refused.

    Refused before the button, so a check that would take minutes never starts.
    """
    left, middle, right = st.columns(3)
    check_hidden_limit = (MAX_CHECK_PARAMETERS - len(info.class_names)) // (
        x_train[0].size + 1 + len(info.class_names)
    )
    check_hidden = left.number_input(
        f"Hidden units (at most {check_hidden_limit} here)",
        step=1,
        key="scratch_check_hidden",
        persist_state=KEEP,
    )
    most_examples = min(MAX_CHECK_EXAMPLES, len(x_train))
    check_examples = middle.number_input(
        f"Pictures in the batch (1 to {most_examples})",
        step=1,
        key="scratch_check_examples",
        persist_state=KEEP,
    )
    check_activation = right.selectbox(
        "Hidden activation", list(ACTIVATIONS), key="scratch_check_activation", persist_state=KEEP
    )
    try:
        if not 1 <= check_examples <= most_examples:
            raise ValueError(
                f"pictures in the batch must be 1 to {most_examples}, got {check_examples}"
            )
        candidate = TwoLayerNet(
            x_train[0].size,
            int(check_hidden),
            len(info.class_names),
            activation=check_activation,
            seed=0,
        )
        refuse_costly_check(candidate.parameter_count, check_examples)
    except ValueError as error:
        st.error(f"Cannot run the check: {error}")
        return None, check_examples
    return candidate, check_examples


def layer_sizes(net: TwoLayerNet) -> str:
    """'784-10-10': inputs, hidden units, classes."""
    (inputs, hidden), classes = net.params["W1"].shape, net.params["W2"].shape[1]
    return f"{inputs}-{hidden}-{classes}"


def render_cost(check_net: TwoLayerNet, check_x: np.ndarray, check_t: np.ndarray) -> None:
    """What the check will cost, said before it runs."""
    evaluations = picture_passes(check_net.parameter_count, 1)
    with threadpool_limits(limits=1, user_api="blas"):  # as the check runs on its worker
        estimate = estimate_numerical_seconds(check_net, check_x, check_t)
    st.caption(
        f"{check_net.parameter_count:,} parameters → the numerical gradient computes the "
        f"loss of these {len(check_t)} pictures {evaluations:,} times: about "
        f"{estimate:.1f} s (one loss timed just now, times {evaluations:,}; longer while "
        f"the server is busy). At most "
        f"{MAX_CHECK_PARAMETERS:,} parameters and {MAX_CHECK_PICTURE_PASSES:,} "
        "pictures through the net (2 × parameters × pictures) per check."
    )


def render_check_result(check: dict) -> None:
    """Per parameter, how far the two gradients are apart; then how long each took."""
    result = check["result"]
    st.caption(f"Last check: {check['label']}.")
    st.dataframe(
        [
            {
                "parameter": row.parameter,
                "shape": " × ".join(map(str, row.shape)),
                "max |numerical − backprop|": row.max_abs_difference,
                "mean |numerical − backprop|": row.mean_abs_difference,
            }
            for row in result.differences
        ],
        hide_index=True,
        column_config={
            "max |numerical − backprop|": DIFFERENCE_FORMAT,
            "mean |numerical − backprop|": DIFFERENCE_FORMAT,
        },
    )
    worst = max(row.max_abs_difference for row in result.differences)
    if worst < 1e-7:
        st.success(
            f"Every difference is below 1e-7 (largest {worst:.1e}): backpropagation "
            "computes the same gradient as nudging."
        )
    else:
        st.warning(
            f"The largest difference is {worst:.1e}. With relu, a hidden unit whose sum "
            "a1 lies within h of 0 sits on the kink, where the numerical gradient averages "
            "the two slopes: try another batch size."
        )
    numerical_column, backprop_column, ratio_column = st.columns(3)
    numerical_column.metric("Numerical gradient", f"{result.numerical_seconds:.3f} s")
    backprop_column.metric(
        "Backpropagation",
        f"{result.backprop_seconds * 1000:.3f} ms",
        help=f"median of {result.repeats} runs",
    )
    ratio_column.metric("Numerical / backprop", f"{result.ratio:,.0f}×")
    st.caption(
        f"{result.parameter_count:,} parameters → {2 * result.parameter_count:,} loss "
        f"evaluations for the numerical gradient, measured on this server just now. "
        "Training takes thousands of gradients: only backpropagation makes that possible."
    )
