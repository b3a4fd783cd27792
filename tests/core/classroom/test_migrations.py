"""The Alembic migrations create exactly the tables the models describe, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from core.classroom.database import make_engine, upgrade
from core.classroom.models import Base


def test_migrations_match_the_models(url):
    engine = make_engine(url)
    upgrade(engine)
    upgrade(engine)  # a second server process starting finds nothing to do
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
        tables = set(inspect(connection).get_table_names())
    engine.dispose()
    assert differences == []
    assert set(Base.metadata.tables) | {"alembic_version"} == tables


def test_a_model_change_without_a_migration_is_found(url):
    """The check above can fail: a column the migrations lack is reported."""
    from sqlalchemy import Column, Integer, MetaData, Table

    engine = make_engine(url)
    upgrade(engine)
    changed = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(changed)
    Table("members", changed, Column("shoe_size", Integer), extend_existing=True)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, changed)
    engine.dispose()
    assert [difference[0] for difference in differences] == ["add_column"]


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'state' / 'classroom.sqlite'}")
    with engine.connect() as connection:
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        timeout = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    engine.dispose()
    assert (mode, timeout) == ("wal", 10_000)
    assert (tmp_path / "state").is_dir()  # the state folder is created on first use
