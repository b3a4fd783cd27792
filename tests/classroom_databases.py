"""The real databases the classroom tests run on: a SQLite file always, PostgreSQL when
DASHBOARD_TEST_POSTGRES_URL names one (.ci/run starts a cluster and sets it)."""

from __future__ import annotations

import os

import pytest

POSTGRES_VARIABLE = "DASHBOARD_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")


def postgres_url() -> str:
    """The test PostgreSQL's URL: skipped on a laptop without one, a failure in CI."""
    url = os.environ.get(POSTGRES_VARIABLE, "").strip()
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"CI must set {POSTGRES_VARIABLE} (.ci/run starts PostgreSQL)")
        pytest.skip(f"no PostgreSQL: set {POSTGRES_VARIABLE}")
    return url


def emptied(url: str) -> str:
    """The PostgreSQL database with no table left, so each test starts from nothing."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def database_url(backend: str, tmp_path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'classroom.sqlite'}"
    return emptied(postgres_url())
