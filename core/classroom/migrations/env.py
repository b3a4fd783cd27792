"""Alembic's environment: the connection comes from core.classroom.database (no alembic.ini).

from core.classroom.database import make_engine, upgrade
upgrade(make_engine(url))
"""

from alembic import context

from core.classroom.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through core.classroom.database.upgrade(engine)")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
