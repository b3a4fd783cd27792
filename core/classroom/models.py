"""The classroom's tables (SQLAlchemy 2 declarative models).

Times are seconds since the epoch (UTC) as floats: the same on SQLite and PostgreSQL, and
rate limits compare them in SQL. JSON columns hold small, bounded documents (a run's
settings and curves, a push's link). The schema is created and changed only by the Alembic
migrations in core/classroom/migrations (a test checks these models match them).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {  # stable constraint names, so migrations can name what they change
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


CASCADE = "CASCADE"


class InClass:
    """A row that belongs to one class and is gone with it."""

    classroom_id: Mapped[int] = mapped_column(
        ForeignKey("classrooms.id", ondelete=CASCADE), index=True
    )
    created_at: Mapped[float] = mapped_column(Double)


class Classroom(Base):
    __tablename__ = "classrooms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    teacher_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[float] = mapped_column(Double)
    created_by: Mapped[str] = mapped_column(String(64), index=True)  # the session that opened it
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    training_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    handwriting: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("classroom_id", "name_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    classroom_id: Mapped[int] = mapped_column(
        ForeignKey("classrooms.id", ondelete=CASCADE), index=True
    )
    name: Mapped[str] = mapped_column(String(40))
    name_key: Mapped[str] = mapped_column(String(160))
    joined_at: Mapped[float] = mapped_column(Double)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # SHA-256 of the student's secret, kept in their browser: a reload finds them again
    secret_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)


class Entry(InClass, Base):
    """A run a student sent to the board."""

    __tablename__ = "entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete=CASCADE), index=True)
    sweep_id: Mapped[int | None] = mapped_column(
        ForeignKey("sweeps.id", ondelete="SET NULL"), nullable=True, index=True
    )
    dataset: Mapped[str] = mapped_column(String(24))  # core.data name
    dataset_title: Mapped[str] = mapped_column(String(80))
    family: Mapped[str] = mapped_column(String(24))  # core.models family
    model: Mapped[str] = mapped_column(String(80))  # its title, e.g. "MLP 1x128 relu"
    optimizer: Mapped[str] = mapped_column(String(80))
    learning_rate: Mapped[float] = mapped_column(Double)
    batch_size: Mapped[int] = mapped_column(Integer)
    epochs: Mapped[int] = mapped_column(Integer)
    test_accuracy: Mapped[float] = mapped_column(Double)
    seconds: Mapped[float] = mapped_column(Double)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)  # the studio link's parameters
    curves: Mapped[dict[str, Any]] = mapped_column(JSON)  # series name -> points


class Drawing(InClass, Base):
    """A 28x28 model input a student drew, with the digit they meant."""

    __tablename__ = "drawings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete=CASCADE), index=True)
    label: Mapped[int] = mapped_column(Integer)
    pixels: Mapped[bytes] = mapped_column(LargeBinary)  # 784 uint8, row by row


class BestModel(Base):
    """The class's best MNIST model (its .keras bytes), one per class: the handwriting test's."""

    __tablename__ = "best_models"

    classroom_id: Mapped[int] = mapped_column(
        ForeignKey("classrooms.id", ondelete=CASCADE), primary_key=True
    )
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete=CASCADE))
    test_accuracy: Mapped[float] = mapped_column(Double)
    label: Mapped[str] = mapped_column(String(160))
    model_bytes: Mapped[bytes] = mapped_column(LargeBinary)


class Push(InClass, Base):
    """A page with settings the teacher sent to every student."""

    __tablename__ = "pushes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page: Mapped[str] = mapped_column(String(40))  # dashboard.navigation name
    query: Mapped[dict[str, str]] = mapped_column(JSON)
    description: Mapped[str] = mapped_column(String(240))


class Sweep(InClass, Base):
    """A class experiment: each student trains with one value of one setting."""

    __tablename__ = "sweeps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    classroom_id: Mapped[int] = mapped_column(
        ForeignKey("classrooms.id", ondelete=CASCADE), index=True
    )
    created_at: Mapped[float] = mapped_column(Double)
    variable: Mapped[str] = mapped_column(String(24))  # core.classroom.sweeps variable
    values: Mapped[list[Any]] = mapped_column(JSON)  # in the order they are handed out
    base: Mapped[dict[str, str]] = mapped_column(JSON)  # the studio settings everyone shares
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Assignment(Base):
    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("sweep_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sweep_id: Mapped[int] = mapped_column(ForeignKey("sweeps.id", ondelete=CASCADE), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete=CASCADE), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 0, 1, ...: which value, in hand-out order


class FailedJoin(Base):
    """A wrong join code typed by a session (rate limiting, shared by every server process)."""

    __tablename__ = "failed_joins"
    __table_args__ = (Index("ix_failed_joins_session_at", "session_key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_key: Mapped[str] = mapped_column(String(64))
    at: Mapped[float] = mapped_column(Double)
