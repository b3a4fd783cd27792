"""Data explorer: what the images and labels a model learns from look like, as tensors."""

from __future__ import annotations

from dataclasses import dataclass
from threading import Lock

import numpy as np
import pandas as pd
import streamlit as st

from core.data import DATASETS, DatasetError, how_to_get, load_dataset, show_server_paths
from core.training import scale_images
from pages.training.figures import class_counts_figure, enlarge


def tensor_facts(images: np.ndarray) -> pd.DataFrame:
    """Shape, dtype, rank and value range of the raw, scaled and flattened training images."""
    scaled = scale_images(images[:1000])  # the range is the same; no need to copy 60 000
    steps = [
        ("as loaded", images.shape, images.dtype, images.min(), images.max()),
        ("divided by 255", images.shape, scaled.dtype, scaled.min(), scaled.max()),
        (
            "flattened for a dense layer",
            (len(images), images.shape[1] * images.shape[2]),
            scaled.dtype,
            scaled.min(),
            scaled.max(),
        ),
    ]
    return pd.DataFrame(
        [
            {
                "step": step,
                "shape": str(tuple(int(size) for size in shape)),
                "dtype": str(dtype),
                "ndim (rank)": len(shape),
                "min": float(low),
                "max": float(high),
            }
            for step, shape, dtype, low, high in steps
        ]
    )


SAMPLE_SIZE = 20  # images in the explorer's sample


def mean_images(images: np.ndarray, labels: np.ndarray, classes: int) -> list[np.ndarray]:
    """Each class's mean image; black for a class the data set holds no image of."""
    means = []
    for k in range(classes):
        members = images[labels == k]
        blank = np.zeros(images.shape[1:], dtype=np.uint8)
        means.append(members.mean(axis=0).astype(np.uint8) if len(members) else blank)
    return means


@dataclass(frozen=True)
class Overview:
    """What the explorer shows of a whole training split, worked out once per process."""

    facts: pd.DataFrame
    counts: np.ndarray
    mean_pictures: list[np.ndarray]  # enlarged, one per class


# data set -> (its training images, their overview): a whole-split pass (the class means
# over 60 000 images) took 9 of every 10 ms of the studio's rerun, on every student's click
_overviews: dict[str, tuple[np.ndarray, Overview]] = {}
_overviews_lock = Lock()


def overview(dataset: str, images: np.ndarray, labels: np.ndarray, classes: int) -> Overview:
    with _overviews_lock:
        kept = _overviews.get(dataset)
    if kept is not None and kept[0] is images:  # the data set's cached load: same images
        return kept[1]
    counts = np.bincount(labels, minlength=classes)
    found = Overview(
        tensor_facts(images), counts, [enlarge(m) for m in mean_images(images, labels, classes)]
    )
    with _overviews_lock:
        _overviews[dataset] = (images, found)  # a reloaded data set replaces the old one
    return found


def explorer_view(dataset: str) -> None:
    spec = DATASETS[dataset]
    try:
        (x_train, y_train), (x_test, _), info = load_dataset(dataset)
    except DatasetError as error:
        st.error(f"{spec.title} cannot be loaded: {error}")
        st.info(f"To get it: {how_to_get(spec)}")
        return
    names = info.class_names
    st.caption(
        f"{spec.title}: {len(x_train):,} training and {len(x_test):,} test images, "
        f"loaded from {info.source.label}"
        # the server's folders are for whoever runs it, not the class (DASHBOARD_SHOW_PATHS)
        + (f" ({info.source.location})." if show_server_paths() else ".")
    )
    if len(x_train) == 0:
        st.info(f"{spec.title} has no training images on this server: nothing to show.")
        return
    summary = overview(dataset, x_train, y_train, len(names))
    seed = st.columns([1, 4])[0].number_input(
        "Sample seed", 0, 10_000, 0, key="train_explorer_seed"
    )
    shown = min(SAMPLE_SIZE, len(x_train))  # a small data set shows all it has
    chosen = np.random.default_rng(int(seed)).choice(len(x_train), size=shown, replace=False)
    st.image(
        [enlarge(x_train[index]) for index in chosen],
        caption=[f"{y_train[index]}: {names[y_train[index]]}" for index in chosen],
        width=84,
        alt=[f"a training image of class {names[y_train[index]]}" for index in chosen],
    )
    left, right = st.columns([1, 2])
    with left:
        st.header("Labels")
        st.dataframe(pd.DataFrame({"label": range(len(names)), "class": names}), hide_index=True)
    with right:
        st.header("The images as tensors")
        st.dataframe(summary.facts, hide_index=True)
        st.caption(
            "Pixels arrive as whole numbers 0…255; models here read floats 0…1. "
            "A dense layer sees each image as one row of 784 numbers; a CNN keeps 28x28."
        )
    st.header("Images per class")
    st.plotly_chart(class_counts_figure(summary.counts, names), key="train_class_counts")
    st.header("The mean image of each class")
    st.image(
        summary.mean_pictures,
        caption=[
            name if count else f"{name} (no images)" for name, count in zip(names, summary.counts)
        ],
        width=84,
        alt=[f"the mean image of class {name}" for name in names],
    )
