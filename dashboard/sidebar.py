"""The sidebar every page shares."""

from __future__ import annotations

import os

import streamlit as st

from core.data import DATA_DIR_VARIABLE, show_server_paths
from dashboard.classroom import render_class_sidebar
from dashboard.text import plain


def render_sidebar() -> None:
    with st.sidebar:
        st.caption(
            "A classroom dashboard: change a number, see the maths move. "
            "Every page keeps working offline."
        )
        # the data folder is named only to whoever runs the server (DASHBOARD_SHOW_PATHS)
        data_dir = os.environ.get(DATA_DIR_VARIABLE)
        if show_server_paths():
            st.caption(f"Data folder: {plain(data_dir)}" if data_dir else "Data folder: not set")
        render_class_sidebar()
