"""Section 3, what the model sees: the preprocessing switches and each stage of the image."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core.preprocess import Preprocessed, PreprocessOptions, from_dataset_image, preprocess
from dashboard.settings import KEEP
from pages.prediction.figures import framed
from pages.prediction.inputs import InputImage
from pages.prediction.settings import (
    CENTRE_KEY,
    CROP_KEY,
    FIT_KEY,
    INVERT_KEY,
    INVERT_TITLES,
    SCALE_KEY,
    SETTINGS,
)


def render_preprocessing_switches(kind: str) -> PreprocessOptions:
    """MNIST's recipe, one switch per step; a picked test image needs none of it."""
    if kind == "pick":
        st.caption(
            "A test image is already normalised (28 x 28, centred, 20 px): it goes in as it is."
        )
        return PreprocessOptions()
    st.caption(
        "MNIST's own recipe: find the ink, crop to it, scale its longest side to 20 px, "
        "centre its centre of mass in 28 x 28, scale to 0..1. Switch a step off to see why "
        "a small or off-centre drawing fails."
    )
    crop, fit, centre, scale, invert = st.columns(5)

    def switch(column, key: str) -> bool:
        return column.toggle(SETTINGS[key].label.capitalize(), key=key, persist_state=KEEP)

    return PreprocessOptions(
        crop=switch(crop, CROP_KEY),
        fit_to_20=switch(fit, FIT_KEY),
        centre_of_mass=switch(centre, CENTRE_KEY),
        scale_to_unit=switch(scale, SCALE_KEY),
        invert=invert.selectbox(
            SETTINGS[INVERT_KEY].label.capitalize(),
            SETTINGS[INVERT_KEY].choices,
            format_func=INVERT_TITLES.get,
            key=INVERT_KEY,
            persist_state=KEEP,
        ),
    )


def render_stages(image: InputImage | None, options: PreprocessOptions) -> Preprocessed | None:
    """Every step from the image to the 28 x 28 model input, side by side."""
    if image is None:
        return None
    if image.kind == "drawing" and options.invert == "auto":
        options = replace(options, invert="never")  # the canvas is white on black already
    processed = (
        from_dataset_image(image.dataset_image)
        if image.dataset_image is not None
        else preprocess(image.gray, options, image.shrunk_from)
    )
    stage_columns = st.columns(max(len(processed.stages), 3))
    for column, stage in zip(stage_columns, processed.stages):
        column.image(framed(stage.image), width=140, alt=f"the {stage.name} stage")
        column.caption(f"**{stage.name}**: {stage.note}")
    if processed.inverted:
        st.caption(
            "The paper was lighter than the ink, so the image was inverted: MNIST is white on black."
        )
    elif image.kind == "drawing" and options.invert == "never":
        st.caption("The canvas is white ink on black, as MNIST is: a drawing is never inverted.")
    return processed
