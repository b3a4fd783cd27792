"""Which database the classroom uses, its engine, and its schema brought up to date.

    DASHBOARD_DATABASE_URL=postgresql+psycopg://user:pass@host/db   # several server processes
    (unset)  -> sqlite:///<state folder>/classroom.sqlite              # the default, one machine

The state folder is DASHBOARD_STATE_DIR, else `var/` in the repository; it is created on
first use. SQLite runs in WAL mode with a busy timeout, so several server processes on one
machine can share the file. The schema comes from the Alembic migrations next to this
file, applied on first use (`upgrade`), under a lock so two processes starting together
do not both create it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url

URL_VARIABLE = "DASHBOARD_DATABASE_URL"
STATE_DIR_VARIABLE = "DASHBOARD_STATE_DIR"
ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_MS = 10_000  # a writer waits this long for another process's write to finish
CONNECT_SECONDS = 5  # an unreachable PostgreSQL is reported after this long, not a minute
MIGRATION_LOCK = 7_301_014  # PostgreSQL advisory lock id held while migrating


def state_dir() -> Path:
    return Path(os.environ.get(STATE_DIR_VARIABLE) or ROOT / "var")


def database_url() -> str:
    configured = os.environ.get(URL_VARIABLE, "").strip()
    if configured:
        return configured
    return f"sqlite:///{state_dir() / 'classroom.sqlite'}"


def describe_url(url: str) -> str:
    """The URL without its password, for messages and the README's 'where the data lives'."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args = (
        {"connect_timeout": CONNECT_SECONDS} if parsed.get_backend_name() == "postgresql" else {}
    )
    return create_engine(
        url, pool_pre_ping=True, pool_size=5, max_overflow=10, connect_args=connect_args
    )


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe in WAL mode, much faster commits
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def alembic_config(connection=None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> None:
    """Apply every migration the database has not had yet (a new database: all of them)."""
    from alembic import command

    with _migration_lock(engine), engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK})
        command.upgrade(alembic_config(connection), "head")


@contextlib.contextmanager
def _migration_lock(engine: Engine):
    """A file lock beside a SQLite database (PostgreSQL locks inside the transaction)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
