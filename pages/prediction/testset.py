"""A student's own class test set: drawings with the label they meant, kept in the session."""

from __future__ import annotations

import io

import numpy as np
import streamlit as st

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
