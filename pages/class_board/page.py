"""Class board: a class's runs on the projector, its experiments, and the teacher's controls."""

import streamlit as st

from dashboard import classroom
from pages.class_board.board import BOARD_KEY, live_board
from pages.class_board.opening import OPENED_KEY, open_class_form, take_teacher_link
from pages.class_board.teacher import teacher_controls

take_teacher_link()  # ?teacher=…: into the session, out of the URL, before anything is drawn
class_id = classroom.class_id()
access = classroom.teacher()

if class_id is None:
    st.title("Class board")
    st.markdown(
        "A class shares one board: students **join with the code** in the sidebar, send the "
        "runs they trained and the digits they drew, and the board shows the whole class at "
        "once. Without a class every page works on its own."
    )
    open_class_form()
else:
    opened_code = st.session_state.pop(OPENED_KEY, None)
    if opened_code is not None:
        st.success(
            f"Class opened. Students join with the code **{opened_code}** in the sidebar. "
            "Your teacher link is under Teacher controls → Board & class."
        )
    projector = access is not None and st.sidebar.toggle(
        "Projector view (hide my controls)", key="class_projector_view"
    )  # in the sidebar: the board keeps the whole height of the projector
    live_board(class_id)
    board = st.session_state.get(BOARD_KEY)
    if (
        access is not None
        and not projector
        and board is not None
        and board.classroom.id == class_id
    ):
        st.divider()
        teacher_controls(access, board)
