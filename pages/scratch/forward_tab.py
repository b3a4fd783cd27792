"""Tab 1, the forward pass: the tutorial's one-layer warm-up, then one picture through the net."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.data import DatasetInfo
from core.information import softmax
from core.metrics import cross_entropy
from core.scratch import (
    ACTIVATIONS,
    LOG_EPSILON,
    SIMPLE_INPUT,
    SIMPLE_TARGET,
    SimpleNet,
    TwoLayerNet,
    flatten_images,
    forward_steps,
)
from dashboard.formula import formula
from dashboard.settings import KEEP
from pages.scratch.figures import picture_figure, probabilities_figure
from pages.scratch.latex import latex_matrix


def render_forward_tab(
    trained: dict | None,
    dataset_name: str,
    x_test: np.ndarray,
    y_test: np.ndarray,
    info: DatasetInfo,
) -> None:
    """The trained net when it fits this data set, else an untrained one, on one test picture."""
    render_warm_up()
    if trained is not None and trained["dataset"] == dataset_name:
        net = trained["net"]
        st.caption(f"The net you trained: {trained['label']}.")
    else:
        net = TwoLayerNet(x_test[0].size, 50, len(info.class_names), seed=0)
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
        true_class = int(y_test[example])
        # the tutorial's loss: −log(y + 1e-12), the same eps the net's own loss uses
        loss = cross_entropy(arrays["y"], [true_class], eps=LOG_EPSILON)
    except (ValueError, ArithmeticError) as error:  # a net with overflowing weights, too
        st.error(f"Cannot show the forward pass: {error}.")
        return
    probabilities = arrays["y"][0]
    formula(
        r"a_1 = x W_1 + b_1,\quad z_1 = h(a_1),\quad a_2 = z_1 W_2 + b_2,\quad "
        r"y = \operatorname{softmax}(a_2),\quad L = -\log y_{\text{true}}"
    )
    formula(rf"\text{{hidden activation }} h:\quad {ACTIVATIONS[net.activation_name].formula}")
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
    summary.metric("Loss for this picture, −log y[true]", f"{loss:.4f}")


def render_warm_up() -> None:
    """The tutorial's simpleNet: both gradients of a 2 x 3 weight matrix, in LaTeX."""
    with st.expander("Warm-up: one layer, 2 inputs, 3 classes (the tutorial's simpleNet)"):
        simple = SimpleNet()
        scores = simple.predict(SIMPLE_INPUT)
        st.markdown(
            "Before the two-layer net: a single layer with the tutorial's weights. "
            "Scores p = x W, probabilities softmax(p), loss −log of the true class's probability."
        )
        formula(
            rf"x = {latex_matrix(SIMPLE_INPUT)},\quad W = {latex_matrix(simple.W)},\quad "
            rf"t = {latex_matrix(SIMPLE_TARGET, 0)}"
        )
        formula(  # two lines: on one, 1280 px cut it off
            rf"p = xW = {latex_matrix(scores)},\quad "
            rf"\operatorname{{softmax}}(p) = {latex_matrix(softmax(scores))}"
        )
        formula(rf"L = {simple.loss(SIMPLE_INPUT, SIMPLE_TARGET):.4f}")
        formula(
            r"\frac{\partial L}{\partial W} \approx \frac{L(W + h) - L(W - h)}{2h} = "
            + latex_matrix(simple.numerical_gradient(SIMPLE_INPUT, SIMPLE_TARGET))
        )
        formula(
            r"\frac{\partial L}{\partial W} = x^{\top}(\operatorname{softmax}(p) - t) = "
            + latex_matrix(simple.gradient(SIMPLE_INPUT, SIMPLE_TARGET))
        )
        st.caption(
            "First line: 12 loss evaluations, nudging each of the 6 weights by h = 0.0001 both "
            "ways. Second: the chain rule in one line. Same numbers: that is backpropagation in "
            "miniature."
        )
