"""Keeping a Streamlit server responsive once TensorFlow is loaded (shared by the Keras pages)."""

from __future__ import annotations

import gc
import sys
import threading

_frozen = threading.Event()


def freeze_tensorflow_objects(import_now: bool = False) -> None:
    """Keep TensorFlow's ~350,000 objects out of every garbage collection, once per process.

    With TensorFlow loaded a full collection takes 0.5-1 s holding the GIL: Python's own
    generation-2 collections, and Streamlit's gc.collect(2) after each script run where
    runner.postScriptGC is on (.streamlit/config.toml turns it off), would starve the
    training thread and make every stroke wait. gc.freeze() moves the objects that exist
    now (TensorFlow's modules) to a generation collections skip. Streamlit's keras
    clear_session() is turned off too (see keep_keras_between_runs).
    """
    keep_keras_between_runs()
    if _frozen.is_set():
        return
    if import_now:
        import keras  # noqa: F401 - the import is the point: done here, not in the job
    if "tensorflow" in sys.modules:
        gc.freeze()
        _frozen.set()


def close_matplotlib_figures() -> None:
    """The part of Streamlit's post-run clean-up that is kept: pyplot's open figures."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


def keep_keras_between_runs() -> None:
    """Stop Streamlit from resetting Keras at the end of every script run.

    Streamlit's script runner calls keras.backend.clear_session() after each run
    (script_runner._clean_problem_modules), meant for scripts that build throwaway
    models. Here models outlive the run (session state, background jobs), and the reset
    empties TensorFlow's kernel cache under a running training: its next step
    re-instantiates the compiled train function, 3 ms -> about 100 ms, and the live
    panel reruns twice a second. It also swaps Keras' per-thread state under the job.
    """
    from streamlit.runtime.scriptrunner import script_runner

    script_runner._clean_problem_modules = close_matplotlib_figures
