"""Each metric once (core.metrics), checked against Keras, scikit-learn and scipy."""

import keras
import numpy as np
import pytest
from scipy import stats
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix

from core.metrics import (
    accuracy,
    confusion_matrix,
    cross_entropy,
    entropy,
    per_class_accuracy,
    worst_mistakes,
)


@pytest.fixture
def probabilities_and_labels():
    rng = np.random.default_rng(3)
    logits = rng.normal(size=(200, 10))
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return probabilities, rng.integers(0, 10, size=200)


def test_cross_entropy_matches_keras(probabilities_and_labels):
    probabilities, labels = probabilities_and_labels
    reference = keras.losses.SparseCategoricalCrossentropy()(labels, probabilities)
    assert cross_entropy(probabilities, labels) == pytest.approx(float(reference), rel=1e-5)


def test_accuracy_matches_keras(probabilities_and_labels):
    probabilities, labels = probabilities_and_labels
    metric = keras.metrics.SparseCategoricalAccuracy()
    metric.update_state(labels, probabilities)
    assert accuracy(probabilities, labels) == pytest.approx(float(metric.result()))


def test_confusion_matrix_matches_scikit_learn(probabilities_and_labels):
    probabilities, labels = probabilities_and_labels
    predictions = probabilities.argmax(axis=1)
    counts = confusion_matrix(labels, predictions, 10)
    np.testing.assert_array_equal(
        counts, sklearn_confusion_matrix(labels, predictions, labels=range(10))
    )
    np.testing.assert_allclose(
        per_class_accuracy(counts),
        [np.mean(predictions[labels == k] == k) for k in range(10)],
    )


def test_worst_mistakes_are_wrong_and_sorted_by_confidence(probabilities_and_labels):
    probabilities, labels = probabilities_and_labels
    worst = worst_mistakes(probabilities, labels, limit=10)
    predictions = probabilities.argmax(axis=1)
    assert np.all(predictions[worst] != labels[worst])
    confidence = probabilities[worst, predictions[worst]]
    assert np.all(np.diff(confidence) <= 0)
    wrong = np.flatnonzero(predictions != labels)
    assert confidence[0] == pytest.approx(probabilities[wrong, predictions[wrong]].max())


@pytest.mark.parametrize("seed", range(4))
def test_entropy_in_bits_matches_scipy(seed):
    p = np.random.default_rng(seed).dirichlet(np.ones(10))
    p[seed] = 0.0  # a zero probability contributes 0 log 0 = 0
    p /= p.sum()
    assert entropy(p, base=2) == pytest.approx(stats.entropy(p, base=2), abs=1e-12)


def test_entropy_extremes():
    assert entropy(np.eye(10)[3], base=2) == 0.0
    assert entropy(np.full(10, 0.1), base=2) == pytest.approx(np.log2(10))


def test_example_loss_is_minus_log_of_the_true_class():
    p = np.array([0.1, 0.7, 0.2])
    assert cross_entropy(p[None], [1]) == pytest.approx(-np.log(0.7), abs=1e-6)
    assert cross_entropy(np.array([1.0, 0.0])[None], [1]) == pytest.approx(-np.log(1e-7))
    with pytest.raises(ValueError, match="is not a class"):
        cross_entropy(p[None], [3])


def test_keras_agrees_on_the_example_loss():
    """Keras' own sparse categorical cross-entropy of one example is the same number."""
    p = np.array([[0.05, 0.6, 0.35]], dtype=np.float32)
    keras_loss = keras.losses.SparseCategoricalCrossentropy()(np.array([2]), p)
    assert cross_entropy(p[0][None], [2]) == pytest.approx(float(keras_loss), abs=1e-5)


def test_accuracy_takes_scores_or_predicted_classes_and_refuses_a_mismatch():
    scores = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    assert accuracy(scores, [0, 1, 1]) == pytest.approx(2 / 3)
    assert accuracy(np.array([0, 1, 0]), [0, 1, 1]) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="as many labels"):
        accuracy(scores, [0, 1])
    with pytest.raises(ValueError, match="as many labels"):
        accuracy(np.zeros(0), [])


def test_confusion_matrix_has_a_row_for_a_class_that_never_appears():
    counts = confusion_matrix(np.array([0, 0, 2]), np.array([0, 2, 2]), 4)
    assert counts.shape == (4, 4)
    np.testing.assert_array_equal(counts[1], 0)
    assert np.isnan(per_class_accuracy(counts)[1])
