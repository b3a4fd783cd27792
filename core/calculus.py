"""Numerical derivatives, the slow but trustworthy reference for every gradient here."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def numerical_diff(f: Callable[[float], float], x: float, h: float = 1e-4) -> float:
    """Central difference (f(x+h) - f(x-h)) / 2h: error O(h^2) instead of O(h)."""
    if not h > 0:
        raise ValueError(f"h must be a positive step, got {h}")
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(
    f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-4
) -> np.ndarray:
    """Gradient of a scalar f at x (any shape) by central differences, one entry at a time.

    x is nudged in place and restored, so f may close over x itself (as the
    two-layer net's loss closes over its own weights).
    """
    if not h > 0:
        raise ValueError(f"h must be a positive step, got {h}")
    if not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"x must hold floats to be nudged by h, got dtype {x.dtype}")
    gradient = np.zeros_like(x)
    flat_x, flat_gradient = x.reshape(-1), gradient.reshape(-1)  # views: writes reach x
    for index in range(flat_x.size):
        original = flat_x[index]
        flat_x[index] = original + h
        above = f(x)
        flat_x[index] = original - h
        below = f(x)
        flat_x[index] = original
        flat_gradient[index] = (above - below) / (2 * h)
    return gradient
