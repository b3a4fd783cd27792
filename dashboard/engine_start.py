"""Start the training engine before the first Train click, under a real server only."""

from __future__ import annotations

from streamlit import runtime

from core.engine import warm_up


def warm_up_engine() -> None:
    """A page that trains calls this when it opens: under `streamlit run` the LocalCluster
    starts in the background (seconds: workers import TensorFlow), so it is up when Train is
    pressed. AppTest runs and scripts have no server runtime: they start it on first submit."""
    if runtime.exists():
        warm_up()
