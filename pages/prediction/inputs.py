"""The three ways to give the model an image: draw it, upload a photo, or pick a test image."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from core.data import DATASETS, DatasetError, load_dataset
from core.preprocess import ImageError, grayscale_from_rgba, load_photo
from dashboard.settings import KEEP
from pages.prediction.settings import (
    BRUSH_KEY,
    DATASET_KEY,
    INDEX_KEY,
    INPUT_KEY,
    INPUTS,
    MAX_BRUSH,
    MIN_BRUSH,
    PICK_CLASS_KEY,
    SETTINGS,
)

CANVAS_RGBA_KEY = (
    "prediction_canvas_rgba"  # last RGBA image the canvas sent; tests put drawings here
)
CANVAS_VERSION_KEY = "prediction_canvas_version"  # Clear bumps it: a new key mounts an empty canvas
CANVAS_DRAWING_KEY = "prediction_canvas_drawing"  # the strokes (Fabric.js JSON) of that image
CANVAS_MOUNT_KEY = "prediction_canvas_mount"  # strokes given to the canvas when it (re)appeared
PHOTO_KEY = "prediction_photo"  # (file_id, name, core.preprocess.Photo) of the last good photo
PHOTO_ERROR_KEY = "prediction_photo_error"  # (file_id, message) of the last one that did not
CANVAS_SIDE = 280  # 10x the model's 28 px, big enough to draw with a mouse
INTENDED_KEY = "prediction_intended"  # the class the student says they drew; None until then


def kept_choice(label: str, titles: dict[str, str], key: str, on_change=None) -> str:
    """Segmented buttons over a name -> title table; one is always chosen, and it is kept."""
    return st.segmented_control(
        label,
        list(titles),
        format_func=titles.get,
        key=key,
        required=True,
        persist_state=KEEP,
        on_change=on_change,
    )


@dataclass(frozen=True)
class InputImage:
    kind: str  # "drawing", "photo" or "test image"
    gray: np.ndarray | None  # brightness in [0, 1] that still needs preprocessing
    dataset_image: np.ndarray | None  # uint8 (28, 28) test image, already MNIST-normalised
    true_label: int | None  # known for test images
    description: str  # one line for the student
    true_name: str | None = None  # the true label's class name, in the image's own data set
    shrunk_from: tuple[int, int] | None = None  # a photo's (width, height) before shrinking


def render_drawing() -> InputImage | None:
    """A white-on-black canvas; its RGBA image is kept in session_state after every stroke."""
    from streamlit_drawable_canvas import st_canvas  # registers a component: page runs only

    version = st.session_state.setdefault(CANVAS_VERSION_KEY, 0)
    brush = st.session_state.get(BRUSH_KEY, SETTINGS[BRUSH_KEY].default)  # slider is below
    st.caption("Draw one digit, big and in the middle. Undo and reset are in the canvas toolbar.")
    st.space("medium")  # room for the canvas toolbar, which floats above the canvas
    canvas_key = f"prediction_canvas_{version}"
    if canvas_key not in st.session_state:  # (re)mounted, e.g. back from another page:
        st.session_state[CANVAS_MOUNT_KEY] = st.session_state.get(CANVAS_DRAWING_KEY)  # redraw
    result = st_canvas(
        initial_drawing=st.session_state.get(CANVAS_MOUNT_KEY),
        stroke_width=brush,
        stroke_color="#FFFFFF",
        background_color="#000000",
        height=CANVAS_SIDE,
        width=CANVAS_SIDE,
        drawing_mode="freedraw",
        return_image_data=True,
        update_streamlit=True,
        key=canvas_key,
    )
    if result.image_data is not None:  # None until the canvas sends its first stroke
        st.session_state[CANVAS_RGBA_KEY] = result.image_data
        st.session_state[CANVAS_DRAWING_KEY] = result.json_data
    slider_column, button_column = st.columns([2, 1], vertical_alignment="bottom")
    slider_column.slider("Brush width", MIN_BRUSH, MAX_BRUSH, key=BRUSH_KEY, persist_state=KEEP)
    if button_column.button("Clear", icon=":material/ink_eraser:", width="stretch"):
        st.session_state[CANVAS_VERSION_KEY] = version + 1
        for key in (CANVAS_RGBA_KEY, CANVAS_DRAWING_KEY, CANVAS_MOUNT_KEY):
            st.session_state[key] = None
        st.rerun()
    rgba = st.session_state.get(CANVAS_RGBA_KEY)
    if rgba is None:
        return None
    return InputImage("drawing", grayscale_from_rgba(rgba), None, None, "your drawing")


def render_photo() -> InputImage | None:
    """PNG or JPEG of any size; a file that fails keeps the last good photo on screen."""
    upload = st.file_uploader(
        "A photo or scan of one digit or garment (PNG or JPEG)",
        type=["png", "jpg", "jpeg"],
        key="prediction_photo_file",
    )
    photo = st.session_state.get(PHOTO_KEY)
    if upload is not None and (photo is None or photo[0] != upload.file_id):
        refused = st.session_state.get(PHOTO_ERROR_KEY)
        if refused is None or refused[0] != upload.file_id:  # decode each file once
            try:
                photo = (upload.file_id, upload.name, load_photo(upload.getvalue()))
                st.session_state[PHOTO_KEY] = photo
                st.session_state.pop(PHOTO_ERROR_KEY, None)
            except ImageError as error:
                st.session_state[PHOTO_ERROR_KEY] = (upload.file_id, str(error))
    refused = st.session_state.get(PHOTO_ERROR_KEY)
    if upload is not None and refused is not None and refused[0] == upload.file_id:
        kept = f" Still showing {photo[1]}." if photo is not None else ""
        st.error(f"{upload.name} cannot be read: {refused[1]}.{kept}")
    if upload is None:
        return None
    if photo is None:
        return None
    _, name, loaded = photo
    if loaded.shrunk:
        (width, height), shape = loaded.original_size, loaded.gray.shape
        st.caption(
            f"{name} is {width} x {height} px: shrunk to {shape[1]} x {shape[0]} px to work on "
            "(the model sees 28 x 28 in the end)."
        )
    return InputImage("photo", loaded.gray, None, None, name, shrunk_from=loaded.original_size)


NO_IMAGE_KEY = "prediction_pick_no_image"  # a class asked for that the test set lacks


def _random_index(labels: np.ndarray, wanted_class: int | None) -> None:
    """Button callback: runs before the number input is drawn, so it may set its value."""
    rng = np.random.default_rng()
    candidates = (
        np.arange(len(labels)) if wanted_class is None else np.flatnonzero(labels == wanted_class)
    )
    if len(candidates) == 0:  # a small test set may hold no image of a class
        st.session_state[NO_IMAGE_KEY] = wanted_class
        return
    st.session_state[INDEX_KEY] = int(rng.choice(candidates))


def render_pick(model_dataset: str | None) -> InputImage | None:
    """A test image by index, at random, or at random from one class.

    Only data sets with the model's classes are offered: a Fashion-MNIST test image
    labelled "Bag" means nothing to a digit model, and its label would be a wrong number.
    """
    choices = [
        name
        for name, spec in DATASETS.items()
        if model_dataset is None or spec.class_names == DATASETS[model_dataset].class_names
    ]
    if st.session_state.get(DATASET_KEY) not in choices:
        st.session_state[DATASET_KEY] = model_dataset if model_dataset in choices else choices[0]
    dataset = st.selectbox(
        "Test images from",
        choices,
        format_func=lambda name: DATASETS[name].title,
        key=DATASET_KEY,
        persist_state=KEEP,
    )
    try:
        _, (x_test, y_test), info = load_dataset(dataset)
    except DatasetError as error:
        st.error(f"{error} Choose Digits (offline), which needs no download.")
        return None
    if len(x_test) == 0:
        st.info(f"{info.title} has no test images on this server: draw or upload an image.")
        return None
    if not 0 <= st.session_state.get(INDEX_KEY, 0) < len(x_test):
        st.warning(
            f"Test image {st.session_state[INDEX_KEY]} does not exist: {info.title} has "
            f"{len(x_test):,} test images, numbered 0 to {len(x_test) - 1:,}. Showing image 0."
        )
        st.session_state[INDEX_KEY] = 0
    index = st.number_input(
        f"Test image number (0 to {len(x_test) - 1:,})",
        min_value=0,
        max_value=len(x_test) - 1,
        step=1,
        key=INDEX_KEY,
        persist_state=KEEP,
    )
    wanted = st.selectbox(
        "Class",
        range(len(info.class_names)),
        format_func=lambda label: info.class_names[label],
        key=PICK_CLASS_KEY,
        persist_state=KEEP,
    )
    left, right = st.columns([1, 1.4])  # a row of their own: beside the class box, cut off
    left.button(
        "Random",
        icon=":material/casino:",
        on_click=_random_index,
        args=(y_test, None),
        width="stretch",
    )
    right.button(
        f"Random {info.class_names[wanted]}",
        on_click=_random_index,
        args=(y_test, wanted),
        width="stretch",
    )
    missing = st.session_state.pop(NO_IMAGE_KEY, None)
    if missing is not None:
        st.info(f"{info.title}'s test images hold no {info.class_names[missing]}: pick another.")
    label = int(y_test[index])
    description = f"{info.title} test image {index}, labelled {info.class_names[label]}"
    return InputImage(
        "test image", None, x_test[index], label, description, info.class_names[label]
    )


def render_image_input(
    model_dataset: str | None, class_names: tuple[str, ...]
) -> tuple[str, InputImage | None, int | None]:
    """The chosen way in and its widgets: (input, the image or None yet, its true label).

    A test image knows its label; for a drawing or a photo the student says what they meant.
    """
    kind = kept_choice("Image", INPUTS, INPUT_KEY)
    if kind == "pick":
        image = render_pick(model_dataset)
        return kind, image, image.true_label if image is not None else None
    image = render_drawing() if kind == "draw" else render_photo()
    st.session_state.setdefault(INTENDED_KEY, None)
    intended = st.selectbox(
        "I meant",
        range(len(class_names)),
        index=None,  # None until the student says; the clear button goes back to it
        format_func=lambda label: class_names[label],
        placeholder="— (say what you drew)",
        key=INTENDED_KEY,
        persist_state=KEEP,
    )
    return kind, image, intended
