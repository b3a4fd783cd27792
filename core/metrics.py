"""What a classifier's answers are worth, each number written once for every page and test.

    accuracy(probabilities, labels)            # share of rows whose top class is the label
    cross_entropy(probabilities, labels)       # mean -ln p(true class), in nats as Keras says
    entropy(p, base="2")                       # how unsure one answer is (core.information)
    confusion_matrix(labels, predictions, 10)  # scikit-learn's counts[true, predicted]

Cross-entropy and entropy are the information lab's own functions (core.information),
re-exported here so a page that scores a model finds every metric in one place.
"""

from __future__ import annotations

import numpy as np

from core.information import cross_entropy_batch as cross_entropy
from core.information import entropy

__all__ = [
    "accuracy",
    "confusion_matrix",
    "cross_entropy",
    "entropy",
    "per_class_accuracy",
    "predicted_classes",
    "worst_mistakes",
]


def predicted_classes(scores: np.ndarray) -> np.ndarray:
    """The class each row votes for: (N, C) probabilities or logits -> (N,) indices."""
    scores = np.asarray(scores)
    if scores.ndim != 2:
        raise ValueError(f"scores must be one row of class scores per image, got {scores.shape}")
    return np.argmax(scores, axis=1)


def accuracy(scores: np.ndarray, labels: np.ndarray) -> float:
    """Share of rows whose highest score is the label; scores may be (N, C) or (N,) classes."""
    scores, labels = np.asarray(scores), np.asarray(labels)
    predicted = scores if scores.ndim == 1 else predicted_classes(scores)
    if len(predicted) != len(labels) or len(labels) == 0:
        raise ValueError(
            f"need as many labels as answers, at least one: {len(predicted)} and {len(labels)}"
        )
    return float(np.mean(predicted == labels))


def confusion_matrix(labels: np.ndarray, predictions: np.ndarray, classes: int) -> np.ndarray:
    """counts[i, j] = images of true class i predicted as class j (scikit-learn's, all classes)."""
    from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix

    return sklearn_confusion_matrix(labels, predictions, labels=np.arange(classes))


def per_class_accuracy(counts: np.ndarray) -> np.ndarray:
    """Diagonal over row sums; NaN for a class with no image."""
    totals = counts.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(counts) / totals, np.nan)


def worst_mistakes(probabilities: np.ndarray, labels: np.ndarray, limit: int = 24) -> np.ndarray:
    """Indices of misclassified images, most confident wrong answer first."""
    predictions = predicted_classes(probabilities)
    wrong = np.flatnonzero(predictions != labels)
    confidence = probabilities[wrong, predictions[wrong]]
    return wrong[np.argsort(-confidence, kind="stable")][:limit]
