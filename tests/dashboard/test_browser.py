"""One browser, one id: every tab of a browser shares it, another browser gets another."""

from streamlit.testing.v1 import AppTest
from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string

from dashboard.browser import id_from_cookie


def show_browser_id():
    import streamlit as st

    from dashboard.browser import browser_id

    st.write(browser_id())


def test_without_a_cookie_each_session_is_its_own_browser():
    # a generous timeout: under a loaded CI machine the default 3 s was not enough
    first = AppTest.from_function(show_browser_id, default_timeout=60).run()
    second = AppTest.from_function(show_browser_id, default_timeout=60).run()
    assert first.markdown[0].value != second.markdown[0].value
    assert first.run().markdown[0].value == first.markdown[0].value  # stable in a session


def test_the_xsrf_token_names_the_browser_whatever_its_mask():
    """Streamlit masks the same token anew for each page load; the id stays."""
    token = b"0123456789abcdef"
    ids = {id_from_cookie(generate_xsrf_token_string(token), "unused") for _ in range(3)}
    assert len(ids) == 1 and len(next(iter(ids))) == 12
    assert id_from_cookie(generate_xsrf_token_string(b"another browser!"), "unused") not in ids
    assert id_from_cookie("not a token", "session a") != id_from_cookie(None, "session b")
