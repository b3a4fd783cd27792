"""Reset and Copy link, the same two controls at the top of every page that has settings.

Driven by the page's settings table (dashboard/settings.py): Reset puts every setting
back to its default, and Copy link shows the page's full address with its current
settings (those that differ from the defaults), with a copy button. The link is written
when the popover opens (it reruns the page), so it holds the values of that moment.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard.navigation import PAGES
from dashboard.settings import PageSettings


def page_address(settings: PageSettings) -> str:
    """The page's address without settings: the browser's app URL plus the page's path."""
    url_path = next(page.url_path for page in PAGES if page.name == settings.page)
    base = (st.context.url or "").rstrip("/")  # None outside a browser (AppTest)
    for page in PAGES:  # st.context.url may still end with the page's own path
        if page.url_path and base.endswith(f"/{page.url_path}"):
            base = base.removesuffix(f"/{page.url_path}")
    return f"{base}/{url_path}"


def page_toolbar(settings: PageSettings, on_reset: Callable[[], None] | None = None) -> None:
    """Reset (defaults, then the page's own on_reset) and Copy link, side by side."""

    def reset() -> None:
        settings.reset()
        if on_reset is not None:
            on_reset()

    with st.container(horizontal=True, gap="small"):
        st.button(
            "Reset",
            icon=":material/restart_alt:",
            on_click=reset,
            key=f"_toolbar_reset_{settings.page}",
            help="Every setting of this page back to its default.",
        )
        panel = st.popover(
            "Copy link",
            icon=":material/link:",
            key=f"_toolbar_link_{settings.page}",
            on_change="rerun",
            help="This page with its current settings, to share or open later.",
        )
        if panel.open:
            with panel:
                link = settings.link(settings.values(), page_address(settings))
                st.code(link, language=None, wrap_lines=True)
                st.caption("The copy button at the right of the link copies it.")
