"""A cache shared by every session of a server, bounded in bytes as well as in entries.

A results cache bounded only in entries can still hold gigabytes when one entry can be
large (a link asking for a thousand optimizers once held about 1 GB per entry). Here each
entry's size is measured when it is stored (the NumPy arrays inside it), and the least
recently used entries are dropped until the total fits; an entry larger than the whole
budget is returned but not kept.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np


def nbytes(value: Any) -> int:
    """The bytes of the NumPy arrays inside a value (lists, tuples, dicts, dataclasses)."""
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if isinstance(value, list | tuple):
        return sum(nbytes(item) for item in value)
    if isinstance(value, dict):
        return sum(nbytes(item) for item in value.values())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(nbytes(getattr(value, field.name)) for field in dataclasses.fields(value))
    return 64  # a number, a string: small next to the arrays


def bounded_cache(max_bytes: int, max_entries: int = 64) -> Callable:
    """Decorator: remember results by their (hashable) arguments within the bounds."""

    def decorate(function: Callable) -> Callable:
        entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        lock = threading.Lock()
        total = 0

        @functools.wraps(function)
        def cached(*args: Hashable) -> Any:
            nonlocal total
            with lock:
                if args in entries:
                    entries.move_to_end(args)
                    return entries[args][0]
            value = function(*args)
            size = nbytes(value)
            if size > max_bytes:
                return value
            with lock:
                if args not in entries:
                    entries[args] = (value, size)
                    total += size
                while total > max_bytes or len(entries) > max_entries:
                    _, (_, dropped) = entries.popitem(last=False)
                    total -= dropped
            return value

        cached.cache_bytes = lambda: total  # for tests and benchmarks
        cached.cache_entries = lambda: len(entries)
        return cached

    return decorate
