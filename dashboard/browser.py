"""Which browser a session belongs to, without accounts: one browser, one run in the queue.

Every tab of a browser sends the same XSRF cookie that Streamlit's server sets on the
first page load (`_streamlit_xsrf`, whose token stays while the cookie lives; only its
mask changes). A short hash of that token names the browser; its value is never stored.
A private window or another browser counts as another browser, and a student who clears
the cookie starts again: enough to keep one student's tabs from filling a class's queue.
Without the cookie (AppTest, XSRF protection turned off) the session is the browser.
"""

from __future__ import annotations

import hashlib
import uuid

import streamlit as st

XSRF_COOKIE = "_streamlit_xsrf"
SESSION_ID_KEY = "_browser_session_id"  # the id of a session without the cookie


def browser_id() -> str:
    """12 hex characters naming this browser (or this session when there is no cookie)."""
    fallback = st.session_state.setdefault(SESSION_ID_KEY, uuid.uuid4().hex)
    return id_from_cookie(st.context.cookies.get(XSRF_COOKIE), fallback)


def id_from_cookie(cookie: str | None, fallback: str) -> str:
    from streamlit.web.server.starlette.starlette_app_utils import decode_xsrf_token_string

    token = decode_xsrf_token_string(cookie)[0] if cookie else None
    return hashlib.sha256(b"browser:" + (token or fallback.encode())).hexdigest()[:12]
