"""Alembic's environment: the connection comes from core.classroom.database (no alembic.ini).

    from core.classroom.database import make_engine, upgrade
    upgrade(make_engine(url))

Imported anywhere else (a notebook, a test importing all of core) it does nothing.
"""

from alembic import context

from core.classroom.models import Base

config = getattr(context, "config", None)  # present only while Alembic runs this file
connection = config.attributes.get("connection") if config is not None else None
if config is not None and connection is None:
    raise RuntimeError("run migrations through core.classroom.database.upgrade(engine)")
if connection is not None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
