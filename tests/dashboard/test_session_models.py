"""Loaded models are shared by the sessions that use them, and freed when the last one ends."""

import gc

import pytest
from streamlit.testing.v1 import AppTest

from core.engine.tasks import keras_bytes
from dashboard.session_models import IN_USE_KEY, IN_USE_PER_SESSION, loaded_model_count

keras = pytest.importorskip("keras")

PREDICTING_SESSION = """
import streamlit as st
from dashboard.session_models import checked_model
for model_bytes in st.session_state["files"]:
    checked_model(model_bytes)
"""


def model_file(seed: int) -> bytes:
    """A 10-class model whose weights (so its file) differ with the seed."""
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [keras.Input(shape=(28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)]
    )
    return keras_bytes(model)


def session_using(*files: bytes) -> AppTest:
    app = AppTest.from_string(PREDICTING_SESSION, default_timeout=60)
    app.session_state["files"] = list(files)
    app.run()
    assert not app.exception, [error.value for error in app.exception]
    return app


@pytest.mark.slow
def test_sessions_share_a_loaded_model_and_the_last_one_to_end_frees_it():
    gc.collect()
    before = loaded_model_count()
    quick = model_file(0)
    first, second = session_using(quick), session_using(quick)
    assert loaded_model_count() == before + 1  # one copy for both
    first_model = next(iter(first.session_state[IN_USE_KEY].values()))
    assert next(iter(second.session_state[IN_USE_KEY].values())) is first_model
    del first, first_model
    gc.collect()
    assert loaded_model_count() == before + 1  # the second session still predicts with it
    del second
    gc.collect()
    assert loaded_model_count() == before


@pytest.mark.slow
def test_a_session_holds_only_its_last_models():
    gc.collect()
    before = loaded_model_count()
    files = [model_file(seed) for seed in (1, 2, 3)]
    app = session_using(*files)
    assert len(app.session_state[IN_USE_KEY]) == IN_USE_PER_SESSION
    gc.collect()
    assert loaded_model_count() == before + IN_USE_PER_SESSION  # the first one was let go
