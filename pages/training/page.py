"""Training studio: train softmax regression, an MLP or a CNN with live curves, then look inside."""

import streamlit as st

from core.data import DATASETS, DatasetError, load_dataset
from core.presets import PRESETS
from core.training import check_config
from dashboard.job_watchdog import server_setting_problems
from dashboard.settings import show_link_problems
from pages.training import state
from pages.training.controls import preset_box, settings_widgets
from pages.training.explorer import explorer_view
from pages.training.figures import curves_figure
from pages.training.settings import SETTINGS, config_from_state, preset_for_link, preset_of
from pages.training.train_tab import first_run_text
from pages.training.views import (
    inside_view,
    ledger_view,
    live_view,
    overlay_view,
    run_summary,
)

st.title("Training studio")
st.markdown(
    "Pick a data set and a model, set the learning rate and batch size, press **Train** "
    "and watch it learn. Training runs in the background: click around or visit another "
    "page, it keeps going (closing the tab stops it soon after). **Stop** keeps the model "
    "trained so far."
)

state.collect_finished()  # a run that ended while this page was not looking
for problem in server_setting_problems():
    st.warning(problem)
opened = SETTINGS.sync_from_link()
show_link_problems(opened)
preset_for_link(opened)
while state.notices():
    st.info(state.notices().pop(0))


def use_digits() -> None:
    st.session_state["train_dataset"] = "digits"


def start_training() -> None:
    if state.is_training():
        st.warning(
            "A run is already training in this session: press Stop or wait for it to "
            "finish before starting another."
        )
        return
    config = config_from_state()
    try:
        (x_train, _), _, _ = load_dataset(config.dataset)
    except DatasetError as error:
        st.error(f"{DATASETS[config.dataset].title} cannot be loaded. {error}")
        st.button("Use the offline digits data set instead", on_click=use_digits)
        return
    problems = check_config(config, available=len(x_train))
    if problems:
        for problem in problems:
            st.error(problem[0].upper() + problem[1:] + ".")
        return
    state.start_run(config, preset_of(config))


def stop_training() -> None:
    current = state.pending()
    if not state.is_training():
        st.info("Nothing is training right now, so there is nothing to stop.")
        return
    current.job.request_stop()
    st.toast(f"Stopping run {current.number} at the next batch…")


@st.fragment(run_every=0.5)
def live_panel() -> None:
    current = state.pending()
    if current is None or current.collected:
        return
    if current.job.finished:
        state.collect_finished()
        st.rerun()  # the whole page: ledger, summary and views show the new run
    live_view(current)


train_tab, runs_tab, inside_tab, data_tab = st.tabs(
    ["Train", "Runs", "Look inside", "Data explorer"]
)

with train_tab:
    settings_column, live_column = st.columns([1, 2], gap="large")
    with settings_column:
        preset_box()
        settings_widgets()
    SETTINGS.write_link()
    with live_column:
        train_column, stop_column = st.columns(2)
        if train_column.button(
            "Train",
            type="primary",
            icon=":material/play_arrow:",
            width="stretch",
            key="train_start",
        ):
            start_training()
        if stop_column.button("Stop", icon=":material/stop:", width="stretch", key="train_stop"):
            stop_training()
        current = state.pending()
        if current is not None and not current.collected:
            live_panel()
        elif state.runs():
            last = state.runs()[-1]
            run_summary(last)
            st.plotly_chart(curves_figure(last.series, f"Run {last.number}"), key="last_curves")
        else:
            st.info(first_run_text(config_from_state()))

with runs_tab:
    if not state.runs():
        st.info("Every run of this session will be listed here, with its settings and scores.")
    else:
        st.caption("Select rows to overlay their curves.")
        selected = ledger_view(state.runs())
        if selected:
            overlay_view(selected)
    st.subheader("Tutorial presets")
    tutorial_rows = []
    for key, preset in PRESETS.items():
        ours = [
            run.result.test_accuracy
            for run in state.runs()
            if run.preset == key and run.result is not None and run.result.test_accuracy is not None
        ]
        tutorial_rows.append(
            {
                "preset": preset.title,
                "tutorial printed": (
                    f"{preset.tutorial_accuracy:.3f}" if preset.tutorial_accuracy else "—"
                ),
                "ours (best this session)": f"{max(ours):.4f}" if ours else "not run yet",
                "source": preset.source,
            }
        )
    st.dataframe(tutorial_rows, hide_index=True)

with inside_tab:
    finished = state.runs()
    if not finished:
        st.info("Train a run first; then its confusion matrix, mistakes and weights are here.")
    else:
        number = st.selectbox(
            "Run",
            [run.number for run in reversed(finished)],
            format_func=lambda n: finished[n - 1].label,
            key="train_inside_run",
        )
        chosen = finished[number - 1]
        run_summary(chosen)
        inside_view(chosen)

with data_tab:
    explorer_view(st.session_state["train_dataset"])
