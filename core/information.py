"""Information theory behind the loss functions: surprisal, entropy, cross-entropy, softmax."""

from __future__ import annotations

import numpy as np


def softmax(z: np.ndarray, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """exp(z/T) / sum exp(z/T), shifted by the max first so exp never overflows."""
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    scaled = np.asarray(z, dtype=float) / temperature
    shifted = np.exp(scaled - scaled.max(axis=axis, keepdims=True))
    return shifted / shifted.sum(axis=axis, keepdims=True)


def cross_entropy_batch(y_pred: np.ndarray, targets: np.ndarray, eps: float = 1e-7) -> float:
    """Mean over the batch of -log(predicted probability of the true class), in nats.

    y_pred: (N, C) probabilities; targets: (N, C) one-hot or (N,) integer labels.
    eps keeps log(0) = -inf out of the mean when a true class gets probability 0.
    """
    y_pred = np.atleast_2d(np.asarray(y_pred, dtype=float))
    targets = np.asarray(targets)
    if targets.ndim == y_pred.ndim:  # one-hot rows
        targets = targets.argmax(axis=-1)
    targets = targets.reshape(-1)
    if len(targets) != len(y_pred):
        raise ValueError(f"{len(y_pred)} predictions but {len(targets)} labels")
    picked = y_pred[np.arange(len(y_pred)), targets]  # (N,) probability of the true class
    return float(-np.mean(np.log(picked + eps)))
