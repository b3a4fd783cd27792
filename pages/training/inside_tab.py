"""The Look inside tab: pick a finished run, see its scores and what it learned."""

from __future__ import annotations

import streamlit as st

from dashboard import studio_runs
from pages.training.views import inside_view, run_summary


def inside_tab() -> None:
    finished = studio_runs.runs()
    if not finished:
        st.info("Train a run first; then its confusion matrix, mistakes and weights are here.")
        return
    number = st.selectbox(
        "Run",
        [run.number for run in reversed(finished)],
        format_func=lambda n: finished[n - 1].label,
        key="train_inside_run",
    )
    chosen = finished[number - 1]
    run_summary(chosen)
    inside_view(chosen)
