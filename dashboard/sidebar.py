"""The sidebar every page shares."""

from __future__ import annotations

import os

import streamlit as st

from core.data import DATA_DIR_VARIABLE
from dashboard.classroom import render_class_sidebar


def render_sidebar() -> None:
    with st.sidebar:
        st.caption(
            "A classroom dashboard: change a number, see the maths move. "
            "Every page keeps working offline."
        )
        data_dir = os.environ.get(DATA_DIR_VARIABLE)
        st.caption(f"Data folder: `{data_dir}`" if data_dir else "Data folder: not set")
        render_class_sidebar()
