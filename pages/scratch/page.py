"""From scratch: a NumPy two-layer net, its gradient by nudging and by backpropagation."""

import math

import numpy as np
import streamlit as st

from core.data import DATASETS, OFFLINE_DEFAULT, DatasetError, load_dataset
from core.information import softmax
from core.jobs import FINISHED
from core.scratch import (
    ACTIVATIONS,
    LOG_EPSILON,
    MAX_CHECK_PARAMETERS,
    MAX_CHECK_PICTURE_PASSES,
    MAX_HIDDEN_SIZE,
    MAX_ITERATIONS,
    SIMPLE_INPUT,
    SIMPLE_TARGET,
    TUTORIAL_TEST_ACCURACY,
    SimpleNet,
    TrainConfig,
    TwoLayerNet,
    estimate_numerical_seconds,
    flatten_images,
    forward_steps,
    gradient_check,
    picture_passes,
    refuse_costly_check,
    weight_mosaic,
)
from dashboard.job_watchdog import server_setting_problems
from dashboard.url_state import KEEP, seed_from_url, write_to_url
from pages.scratch.figures import (
    accuracy_figure,
    loss_figure,
    picture_figure,
    probabilities_figure,
    weights_figure,
)
from pages.scratch.latex import latex_matrix
from pages.scratch.training import single_threaded_blas, start_training, tutorial_table

MAX_CHECK_EXAMPLES = 100  # pictures in the check's batch, whatever the net
JOB_KEY, TRAINED_KEY, CHECK_KEY = "scratch_job", "scratch_trained", "scratch_check"

DEFAULTS = {
    "scratch_dataset": "mnist",
    "scratch_example": 0,
    "scratch_check_hidden": 10,
    "scratch_check_examples": 3,
    "scratch_check_activation": "sigmoid",
    "scratch_hidden": 50,
    "scratch_activation": "sigmoid",
    "scratch_learning_rate": 0.1,
    "scratch_batch": 100,
    "scratch_iterations": 10_000,
    "scratch_weight_scale": 0.01,
}

st.title("From scratch: backpropagation vs the numerical gradient")
st.markdown(
    "A two-layer network written in plain NumPy. Its gradient is computed twice: by "
    "**nudging** every weight up and down (slow, but obviously right) and by "
    "**backpropagation** (the chain rule, fast). Both agree; only one is usable for training."
)

for problem in seed_from_url(DEFAULTS, page="scratch"):
    st.warning(problem)
for key, default in DEFAULTS.items():
    value = st.session_state.setdefault(key, default)
    if isinstance(default, float) and not math.isfinite(value):  # "nan" parses as a float
        st.warning(f"Link value {key}={value} ignored: it must be a finite number.")
        st.session_state[key] = default
for key, choices in (
    ("scratch_dataset", DATASETS),
    ("scratch_activation", ACTIVATIONS),
    ("scratch_check_activation", ACTIVATIONS),
):
    if st.session_state[key] not in choices:  # a hand-edited link
        st.warning(
            f"Link value {key}={st.session_state[key]!r} ignored: choose one of "
            f"{', '.join(choices)}."
        )
        st.session_state[key] = DEFAULTS[key]

dataset_name = st.columns([1, 2])[0].selectbox(
    "Data set",
    list(DATASETS),
    format_func=lambda name: DATASETS[name].title,
    key="scratch_dataset",
    persist_state=KEEP,
)
try:
    (x_train, y_train), (x_test, y_test), info = load_dataset(dataset_name)
except DatasetError as error:
    st.error(f"{error}")
    st.info(f"Choose '{DATASETS[OFFLINE_DEFAULT].title}' above: it needs no download.")
    write_to_url(DEFAULTS)
    st.stop()

trained = st.session_state.get(TRAINED_KEY)
forward_tab, check_tab, train_tab, weights_tab = st.tabs(
    ["1 · Forward pass", "2 · Gradient check", "3 · Train", "4 · Hidden weights"]
)

# --- 1. forward pass ------------------------------------------------------------------------
with forward_tab:
    with st.expander("Warm-up: one layer, 2 inputs, 3 classes (the tutorial's simpleNet)"):
        simple = SimpleNet()
        scores = simple.predict(SIMPLE_INPUT)
        st.markdown(
            "Before the two-layer net: a single layer with the tutorial's weights. "
            "Scores p = x W, probabilities softmax(p), loss −log of the true class's probability."
        )
        st.latex(
            rf"x = {latex_matrix(SIMPLE_INPUT)},\quad W = {latex_matrix(simple.W)},\quad "
            rf"t = {latex_matrix(SIMPLE_TARGET, 0)}"
        )
        st.latex(
            rf"p = xW = {latex_matrix(scores)},\quad "
            rf"\operatorname{{softmax}}(p) = {latex_matrix(softmax(scores))},\quad "
            rf"L = {simple.loss(SIMPLE_INPUT, SIMPLE_TARGET):.4f}"
        )
        st.latex(
            r"\frac{\partial L}{\partial W} \approx \frac{L(W + h) - L(W - h)}{2h} = "
            + latex_matrix(simple.numerical_gradient(SIMPLE_INPUT, SIMPLE_TARGET))
        )
        st.latex(
            r"\frac{\partial L}{\partial W} = x^{\top}(\operatorname{softmax}(p) - t) = "
            + latex_matrix(simple.gradient(SIMPLE_INPUT, SIMPLE_TARGET))
        )
        st.caption(
            "First line: 12 loss evaluations, nudging each of the 6 weights by h = 0.0001 both "
            "ways. Second: the chain rule in one line. Same numbers: that is backpropagation in "
            "miniature."
        )

    if trained is not None and trained["dataset"] == dataset_name:
        net = trained["net"]
        st.caption(f"The net you trained: {trained['label']}.")
    else:
        net = TwoLayerNet(x_train[0].size, 50, len(info.class_names), seed=0)
        st.caption(
            "An untrained 784-50-10 net (weights ~ 0.01 · N(0, 1)): every probability is near "
            "1/10. Train one in tab 3 and it appears here."
        )
    example = st.columns([1, 3])[0].number_input(
        f"Test picture (0 to {len(x_test) - 1})", step=1, key="scratch_example", persist_state=KEEP
    )
    try:
        if not 0 <= example < len(x_test):
            raise ValueError(f"picture {example} does not exist: choose 0 to {len(x_test) - 1}")
        steps, arrays = forward_steps(net, flatten_images(x_test[example : example + 1]))
    except (ValueError, ArithmeticError) as error:  # a net with overflowing weights, too
        st.error(f"Cannot show the forward pass: {error}.")
    else:
        true_class = int(y_test[example])
        probabilities = arrays["y"][0]
        st.latex(
            r"a_1 = x W_1 + b_1,\quad z_1 = h(a_1),\quad a_2 = z_1 W_2 + b_2,\quad "
            r"y = \operatorname{softmax}(a_2),\quad L = -\log y_{\text{true}}"
        )
        st.latex(rf"\text{{hidden activation }} h:\quad {ACTIVATIONS[net.activation_name].formula}")
        picture, table = st.columns([1, 2])
        picture.plotly_chart(
            picture_figure(
                x_test[example], f"x: picture {example}, label {info.class_names[true_class]}"
            )
        )
        table.dataframe(
            [
                {
                    "array": step.name,
                    "shape": " × ".join(map(str, step.shape)),
                    "computed as": step.formula,
                    "what it is": step.meaning,
                }
                for step in steps
            ],
            hide_index=True,
        )
        chart, summary = st.columns([2, 1])
        chart.plotly_chart(probabilities_figure(probabilities, info.class_names, true_class))
        summary.metric("Predicted class", info.class_names[int(probabilities.argmax())])
        summary.metric(
            "Loss for this picture, −log y[true]",
            f"{-np.log(probabilities[true_class] + LOG_EPSILON):.4f}",
        )

# --- 2. gradient check --------------------------------------------------------------------------
with check_tab:
    st.markdown(
        "The numerical gradient computes the loss twice **per parameter**: "
        "(L(w + h) − L(w − h)) / 2h with h = 0.0001. Backpropagation gets all of them from "
        "one forward and one backward pass. The tutorial checks a 784-50-10 net on 3 pictures."
    )
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
    check_net = None
    try:  # refused before the button, so a check that would take minutes never starts
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
        check_net = candidate
    except ValueError as error:
        st.error(f"Cannot run the check: {error}")
    else:
        check_x, check_t = flatten_images(x_train[:check_examples]), y_train[:check_examples]
        evaluations = picture_passes(check_net.parameter_count, 1)
        with single_threaded_blas():  # as the check runs
            estimate = estimate_numerical_seconds(check_net, check_x, check_t)
        st.caption(
            f"{check_net.parameter_count:,} parameters → the numerical gradient computes the "
            f"loss of these {check_examples} pictures {evaluations:,} times: about "
            f"{estimate:.1f} s (one loss timed just now, times {evaluations:,}; longer while "
            f"the server is busy). At most "
            f"{MAX_CHECK_PARAMETERS:,} parameters and {MAX_CHECK_PICTURE_PASSES:,} "
            "pictures through the net (2 × parameters × pictures) per check."
        )
    run_check = st.button(
        "Run the gradient check",
        type="primary",
        disabled=check_net is None,
        key="scratch_check_run",
    )
    if run_check and check_net is not None:
        nudging = (
            f"Nudging {check_net.parameter_count:,} parameters twice each (about {estimate:.1f} s)…"
        )
        # thousands of tiny products: a second BLAS thread would only spin
        with st.spinner(nudging), single_threaded_blas():
            result = gradient_check(
                check_net,
                check_x,
                check_t,
                max_parameters=MAX_CHECK_PARAMETERS,
                max_picture_passes=MAX_CHECK_PICTURE_PASSES,
            )
        st.session_state[CHECK_KEY] = {
            "result": result,
            "label": f"{x_train[0].size}-{check_hidden}-{len(info.class_names)} "
            f"{check_activation} net, first {check_examples} training pictures of "
            f"{info.title}",
        }
    check = st.session_state.get(CHECK_KEY)
    if check is None:
        st.info("Press the button to compute both gradients of the same batch.")
    else:
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
                "max |numerical − backprop|": st.column_config.NumberColumn(format="%.2e"),
                "mean |numerical − backprop|": st.column_config.NumberColumn(format="%.2e"),
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

# --- 3. train -------------------------------------------------------------------------------
with train_tab:
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
        f"Batch size (1 to {len(x_train):,})", step=10, key="scratch_batch", persist_state=KEEP
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
    config = TrainConfig(
        hidden_size=int(st.session_state["scratch_hidden"]),
        activation=st.session_state["scratch_activation"],
        learning_rate=float(st.session_state["scratch_learning_rate"]),
        batch_size=int(st.session_state["scratch_batch"]),
        iterations=int(st.session_state["scratch_iterations"]),
        weight_init_std=float(st.session_state["scratch_weight_scale"]),
    )
    for problem in server_setting_problems():
        st.warning(problem)
    job = st.session_state.get(JOB_KEY)
    running = job is not None and not job.finished
    if st.button("Start training", type="primary", disabled=running, key="scratch_train_start"):
        try:
            config.validate(len(x_train))
        except ValueError as error:
            st.error(f"Cannot train: {error}")
        else:
            run = st.session_state.get("scratch_runs", 0) + 1
            st.session_state["scratch_runs"] = run
            label = (
                f"run {run} · 784-{config.hidden_size}-10 {config.activation}, "
                f"learning rate {config.learning_rate:g}, batch {config.batch_size} on {info.title}"
            )
            job = start_training(config, (x_train, y_train), (x_test, y_test), label)
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
            st.info(f"{meta['label']}: waiting, number {snapshot.queue_position} in the queue.")
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
            if result is not None and result.iterations > 0:
                st.session_state[TRAINED_KEY] = {
                    "net": result.net,
                    "dataset": meta["dataset"],
                    "label": f"{meta['label']}, test accuracy {result.test_accuracy:.4f}",
                }
            st.rerun()  # the other tabs now show the new weights; polling stops

    training_panel()

# --- 4. hidden weights -------------------------------------------------------------------------
with weights_tab:
    if trained is None:
        st.info("Train a net in tab 3: its hidden units' weights will be drawn here.")
    else:
        W1 = trained["net"].params["W1"]
        mosaic, shown = weight_mosaic(W1, columns=10)
        st.caption(
            f"{trained['label']}. Each tile is one hidden unit's 784 input weights as a 28×28 "
            f"picture (each tile scaled to its own largest weight); showing {shown} of "
            f"{W1.shape[1]} units."
        )
        st.plotly_chart(weights_figure(mosaic))

write_to_url(DEFAULTS)
