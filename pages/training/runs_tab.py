"""The Runs tab: every run of the session with its scores, and the tutorials' printed numbers."""

from __future__ import annotations

import streamlit as st

from core.presets import PRESETS
from dashboard import studio_runs
from dashboard.studio_runs import Run
from pages.training.views import ledger_view, overlay_view


def tutorial_rows(runs: list[Run]) -> list[dict[str, str]]:
    """One row per preset: the accuracy its tutorial printed beside this session's best."""
    rows = []
    for key, preset in PRESETS.items():
        ours = [
            run.result.test_accuracy
            for run in runs
            if run.preset == key and run.result is not None and run.result.test_accuracy is not None
        ]
        rows.append(
            {
                "preset": preset.title,
                "tutorial printed": (
                    f"{preset.tutorial_accuracy:.3f}" if preset.tutorial_accuracy else "—"
                ),
                "ours (best this session)": f"{max(ours):.4f}" if ours else "not run yet",
                "source": preset.source,
            }
        )
    return rows


def runs_tab() -> None:
    if not studio_runs.runs():
        st.info("Every run of this session will be listed here, with its settings and scores.")
    else:
        st.caption("Select rows to overlay their curves.")
        selected = ledger_view(studio_runs.runs())
        if selected:
            overlay_view(selected)
    st.header("Tutorial presets")
    st.dataframe(tutorial_rows(studio_runs.runs()), hide_index=True)
