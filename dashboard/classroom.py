"""The classroom in every page: the session's class, the sidebar's Join/Leave and the
teacher's shared-page banner (what the studio and Prediction add: dashboard/class_studio.py).

A session is a student (joined with the code: `membership()`), a teacher (opened the
teacher link: `teacher()`), or neither, and then every page works as without a class.
The teacher's token lives only in this session's state on the server: never in a URL
the page writes, never in a log, never in what a student's session can reach.
A database that cannot be reached costs a sentence where a class feature was asked for,
never a page, and nothing in the session is dropped.
"""

from __future__ import annotations

import importlib
import json
import logging
import secrets
import threading
from dataclasses import dataclass

import streamlit as st

from core.classroom.database import database_url
from core.classroom.errors import ClassroomError
from core.classroom.records import Membership
from core.classroom.store import ClassroomStore
from dashboard.navigation import available_pages
from dashboard.text import plain

MEMBER_KEY = "class_membership"  # Membership of a student's session
TEACHER_KEY = "class_teacher"  # TeacherAccess of the session that opened the teacher link
SESSION_KEY = "class_session_key"  # random id of this browser session (rate limits)
SEEN_PUSH_KEY = "class_push_seen"  # the last push this session opened or dismissed
SHOWN_PUSH_KEY = "class_push_shown"  # the push id the page drew last
APPLIED_KEY = "class_assignment_applied"  # (sweep id, position) put on the studio's settings
COOKIE = "dashboard_class_member"  # the student's secret: a reloaded tab is back in the class
COOKIE_SECONDS = 12 * 3600  # a school day
COOKIE_WRITE_KEY = "class_cookie_write"  # the secret to put in the browser on this run ("" clears)
REJOIN_TRIED_KEY = "class_rejoin_tried"
PUSH_POLL_SECONDS = 5
BOARD_PAGE = "class_board"

_log = logging.getLogger(__name__)
_stores: dict[str, ClassroomStore] = {}
_stores_lock = threading.Lock()


@dataclass(frozen=True)
class TeacherAccess:
    class_id: int
    token: str  # the secret itself: every control presents it to the store
    name: str
    code: str


def store() -> ClassroomStore:
    """The process's store for the configured database (one per URL: tests switch it)."""
    url = database_url()
    with _stores_lock:
        if url not in _stores:
            _stores[url] = ClassroomStore(url)
        return _stores[url]


def session_key() -> str:
    return st.session_state.setdefault(SESSION_KEY, secrets.token_hex(16))


def membership() -> Membership | None:
    return st.session_state.get(MEMBER_KEY)


def teacher() -> TeacherAccess | None:
    return st.session_state.get(TEACHER_KEY)


def class_id() -> int | None:
    """The class this session belongs to, as a student or as its teacher."""
    found = teacher() or membership()
    return found.class_id if found is not None else None


# --- the sidebar ----------------------------------------------------------------------------


def render_class_sidebar() -> None:
    """Joined: the class and Leave. Teacher: the class. Neither: a small Join form."""
    restore_membership()
    write_cookie()
    member, access = membership(), teacher()
    if access is not None:
        st.caption(
            f"Teaching **{plain(access.name)}** · join code **{access.code}** (Class board page)"
        )
        return
    if member is not None:
        st.caption(f"Class **{plain(member.class_name)}** · you are **{plain(member.name)}**")
        st.button("Leave the class", key="class_leave", on_click=leave, icon=":material/logout:")
        return
    with st.expander("Join a class", icon=":material/groups:"):
        with st.form("class_join_form", border=False):
            st.text_input(
                "Join code", max_chars=20, key="class_join_code", placeholder="e.g. K7M3QX"
            )
            st.text_input("Your name", max_chars=40, key="class_join_name")
            joined = st.form_submit_button("Join", icon=":material/login:")
        if joined:
            join(
                st.session_state.get("class_join_code", ""),
                st.session_state.get("class_join_name", ""),
            )


def join(code: str, name: str) -> None:
    try:
        joined = store().join(code, name, session_key())
    except ClassroomError as error:
        st.error(plain(error))
        return
    st.session_state[MEMBER_KEY] = joined
    st.session_state[COOKIE_WRITE_KEY] = joined.secret
    st.rerun()  # every page: the sidebar and the studio show the class now


def restore_membership() -> None:
    """A reloaded tab (a new session): the student its browser's cookie names is back, once."""
    state = st.session_state
    if membership() is not None or teacher() is not None or state.get(REJOIN_TRIED_KEY):
        return
    state[REJOIN_TRIED_KEY] = True
    secret = st.context.cookies.get(COOKIE)
    if not secret:
        return
    try:
        found = store().rejoin(secret)
    except ClassroomError:
        return  # the class pages say why; the student can join again
    if found is not None:
        state[MEMBER_KEY] = found


def write_cookie() -> None:
    """Put the student's secret in the browser (or take it out after Leave)."""
    secret = st.session_state.pop(COOKIE_WRITE_KEY, None)
    if secret is None:
        return
    value, seconds = (secret, COOKIE_SECONDS) if secret else ("", 0)
    cookie = f"{COOKIE}={value}; path=/; max-age={seconds}; SameSite=Strict"
    st.html(
        f"<script>document.cookie = {json.dumps(cookie)};</script>", unsafe_allow_javascript=True
    )


def leave() -> None:
    member = membership()
    st.session_state.pop(MEMBER_KEY, None)  # leaving works even when the database does not
    st.session_state.pop(APPLIED_KEY, None)
    st.session_state[COOKIE_WRITE_KEY] = ""
    if member is not None:
        try:
            store().leave(member.member_id)
        except ClassroomError as error:
            _log.warning("leaving class %s: %s", member.class_id, error)


# --- the teacher's shared page ------------------------------------------------------------


def render_push_banner() -> None:
    """'Your teacher shared: … — Open' on every page of a student, until opened or dismissed."""
    member = membership()
    if member is None:
        return
    push = _latest_push(member)
    st.session_state[SHOWN_PUSH_KEY] = push.id if push is not None else None
    _watch_for_pushes()
    if push is None or st.session_state.get(SEEN_PUSH_KEY) == push.id:
        return
    page = next((page for page in available_pages() if page.name == push.page), None)
    if page is None:
        return
    with st.container(border=True, key="class_push_banner"):
        text, open_column, dismiss_column = st.columns([6, 1, 1], vertical_alignment="center")
        text.markdown(f":material/campaign: Your teacher shared: **{plain(push.description)}**")
        if open_column.button("Open", key="class_push_open", type="primary"):
            st.session_state[SEEN_PUSH_KEY] = push.id
            st.switch_page(str(page.path), query_params=push.query)
        if dismiss_column.button("Dismiss", key="class_push_dismiss"):
            st.session_state[SEEN_PUSH_KEY] = push.id
            st.rerun()


@st.fragment(run_every=PUSH_POLL_SECONDS)
def _watch_for_pushes() -> None:
    """A new push reruns the whole page, so the banner appears without a click."""
    member = membership()
    if member is None:
        return
    push = _latest_push(member)
    if (push.id if push is not None else None) != st.session_state.get(SHOWN_PUSH_KEY):
        st.rerun(scope="app")


def _latest_push(member: Membership):
    try:
        return store().latest_push(member.class_id)
    except ClassroomError:
        return None  # the class page says why; every other page just works


# --- pages a teacher can share ------------------------------------------------------------


def page_settings(name: str):
    """The settings module (pages/<name>/settings.py) of a page, or None when it has none."""
    try:
        return importlib.import_module(f"pages.{name}.settings")
    except ModuleNotFoundError:
        return None
