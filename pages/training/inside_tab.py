"""The Look inside tab: the newest finished run (or one picked by hand), its scores and what
it learned."""

from __future__ import annotations

import streamlit as st

from dashboard import class_studio, studio_runs
from dashboard.session_models import follow_newest, picked_by_hand, shown_run_note
from pages.training.settings import SETTINGS, settings_of
from pages.training.views import inside_view, run_summary

RUN_KEY = "train_inside_run"


def inside_tab() -> None:
    finished = studio_runs.runs()
    if not finished:
        st.info("Train a run first; then its confusion matrix, mistakes and weights are here.")
        return
    numbers = [run.number for run in finished]
    by_hand = follow_newest(RUN_KEY, numbers)
    number = st.selectbox(
        "Run",
        list(reversed(numbers)),
        format_func=lambda n: finished[n - 1].label,
        key=RUN_KEY,
        on_change=picked_by_hand,
        args=(RUN_KEY, numbers[-1]),
    )
    chosen = finished[number - 1]
    st.caption(shown_run_note(f"run {chosen.number}", f"run {numbers[-1]}", by_hand))
    run_summary(chosen)
    link = SETTINGS.link_query(settings_of(chosen.config))
    class_studio.send_run_button(chosen, link, key=f"class_send_inside_{chosen.number}")
    inside_view(chosen)
