"""The Train tab: preset and settings on the left; Train, Stop and the live run on the right."""

from __future__ import annotations

import streamlit as st

from core.data import DATASETS, DatasetError, load_dataset
from core.engine import EngineUnavailable
from core.models import describe_model
from core.presets import PRESETS
from core.training import TrainConfig, check_config, training_images
from dashboard import class_studio, studio_runs
from pages.training.controls import preset_box, settings_widgets
from pages.training.figures import curves_figure
from pages.training.settings import SETTINGS, config_from_state, preset_of, settings_of
from pages.training.views import SAWTOOTH, live_interval, live_view, run_summary


def first_run_text(config: TrainConfig) -> str:
    """What Train would start, told honestly: only a preset titled '(seconds)' promises seconds."""
    key = preset_of(config)
    if key is not None and PRESETS[key].title.endswith("(seconds)"):
        title = PRESETS[key].title.removesuffix(" (seconds)")
        return f"No run yet: press Train for a first run of a few seconds ({title})."
    epochs = f"{config.epochs} epoch{'' if config.epochs == 1 else 's'}"
    work = f"{epochs} over {training_images(config):,} training images"
    if key is not None:
        return (
            f"No run yet: press Train to run **{PRESETS[key].title}**: {work} "
            "(the Fast presets take seconds)."
        )
    model = describe_model(config.model)
    return (
        f"No run yet: press Train to train **{model}** on {DATASETS[config.dataset].title}: {work}."
    )


def use_digits() -> None:
    st.session_state["train_dataset"] = "digits"


def start_training() -> None:
    if studio_runs.is_training():
        st.warning(
            "A run is already training in this session: press Stop or wait for it to "
            "finish before starting another."
        )
        return
    if paused := class_studio.training_paused():
        st.warning(paused)
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
    try:
        refused = studio_runs.refusal(config)
        if refused is not None:
            st.error(refused)
            return
        studio_runs.start_run(config, preset_of(config))
    except EngineUnavailable as error:
        st.error(str(error))


STOP_NOTE_KEY = "_train_stop_note"  # what Stop's callback has to say, shown in the run


def stop_training() -> None:
    """Stop's on_click: it runs before the page does, so the worker hears it at once."""
    current = studio_runs.pending()
    if not studio_runs.is_training():
        st.session_state[STOP_NOTE_KEY] = None
        return
    current.job.request_stop()
    st.session_state[STOP_NOTE_KEY] = f"Stopping run {current.number} at the next batch…"


STOP_WATCH_SECONDS = 0.2  # after Stop, until the run ends: the student sees it stop at once


def live_panel() -> None:
    """The live run, redrawn on its own every live_interval(): twice a second while few
    panels are open in this server process, less often when many are (views.py); five
    times a second once Stop is pressed, until the run has ended."""
    current = studio_runs.pending()
    stopping = current is not None and current.job.stop_pending
    st.fragment(live_tick, run_every=STOP_WATCH_SECONDS if stopping else live_interval())()


def live_tick() -> None:
    current = studio_runs.pending()
    if current is None or current.collected:
        return
    if current.job.finished:
        studio_runs.collect_finished()
        st.rerun()  # the whole page: ledger, summary and views show the new run
    live_view(current)


def run_buttons() -> None:
    train_column, stop_column = st.columns(2)
    if train_column.button(
        "Train", type="primary", icon=":material/play_arrow:", width="stretch", key="train_start"
    ):
        start_training()
    stop_column.button(
        "Stop", icon=":material/stop:", width="stretch", key="train_stop", on_click=stop_training
    )
    if STOP_NOTE_KEY in st.session_state:
        note = st.session_state.pop(STOP_NOTE_KEY)
        if note is None:
            st.info("Nothing is training right now, so there is nothing to stop.")
        else:
            st.toast(note)


def latest_run() -> None:
    """The live run, else the last finished one, else what Train would start."""
    current = studio_runs.pending()
    if current is not None and not current.collected:
        live_panel()
    elif studio_runs.runs():
        last = studio_runs.runs()[-1]
        run_summary(last)
        link = SETTINGS.link_query(settings_of(last.config))
        class_studio.send_run_button(last, link, key=f"class_send_{last.number}")
        st.plotly_chart(curves_figure(last.series, f"Run {last.number}"), key="last_curves")
        st.caption(SAWTOOTH)
    else:
        st.info(first_run_text(config_from_state()))


def train_tab() -> None:
    preset_box()
    settings_column, live_column = st.columns([1, 2], gap="large")
    with settings_column:
        settings_widgets()
    with live_column:
        run_buttons()
        latest_run()
