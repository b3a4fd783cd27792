"""The Look inside tab: pick a finished run, see its scores and what it learned."""

from __future__ import annotations

import streamlit as st

from dashboard import class_studio, studio_runs
from pages.training.settings import SETTINGS, settings_of
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
    link = SETTINGS.link_query(settings_of(chosen.config))
    class_studio.send_run_button(chosen, link, key=f"class_send_inside_{chosen.number}")
    inside_view(chosen)
