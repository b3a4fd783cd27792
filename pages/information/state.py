"""What the lab remembers in the session besides its settings (pages/information/settings.py).

- the last result that worked, per section: a typo keeps it on screen;
- notes left by a button or a typed p about a vector (e.g. "q was reset to uniform"),
  each kept with the text it is about, so it goes away once that text changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

LAST_RESULTS = "_information_last_results"  # section -> the last LabResult that worked
NOTES = "_information_notes"  # vector key -> Note


@dataclass(frozen=True)
class Note:
    about: str  # the vector's text when the note was left
    message: str
    is_error: bool  # an edit that could not be done, rather than one the page made


def last_results() -> dict:
    return st.session_state.setdefault(LAST_RESULTS, {})


def leave_note(key: str, message: str, is_error: bool = False) -> None:
    st.session_state.setdefault(NOTES, {})[key] = Note(st.session_state[key], message, is_error)


def forget_note(key: str) -> None:
    st.session_state.get(NOTES, {}).pop(key, None)


def current_note(key: str) -> Note | None:
    """The note about vector `key`, while its text is still the one the note is about."""
    note = st.session_state.get(NOTES, {}).get(key)
    return note if note is not None and note.about == st.session_state[key] else None
