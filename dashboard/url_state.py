"""Page state in the URL query, so a teacher can share a link that opens one exact example.

Pattern for a page:

    DEFAULTS = {"base": "2", "p": [0.5, 0.5], "auto_normalise": False}
    problems = seed_from_url(DEFAULTS)      # before the widgets: fills st.session_state
    ... widgets with key="base", key="auto_normalise", persist_state=KEEP ...
    write_to_url(DEFAULTS)                  # after: mirrors st.session_state into the URL

Values are parsed to the type of their default; a value that does not parse is
skipped and reported, so a mangled link opens the page with defaults and a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

# persist_state for page widgets: their values survive runs that hide them and visits
# to other pages (Streamlit otherwise drops a widget's value when it is not drawn).
KEEP = "session"

_SEEDED = "_url_state_seeded"


def encode(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list | tuple):
        return ",".join(encode(item) for item in value)
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def decode(text: str, like: Any) -> Any:
    """Parse `text` to the type of `like`; raises ValueError when it does not fit."""
    if isinstance(like, bool):
        if text not in ("0", "1", "true", "false"):
            raise ValueError(f"expected 0 or 1, got {text!r}")
        return text in ("1", "true")
    if isinstance(like, int):
        return int(text)
    if isinstance(like, float):
        return float(text)
    if isinstance(like, list | tuple):
        item = like[0] if like else ""
        items = [decode(part.strip(), item) for part in text.split(",")] if text else []
        return type(like)(items)
    return text


def seed_from_url(defaults: Mapping[str, Any], page: str | None = None) -> list[str]:
    """On this page's first run in a session, copy URL values into st.session_state.

    Keys already in session_state are left alone (the user has moved on since).
    Returns one message per URL value that could not be used.
    """
    seeded = st.session_state.setdefault(_SEEDED, set())
    marker = page or ",".join(sorted(defaults))
    if marker in seeded:
        return []
    seeded.add(marker)
    problems = []
    for key, default in defaults.items():
        if key not in st.query_params:
            st.session_state.setdefault(key, default)
            continue
        text = st.query_params[key]
        try:
            st.session_state[key] = decode(text, default)
        except ValueError as error:
            st.session_state.setdefault(key, default)
            problems.append(f"Link value {key}={text!r} ignored: {error}")
    return problems


def write_to_url(defaults: Mapping[str, Any]) -> None:
    """Mirror the current values into the URL; values equal to their default are left out."""
    wanted = {}
    for key, default in defaults.items():
        value = st.session_state.get(key, default)
        if encode(value) != encode(default):
            wanted[key] = encode(value)
    current = {key: st.query_params[key] for key in defaults if key in st.query_params}
    if current != wanted:
        for key in defaults:
            if key in st.query_params and key not in wanted:
                del st.query_params[key]
        st.query_params.update(wanted)
