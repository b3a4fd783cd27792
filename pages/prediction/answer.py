"""The output panel: the model's top answers, every class's probability, entropy and loss."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.metrics import cross_entropy, entropy
from core.model_check import class_probabilities, top_classes
from core.preprocess import Preprocessed, drawing_warnings
from pages.prediction.figures import probability_figure
from pages.prediction.inputs import InputImage
from pages.prediction.links import information_lab_link
from pages.prediction.models import ActiveModel

HINTS = {
    "draw": "Draw a digit on the black canvas: the prediction appears as soon as you lift the pen.",
    "upload": "Upload a PNG or JPEG of one handwritten digit (or one garment).",
    "pick": "Pick a test image.",
}


def render_answer(
    kind: str,
    image: InputImage | None,
    processed: Preprocessed | None,
    model: ActiveModel | None,
    true_label: int | None,
) -> None:
    """What to do next while there is nothing to predict; else the model's answer."""
    if image is None:
        st.info(HINTS[kind])
    elif processed.empty:
        st.warning(f"{processed.message} {HINTS[kind] if kind == 'draw' else ''}".strip())
    elif model is None:
        if image.true_name is not None:
            st.metric("True label", image.true_name)
            st.caption(image.description)
        st.info("Choose or train a model above to see what it predicts for this image.")
    else:
        if kind == "draw":  # the answer is shown all the same, with why not to trust it
            for warning in drawing_warnings(processed.stages[1].image):
                st.warning(warning, icon=":material/draw:")
        p = class_probabilities(model.checked, processed.model_input)
        st.caption(f"{model.label} on {image.description}")
        render_probabilities(p, model.class_names, true_label)
        render_entropy_and_loss(p, model, true_label)


def render_probabilities(
    p: np.ndarray, class_names: tuple[str, ...], true_label: int | None
) -> None:
    """The three likeliest classes, then a bar for every class."""
    for column, (rank, (label, probability)) in zip(
        st.columns(3), enumerate(top_classes(p, 3), start=1)
    ):
        column.metric(
            f"#{rank}",
            class_names[label],
            f"{probability:.1%}",
            delta_color="off",
            delta_arrow="off",
        )
    st.plotly_chart(
        probability_figure(p, class_names, true_label),
        key="prediction_probabilities",
        config={"displayModeBar": False},
    )


def render_entropy_and_loss(p: np.ndarray, model: ActiveModel, true_label: int | None) -> None:
    """How unsure the answer is, and (once the true class is known) what training would pay."""
    class_names = model.class_names
    entropy_column, loss_column = st.columns(2)
    entropy_column.metric(
        "Entropy of the answer",
        f"{entropy(p, base=2):.2f} bits",
        help="0 bits: certain. log2(10) = 3.32 bits: a blind guess among 10 classes.",
    )
    if true_label is None:
        loss_column.caption("Say what you drew (I meant …) to see this example's loss.")
        return
    loss_column.metric(
        f"Loss of this example, −ln p({class_names[true_label]})",
        f"{cross_entropy(p[None], [true_label]):.3f} nats",
        help="The cross-entropy training would add for this one image, in nats as Keras reports it.",
    )
    loss_column.caption(
        f"= {cross_entropy(p[None], [true_label], base=2):.3f} bits, the entropy's unit"
    )
    information_lab_link(p, true_label, model.dataset)
