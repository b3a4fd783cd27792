"""The class-server tests need Debian's HAProxy: CI fails without it, a laptop skips."""

import pytest

from deploy import serve_class
from tests.conftest import find_haproxy_for_tests


@pytest.fixture
def no_haproxy(monkeypatch):
    monkeypatch.setattr(serve_class, "HAPROXY", ("no-such-haproxy", "/nonexistent/haproxy"))


def test_missing_haproxy_fails_in_ci(no_haproxy, monkeypatch):
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="apt-get install haproxy"):
        find_haproxy_for_tests()


def test_missing_haproxy_skips_elsewhere(no_haproxy, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="HAProxy is not installed"):
        find_haproxy_for_tests()
