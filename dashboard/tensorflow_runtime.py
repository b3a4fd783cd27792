"""Keeping the web server responsive once Keras is loaded in it (Prediction loads models).

Training runs on the engine's workers, but Prediction still runs a model on each drawing in
the server, so TensorFlow's ~360,000 objects live in this process. A full garbage collection
over them costs 243 ms on this 2-core machine (bench/bench_prediction.py prints it), and two
things would run one after every script run of every session:

- Streamlit's own gc.collect() after each run: .streamlit/config.toml sets postScriptGC off;
- Streamlit's script_runner._clean_problem_modules, which calls keras.backend.clear_session(),
  whose free_memory=True means another gc.collect(): replaced below by the part of it that is
  still wanted (closing matplotlib's figures).

Python's own automatic collections stay on: in 2000 reruns' worth of garbage beside a loaded
model they ran no full collection, so TensorFlow's objects need no gc.freeze().
"""

from __future__ import annotations

import sys


def close_matplotlib_figures() -> None:
    """The part of Streamlit's post-run clean-up that is kept: pyplot's open figures."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


def keep_keras_between_runs() -> None:
    """Stop Streamlit from resetting Keras (and collecting all garbage) after every run."""
    from streamlit.runtime.scriptrunner import script_runner

    script_runner._clean_problem_modules = close_matplotlib_figures
