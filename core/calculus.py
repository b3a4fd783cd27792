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
    f: Callable[[np.ndarray], float],
    x: np.ndarray,
    h: float = 1e-4,
    after_entry: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Gradient of a scalar f at x (any shape) by central differences, one entry at a time.

    x is nudged in place and restored, so f may close over x itself (as the
    two-layer net's loss closes over its own weights). `after_entry(index)` is called
    once each entry is done: a long check reports progress there, or raises to stop.
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
        if after_entry is not None:
            after_entry(index)
    return gradient


def numerical_gradient_batch(
    f: Callable[[np.ndarray], np.ndarray], points: np.ndarray, h: float = 1e-4, scheme="central"
) -> np.ndarray:
    """Gradients at many points at once: f maps (..., d) to (...), points is (..., d).

    Every coordinate is nudged in one array of 2d copies (central) or d + 1 (forward),
    so f runs once however many points there are. Forward differences,
    (f(x + h) - f(x)) / h, are here to show why central ones are preferred.
    """
    if not h > 0:
        raise ValueError(f"h must be a positive step, got {h}")
    if scheme not in ("central", "forward"):
        raise ValueError(f"scheme must be 'central' or 'forward', got {scheme!r}")
    points = np.asarray(points, dtype=float)
    dimensions = points.shape[-1]
    nudges = h * np.eye(dimensions).reshape(
        (dimensions,) + (1,) * (points.ndim - 1) + (dimensions,)
    )
    if scheme == "central":
        values = f(np.concatenate([points + nudges, points - nudges]))
        above, below = values[:dimensions], values[dimensions:]
        differences = (above - below) / (2 * h)
    else:
        values = f(np.concatenate([points + nudges, points[None]]))
        differences = (values[:dimensions] - values[dimensions:]) / h
    return np.moveaxis(differences, 0, -1)


def difference_errors(
    f: Callable[[np.ndarray], np.ndarray],
    gradient: Callable[[np.ndarray], np.ndarray],
    point: np.ndarray,
    hs: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Largest |numerical - analytic| gradient entry at point, for every h: (central, forward).

    Big h: truncation error (forward ~ h, central ~ h^2). Tiny h: f(x+h) - f(x-h) loses
    its digits to rounding, error ~ 1e-16 |f| / h. The best h sits in between.
    """
    point = np.asarray(point, dtype=float).reshape(-1)
    hs = np.asarray(hs, dtype=float).reshape(-1, 1)  # (h, 1): one row of quotients per h
    if not (hs > 0).all():
        raise ValueError(f"every h must be a positive step, got {hs.ravel()}")
    exact = gradient(point)
    # Every h and coordinate at once, (h, d, d) nudged points; the same arithmetic as
    # numerical_gradient_batch, so the numbers are the same as one h at a time.
    nudges = hs[:, :, None] * np.eye(point.size)
    above, below = f(point + nudges), f(point - nudges)  # (h, d)
    central = (above - below) / (2 * hs)
    forward = (above - f(point)) / hs
    return np.abs(central - exact).max(axis=1), np.abs(forward - exact).max(axis=1)
