"""Opening a class, and the teacher link: it carries the token once, then the session does.

The link is `class_board?teacher=<token>`. On arrival the token moves into this session's
state and leaves the URL at once, so the address bar (and the projector, and any link
copied from it) never shows it again.
"""

from __future__ import annotations

import streamlit as st

from core.classroom.errors import ClassroomError
from core.classroom.limits import MAX_CLASS_NAME_CHARS
from dashboard import classroom
from dashboard.text import plain

TOKEN_PARAMETER = "teacher"
OPENED_KEY = "class_just_opened"  # the join code of the class this session just opened


def take_teacher_link() -> None:
    """A teacher link in the URL: the session becomes the class's teacher; the URL forgets it."""
    token = st.query_params.get(TOKEN_PARAMETER)
    if token is None:
        return
    del st.query_params[TOKEN_PARAMETER]
    try:
        found = classroom.store().class_for_teacher(token)
    except ClassroomError as error:
        st.error(plain(error))
        return
    st.session_state[classroom.TEACHER_KEY] = classroom.TeacherAccess(
        found.id, token, found.name, found.code
    )
    st.session_state.pop(classroom.MEMBER_KEY, None)  # a teacher is not a student too


def teacher_link(token: str) -> str:
    base = (st.context.url or "").split("?")[0].rstrip("/")
    if base.endswith(f"/{classroom.BOARD_PAGE}"):
        base = base[: -len(classroom.BOARD_PAGE) - 1]
    return f"{base}/{classroom.BOARD_PAGE}?{TOKEN_PARAMETER}={token}"


def open_class_form() -> None:
    """For a teacher: a class name, then the join code and the teacher link."""
    st.header("Open a class")  # under the h1: an h3 skipped a heading level (axe)
    st.caption(
        "You get a short join code for the students and a secret teacher link for the "
        "controls. No accounts, no passwords: keep the teacher link to yourself."
    )
    with st.form("class_open_form", border=True):
        st.text_input("Class name", max_chars=MAX_CLASS_NAME_CHARS, key="class_open_name",
                      placeholder="e.g. Period 3, deep learning")  # fmt: skip
        opened = st.form_submit_button("Open the class", type="primary", icon=":material/school:")
    if not opened:
        return
    try:
        new = classroom.store().create_class(
            st.session_state.get("class_open_name", ""), classroom.session_key()
        )
    except ClassroomError as error:
        st.error(plain(error))
        return
    info = new.classroom
    st.session_state[classroom.TEACHER_KEY] = classroom.TeacherAccess(
        info.id, new.teacher_token, info.name, info.code
    )
    st.session_state.pop(classroom.MEMBER_KEY, None)
    st.session_state[OPENED_KEY] = info.code
    st.rerun()


def teacher_link_box(access: classroom.TeacherAccess) -> None:
    """The teacher link, folded away (the screen may be on the projector)."""
    with st.expander("Teacher link (do not project it)", icon=":material/key:"):
        st.warning(
            "This link holds the class's controls: keep it private and bookmark it to come "
            "back from another tab or after a restart.",
            icon=":material/lock:",
        )
        st.code(teacher_link(access.token), language=None)
