"""The classroom's one kind of error: its message is one sentence for the page."""

from __future__ import annotations


class ClassroomError(ValueError):
    """A request the classroom refuses (a limit, a wrong code, a closed class ...)."""


class StoreUnavailable(ClassroomError):
    """The class database cannot be reached or used right now."""
