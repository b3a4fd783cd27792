"""What the classroom store hands out: plain frozen records, never live database rows."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from core.classroom.errors import ClassroomError
from core.classroom.limits import MAX_CURVE_POINTS, MAX_SETTINGS_CHARS


@dataclass(frozen=True)
class ClassInfo:
    id: int
    code: str
    name: str
    closed: bool
    training_paused: bool
    members: int  # students in the class now


@dataclass(frozen=True)
class NewClass:
    classroom: ClassInfo
    teacher_token: str  # shown once, in the teacher link; only its hash is stored


@dataclass(frozen=True)
class Membership:
    class_id: int
    member_id: int
    name: str  # as the class sees it (a duplicate got a suffix)
    class_name: str
    code: str
    secret: str = field(default="", repr=False)  # kept by the browser to come back after a reload


@dataclass(frozen=True)
class RunReport:
    """A finished studio run, as a student sends it to the board."""

    dataset: str  # core.data name
    dataset_title: str
    family: str  # core.models family
    model: str  # describe_model(...)
    optimizer: str  # its title
    learning_rate: float
    batch_size: int
    epochs: int
    test_accuracy: float
    seconds: float
    settings: dict[str, str]  # the studio link's parameters: opens the same run
    curves: dict[str, Any]  # series name -> points
    model_bytes: bytes | None = None  # its .keras file (kept only if the class's best on MNIST)


@dataclass(frozen=True)
class BoardEntry:
    id: int
    student: str
    dataset: str
    dataset_title: str
    family: str
    model: str
    optimizer: str
    learning_rate: float
    batch_size: int
    epochs: int
    test_accuracy: float
    seconds: float
    sweep_id: int | None
    created_at: float


@dataclass(frozen=True)
class PushInfo:
    id: int
    page: str
    query: dict[str, str]
    description: str
    created_at: float


@dataclass(frozen=True)
class SweepInfo:
    id: int
    variable: str
    values: list  # in hand-out order
    base: dict[str, str]
    active: bool
    assigned: int  # students who got a value


@dataclass(frozen=True)
class Assignment:
    sweep_id: int
    variable: str
    value: Any
    query: dict[str, str]  # the studio settings to open: the sweep's base and this value
    position: int  # 0, 1, ... in hand-out order


@dataclass(frozen=True)
class Board:
    classroom: ClassInfo
    entries: list[BoardEntry]  # newest first
    push: PushInfo | None
    sweep: SweepInfo | None  # the latest class experiment
    drawings: int
    handwriting: dict[str, Any] | None  # the last handwriting test's result
    students: list[str] = field(default_factory=list)


def json_safe(value: Any, depth: int = 0) -> Any:
    """Numbers, text, lists and dicts that every database's JSON accepts (no NaN, no numpy)."""
    if depth > 6:
        raise ClassroomError("The run's curves are nested too deeply to keep.")
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:  # numpy scalar
        return json_safe(value.item(), depth)
    if isinstance(value, dict):
        return {str(key)[:60]: json_safe(item, depth + 1) for key, item in value.items()}
    if hasattr(value, "tolist"):
        return json_safe(value.tolist(), depth)
    if isinstance(value, list | tuple):
        return [json_safe(item, depth + 1) for item in value]
    return str(value)[:200]


def thinned(points: list, limit: int = MAX_CURVE_POINTS) -> list:
    """At most `limit` points spread evenly over the curve, its last point kept."""
    if len(points) <= limit:
        return list(points)
    step = (len(points) - 1) / (limit - 1)
    return [points[round(index * step)] for index in range(limit)]


def bounded_curves(curves: dict[str, Any]) -> dict[str, Any]:
    kept = {}
    for name, points in list(curves.items())[:12]:
        kept[str(name)[:60]] = thinned(list(points)) if isinstance(points, list | tuple) else []
    return json_safe(kept)


def bounded_settings(settings: dict[str, Any], what: str = "run's settings") -> dict[str, str]:
    cleaned = {str(key)[:60]: str(value)[:400] for key, value in settings.items()}
    if len(repr(cleaned)) > MAX_SETTINGS_CHARS:
        raise ClassroomError(
            f"The {what} are too long to keep (at most {MAX_SETTINGS_CHARS:,} characters)."
        )
    return cleaned
