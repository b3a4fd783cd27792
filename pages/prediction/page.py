"""Prediction: draw, upload or pick an image; see the 28x28 input the model gets and how sure it is."""

import streamlit as st

from core.data import DATASETS
from core.metrics import cross_entropy, entropy
from core.model_check import class_probabilities, model_accuracy, top_classes
from core.preprocess import INVERT_CHOICES, PreprocessOptions, from_dataset_image, preprocess
from dashboard.session_models import find_session_model
from dashboard.url_state import KEEP, seed_from_url, write_to_url
from pages.prediction.figures import framed, probability_figure
from pages.prediction.inputs import (
    DATASET_KEY,
    INDEX_KEY,
    INPUT_KEY,
    INPUT_WIDGETS,
    INPUTS,
    kept_choice,
    render_drawing,
    render_photo,
    render_pick,
    set_first_values,
)
from pages.prediction.links import information_lab_link
from pages.prediction.models import render_model_source, select_session_model
from pages.prediction.testset import MAX_DRAWINGS, add_drawing, as_arrays, drawings, npz_bytes
from pages.training.state import collect_finished

URL_DEFAULTS = {INPUT_KEY: "draw", DATASET_KEY: "mnist", INDEX_KEY: 0}
INTENDED_KEY = "prediction_intended"
STEP_WIDGETS = {  # the preprocessing switches, hidden while a test image is picked
    "prediction_crop": True,
    "prediction_fit": True,
    "prediction_centre": True,
    "prediction_scale": True,
    "prediction_invert": "auto",
}
HINTS = {
    "draw": "Draw a digit on the black canvas: the prediction appears as soon as you lift the pen.",
    "upload": "Upload a PNG or JPEG of one handwritten digit (or one garment).",
    "pick": "Pick a test image.",
}

st.title("Prediction")
st.markdown(
    "A model never sees your drawing: it sees **28 x 28 numbers**. Draw, upload or pick an "
    "image, look at every step that turns it into those numbers, and see how sure the model is."
)
arrived = collect_finished()  # a studio run that ended while the student was on this page
if arrived is not None and find_session_model(arrived.label) is not None:
    select_session_model(arrived.label)
    st.toast(f"{arrived.label} finished training: predictions now use its model.")
for problem in seed_from_url(URL_DEFAULTS, page="prediction"):
    st.warning(problem)
if st.session_state.get(INPUT_KEY) not in INPUTS:
    st.warning(f"Unknown input {st.session_state.get(INPUT_KEY)!r} in the link: showing Draw.")
    st.session_state[INPUT_KEY] = "draw"
if st.session_state.get(DATASET_KEY) not in DATASETS:
    st.warning(f"Unknown data set {st.session_state.get(DATASET_KEY)!r} in the link: using MNIST.")
    st.session_state[DATASET_KEY] = "mnist"
set_first_values({**INPUT_WIDGETS, **STEP_WIDGETS, INTENDED_KEY: None})

st.subheader("1 · The model")
model = render_model_source()
class_names = model.class_names if model is not None else DATASETS["mnist"].class_names

st.subheader("2 · The image and the answer")
input_column, output_column = st.columns([1, 1.25], gap="large")
with input_column:
    kind = kept_choice("Image", INPUTS, INPUT_KEY)
    if kind == "draw":
        image = render_drawing()
    elif kind == "upload":
        image = render_photo()
    else:
        image = render_pick(model.dataset if model is not None else None)
    true_label = image.true_label if image is not None else None
    if kind != "pick":
        intended = st.selectbox(
            "I meant",
            range(len(class_names)),
            index=None,  # None until the student says; the clear button goes back to it
            format_func=lambda label: class_names[label],
            placeholder="— (say what you drew)",
            key=INTENDED_KEY,
            persist_state=KEEP,
        )
        true_label = intended
output_area = output_column.container()

st.subheader("3 · What the model sees")
if kind == "pick":
    options = PreprocessOptions()
    st.caption("A test image is already normalised (28 x 28, centred, 20 px): it goes in as it is.")
else:
    st.caption(
        "MNIST's own recipe: find the ink, crop to it, scale its longest side to 20 px, "
        "centre its centre of mass in 28 x 28, scale to 0..1. Switch a step off to see why "
        "a small or off-centre drawing fails."
    )
    columns = st.columns(5)
    options = PreprocessOptions(
        crop=columns[0].toggle("Crop to the ink", key="prediction_crop", persist_state=KEEP),
        fit_to_20=columns[1].toggle("Longest side 20 px", key="prediction_fit", persist_state=KEEP),
        centre_of_mass=columns[2].toggle(
            "Centre of mass", key="prediction_centre", persist_state=KEEP
        ),
        scale_to_unit=columns[3].toggle(
            "Scale to 0..1", key="prediction_scale", persist_state=KEEP
        ),
        invert=columns[4].selectbox(
            "Invert dark ink",
            INVERT_CHOICES,
            format_func={"auto": "automatically", "always": "always", "never": "never"}.get,
            key="prediction_invert",
            persist_state=KEEP,
        ),
    )

processed = None
if image is not None:
    processed = (
        from_dataset_image(image.dataset_image)
        if image.dataset_image is not None
        else preprocess(image.gray, options)
    )
    stage_columns = st.columns(max(len(processed.stages), 3))
    for column, stage in zip(stage_columns, processed.stages):
        column.image(framed(stage.image), width=140)
        column.caption(f"**{stage.name}**: {stage.note}")
    if processed.inverted:
        st.caption(
            "The paper was lighter than the ink, so the image was inverted: MNIST is white on black."
        )

with output_area:
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
        p = class_probabilities(model.checked, processed.model_input)
        st.caption(f"{model.label} on {image.description}")
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
        entropy_column, loss_column = st.columns(2)
        entropy_column.metric(
            "Entropy of the answer",
            f"{entropy(p, base=2):.2f} bits",
            help="0 bits: certain. log2(10) = 3.32 bits: a blind guess among 10 classes.",
        )
        if true_label is not None:
            loss_column.metric(
                f"Loss of this example, −ln p({class_names[true_label]})",
                f"{cross_entropy(p[None], [true_label]):.3f} nats",
                help="The cross-entropy training would add for this one image, in nats as Keras reports it.",
            )
            loss_column.caption(
                f"= {cross_entropy(p[None], [true_label], base=2):.3f} bits, the entropy's unit"
            )
            information_lab_link(p, true_label, model.dataset)
        else:
            loss_column.caption("Say what you drew (I meant …) to see this example's loss.")

if kind != "pick":
    st.subheader("4 · Your class test set")
    saved = drawings()
    usable = processed is not None and not processed.empty and true_label is not None
    st.caption(
        "Save drawings with the label you meant; see how the model does on your class's "
        "handwriting next to its score on MNIST's test set. Saved as the model input "
        "(28 x 28, 0..255)."
    )
    if st.button(
        f"Add to my test set as {class_names[true_label]}" if usable else "Add to my test set",
        disabled=not usable,
        help=None if usable else "Draw something and choose what you meant first.",
        icon=":material/add_photo_alternate:",
    ):
        if add_drawing(processed.model_input / (1 if options.scale_to_unit else 255), true_label):
            saved = drawings()
        else:
            st.warning(f"The set is full ({MAX_DRAWINGS} drawings): download it and empty it.")
    images, labels = as_arrays(saved)
    if len(labels):
        counts = ", ".join(
            f"{class_names[label]}: {count}"
            for label, count in enumerate(
                [int((labels == label).sum()) for label in range(len(class_names))]
            )
            if count
        )
        st.write(f"**{len(labels)}** saved ({counts}).")
        if model is not None:
            own, reference = st.columns(2)
            own.metric(
                "Accuracy on your drawings", f"{model_accuracy(model.checked, images, labels):.0%}"
            )
            if model.test_accuracy is not None:
                reference.metric(
                    f"On the {DATASETS[model.dataset].title} test set", f"{model.test_accuracy:.1%}"
                )
        download, empty = st.columns(2)
        download.download_button(
            "Download as .npz",
            npz_bytes(images, labels),
            file_name="my_class_test_set.npz",
            mime="application/octet-stream",
            icon=":material/download:",
            help='np.load(file)["x_test"] are the images, ["y_test"] the labels.',
        )
        if empty.button("Empty my test set", icon=":material/delete:"):
            saved.clear()
            st.rerun()

write_to_url(URL_DEFAULTS)
