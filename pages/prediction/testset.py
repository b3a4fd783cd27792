"""Section 4, the student's own class test set: drawings with the label they meant, kept in
the session, scored by the model next to its score on the real test set, downloadable."""

from __future__ import annotations

import io

import numpy as np
import streamlit as st

from core.data import DATASETS
from core.model_check import model_accuracy
from core.preprocess import Preprocessed, PreprocessOptions
from dashboard.class_studio import send_drawing_button
from pages.prediction.models import ActiveModel

TESTSET_KEY = "prediction_class_test_set"  # list of (uint8 (28, 28) image, int label)
MAX_DRAWINGS = 500  # a session cannot fill the server's memory (500 x 784 B = 0.4 MB)


def drawings() -> list[tuple[np.ndarray, int]]:
    return st.session_state.setdefault(TESTSET_KEY, [])


def add_drawing(model_input: np.ndarray, label: int) -> bool:
    """Keep a 28x28 model input (values 0..1) as uint8; False when the set is full."""
    saved = drawings()
    if len(saved) >= MAX_DRAWINGS:
        return False
    image = (np.clip(model_input, 0, 1) * 255).round().astype(np.uint8)
    saved.append((image, int(label)))
    return True


def as_arrays(saved: list[tuple[np.ndarray, int]]) -> tuple[np.ndarray, np.ndarray]:
    """(N, 28, 28) uint8 images and (N,) int64 labels, shaped like core.data's test split."""
    if not saved:
        return np.zeros((0, 28, 28), dtype=np.uint8), np.zeros(0, dtype=np.int64)
    images = np.stack([image for image, _ in saved])
    labels = np.array([label for _, label in saved], dtype=np.int64)
    return images, labels


def npz_bytes(images: np.ndarray, labels: np.ndarray) -> bytes:
    """An .npz like keras' mnist.npz: np.load(f)["x_test"], np.load(f)["y_test"]."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, x_test=images, y_test=labels)
    return buffer.getvalue()


def render_class_test_set(
    processed: Preprocessed | None,
    true_label: int | None,
    options: PreprocessOptions,
    model: ActiveModel | None,
    class_names: tuple[str, ...],
) -> None:
    """Add the current drawing with its meant label; count, score, download or empty the set."""
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
    scale = 1 if options.scale_to_unit else 255  # the class gets the model input, 0..1
    send_drawing_button(processed.model_input / scale if usable else None, true_label)
    images, labels = as_arrays(saved)
    if not len(labels):
        return
    st.write(f"**{len(labels)}** saved ({class_counts(labels, class_names)}).")
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


def class_counts(labels: np.ndarray, class_names: tuple[str, ...]) -> str:
    """'1: 2, 7: 1': how many drawings of each class that has any."""
    counts = np.bincount(labels, minlength=len(class_names))
    return ", ".join(
        f"{class_names[label]}: {count}" for label, count in enumerate(counts) if count
    )
