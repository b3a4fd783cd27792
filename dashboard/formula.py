"""A displayed formula that fits its box in every browser.

KaTeX measures a display formula without the overhang of its last superscript or
subscript, so st.latex's box scrolls by a pixel or two (a scroll bar under the formula,
seen at 1280x720). A thin space at the end is inside the measured box and gives it room.
"""

from __future__ import annotations

import streamlit as st


def formula(latex: str) -> None:
    st.latex(latex + r"\,")
