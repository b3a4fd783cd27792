"""Entry point: `streamlit run dashboard/app.py` (or `make run`)."""

import sys
from pathlib import Path

# `streamlit run` puts only dashboard/ on the path; pages import core and dashboard.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# Whole before any page draws: Plotly looks pandas up in sys.modules without importing it,
# and with a class arriving at once one session's figure met another's half-done import
# ("partially initialized module 'pandas'"). Here every session's first run waits for it.
import pandas  # noqa: E402, F401
import streamlit as st  # noqa: E402

from dashboard.classroom import render_push_banner  # noqa: E402
from dashboard.navigation import HOME, available_pages  # noqa: E402
from dashboard.session_reaper import note_session  # noqa: E402
from dashboard.sidebar import render_sidebar  # noqa: E402

note_session()  # a closed tab's session is freed after the grace period (session_reaper.py)
st.set_page_config(page_title="Deep learning, hands on", page_icon="🧠", layout="wide")
navigation = st.navigation(
    [
        st.Page(
            page.path,
            title=page.title,
            icon=page.icon,
            url_path=page.url_path or None,
            default=page is HOME,
        )
        for page in available_pages()
    ]
)
render_sidebar()
render_push_banner()  # a student's class: what the teacher shared, on every page
navigation.run()
