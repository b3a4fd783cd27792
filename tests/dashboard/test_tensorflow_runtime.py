"""Keeping the server responsive with Keras loaded: Streamlit's post-run Keras reset is off."""

import keras
from streamlit.runtime.scriptrunner import script_runner
from streamlit.testing.v1 import AppTest

from dashboard.tensorflow_runtime import keep_keras_between_runs

STREAMLIT_CLEAN_UP = script_runner._clean_problem_modules  # read at collection, before any run


def a_script_run() -> None:
    AppTest.from_string("import streamlit as st\nst.write('a run')").run()


def test_script_runs_no_longer_reset_keras(monkeypatch):
    """Streamlit's own clean-up calls keras.backend.clear_session() after each run (a rename
    of its hook would show here), a full garbage collection over TensorFlow's objects;
    once kept, runs leave Keras alone."""
    calls = []
    monkeypatch.setattr(keras.backend, "clear_session", lambda *args, **kwargs: calls.append(1))
    monkeypatch.setattr(script_runner, "_clean_problem_modules", STREAMLIT_CLEAN_UP)
    a_script_run()
    assert calls, "Streamlit no longer resets Keras through _clean_problem_modules"
    before = len(calls)
    keep_keras_between_runs()
    a_script_run()
    assert len(calls) == before


def test_the_app_keeps_keras_from_its_first_run():
    from tests.conftest import ROOT

    AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60).run()
    assert script_runner._clean_problem_modules.__module__ == "dashboard.tensorflow_runtime"
