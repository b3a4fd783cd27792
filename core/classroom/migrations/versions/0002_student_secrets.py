"""A student's secret (its hash): a reloaded page finds its student again.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 20:30:16.154091
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("secret_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_members_secret_hash"), ["secret_hash"])


def downgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_members_secret_hash"), type_="unique")
        batch_op.drop_column("secret_hash")
