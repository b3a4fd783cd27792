"""Information theory behind the loss functions: surprisal, entropy, cross-entropy, softmax.

    from core.information import entropy, cross_entropy
    entropy([0.02, 0.98], base=10)                      # 0.0426 hartleys
    cross_entropy([0, 0, 1], [0.1, 0.3, 0.6], base="e")  # 0.5108 nats

Every function takes plain lists or NumPy arrays and checks them first: a bad
argument raises ValueError with a message a student can act on. (softmax and
the batch losses let NaN through to NaN, so a diverged network shows as NaN.) Logarithms
are in base 2 (bits), e (nats) or 10 (hartleys). Each quantity sits next to
its derivative, which the loss section of the page uses to explain training.
"""

from __future__ import annotations

import math

import numpy as np

BASES = {"2": 2.0, "e": math.e, "10": 10.0}  # the name a URL or a student uses -> the base
UNITS = {"2": "bits", "e": "nats", "10": "hartleys"}
SUM_TOLERANCE = 1e-4  # a float32 softmax printed with 6 decimals sums to 1 within ~1e-5
TUTORIAL_EPS = 1e-7  # the delta tutorials add inside log(q + eps) so that log(0) never happens


# --- checking arguments -------------------------------------------------------------------


def base_name(base: str | float) -> str:
    """'2', 'e' or '10' for any way of writing those three bases."""
    text = str(base).strip().lower()
    if text in BASES:
        return text
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    for name, value in BASES.items():
        if math.isclose(number, value):
            return name
    raise ValueError(f"base must be 2 (bits), e (nats) or 10 (hartleys), got {base!r}")


def unit(base: str | float) -> str:
    return UNITS[base_name(base)]


def finite_numbers(values, name: str) -> np.ndarray:
    """A 1-D float array of finite numbers, or a ValueError that says which entry is wrong."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold numbers only, got {values!r}") from None
    if array.ndim != 1:
        raise ValueError(f"{name} must be a flat list of numbers, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty: give one probability per class")
    for index, value in enumerate(array):
        if math.isnan(value):
            raise ValueError(f"{name} has NaN at entry {index} (counting from 0): not a number")
        if math.isinf(value):
            raise ValueError(f"{name} has an infinite value at entry {index} (counting from 0)")
    return array


def probabilities(values, name: str = "p") -> np.ndarray:
    """Numbers each between 0 and 1 (not necessarily summing to 1)."""
    array = finite_numbers(values, name)
    for index, value in enumerate(array):
        if value < 0:
            raise ValueError(
                f"{name} has a negative value {value:g} at entry {index} (counting from 0): "
                "a probability is between 0 and 1"
            )
        if value > 1:
            raise ValueError(
                f"{name} has {value:g} at entry {index} (counting from 0): "
                "a probability is between 0 and 1"
            )
    return array


def distribution(
    values, name: str = "p", normalise: bool = False, tolerance: float = SUM_TOLERANCE
) -> np.ndarray:
    """Non-negative numbers summing to 1 (within `tolerance`), or divided by their sum."""
    array = finite_numbers(values, name)
    negative = np.flatnonzero(array < 0)
    if negative.size:
        index = int(negative[0])
        raise ValueError(
            f"{name} has a negative value {array[index]:g} at entry {index} (counting from 0): "
            "probabilities cannot be negative"
        )
    total = float(array.sum())
    if total == 0:
        raise ValueError(f"{name} is all zeros: at least one class needs a positive probability")
    if normalise:
        return array / total
    if abs(total - 1) > tolerance:
        raise ValueError(
            f"{name} sums to {total:.6g}, not 1 (tolerance {tolerance:g}): "
            "divide every entry by the sum to normalise it"
        )
    return array


def same_length(p: np.ndarray, q: np.ndarray, p_name: str = "p", q_name: str = "q") -> None:
    if p.shape != q.shape:
        raise ValueError(
            f"{p_name} has {p.size} entries but {q_name} has {q.size}: "
            "they must give one probability for each of the same classes"
        )


def _log(x: np.ndarray, base: str | float) -> np.ndarray:
    """log_base(x); log(0) = -inf without a warning (the page explains it instead)."""
    with np.errstate(divide="ignore"):
        return np.log(x) / math.log(BASES[base_name(base)])


def _non_negative_eps(eps: float) -> float:
    if not eps >= 0:
        raise ValueError(f"eps must be 0 or a small positive number, got {eps}")
    return float(eps)


# --- surprisal and entropy ----------------------------------------------------------------


def surprisal(p, base: str | float = 2) -> np.ndarray:
    """-log_b p: how surprised you are when an event of probability p happens (inf at p = 0)."""
    return -_log(probabilities(p, "p"), base)


def surprisal_gradient(p, base: str | float = 2) -> np.ndarray:
    """d(-log_b p)/dp = -1 / (p ln b): steep near 0, which is why unlikely events cost so much."""
    p = probabilities(p, "p")
    with np.errstate(divide="ignore"):
        return -1 / (p * math.log(BASES[base_name(base)]))


def entropy_terms(p, base: str | float = 2, normalise: bool = False) -> np.ndarray:
    """Each class's share p_i * (-log_b p_i) of H(p); 0 * log 0 counts as 0 (its limit)."""
    p = distribution(p, "p", normalise)
    return np.where(p > 0, -p * _log(np.where(p > 0, p, 1), base), 0.0) + 0.0  # no -0.0


def entropy(p, base: str | float = 2, normalise: bool = False) -> float:
    """H(p) = -sum p_i log_b p_i: the average surprisal, 0 for a sure thing, log_b n at most."""
    return float(entropy_terms(p, base, normalise).sum())


def entropy_gradient(p, base: str | float = 2) -> np.ndarray:
    """dH/dp_i = -(log_b p_i + 1/ln b), treating each p_i as free (before the sum-to-1 rule)."""
    p = distribution(p, "p")
    return -(_log(p, base) + 1 / math.log(BASES[base_name(base)]))


def bernoulli_entropy(p, base: str | float = 2) -> np.ndarray:
    """H of a yes/no event with P(yes) = p, for each p: 1 bit at p = 0.5, 0 at p = 0 or 1."""
    p = probabilities(np.atleast_1d(p), "p")
    terms = [np.where(x > 0, -x * _log(np.where(x > 0, x, 1), base), 0.0) for x in (p, 1 - p)]
    return terms[0] + terms[1]


# --- cross-entropy and KL divergence ------------------------------------------------------


def cross_entropy_terms(
    p_true, q_pred, base: str | float = 2, eps: float = 0.0, normalise: bool = False
) -> np.ndarray:
    """Each class's share -p_i log_b(q_i + eps) of H(p, q); classes with p_i = 0 add 0."""
    p = distribution(p_true, "p", normalise)
    q = distribution(q_pred, "q", normalise)
    same_length(p, q)
    eps = _non_negative_eps(eps)
    with np.errstate(invalid="ignore"):  # 0 * inf where p_i = 0: replaced by 0 below
        return np.where(p > 0, -p * _log(q + eps, base), 0.0) + 0.0  # + 0.0: no -0.0


def cross_entropy(
    p_true, q_pred, base: str | float = 2, eps: float = 0.0, normalise: bool = False
) -> float:
    """H(p, q) = -sum p_i log_b(q_i + eps): the average surprisal of the truth under q.

    With eps = 0 this is the definition, and it is infinite when q gives 0 to a class
    that p says can happen. Tutorials and Keras use eps = 1e-7 so a loss stays finite.
    """
    return float(cross_entropy_terms(p_true, q_pred, base, eps, normalise).sum())


def cross_entropy_gradient(p_true, q_pred, base: str | float = 2, eps: float = 0.0) -> np.ndarray:
    """dH(p, q)/dq_i = -p_i / ((q_i + eps) ln b): explodes as the true class's q goes to 0."""
    p, q = distribution(p_true, "p"), distribution(q_pred, "q")
    same_length(p, q)
    eps = _non_negative_eps(eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        gradient = -p / ((q + eps) * math.log(BASES[base_name(base)]))
    return np.where(p > 0, gradient, 0.0)


def kl_divergence(p, q, base: str | float = 2, normalise: bool = False) -> float:
    """D_KL(p || q) = sum p_i log_b(p_i / q_i) = H(p, q) - H(p): the extra cost of believing q."""
    p = distribution(p, "p", normalise)
    q = distribution(q, "q", normalise)
    same_length(p, q)
    with np.errstate(divide="ignore", invalid="ignore"):  # p_i = 0 terms are replaced by 0
        terms = np.where(p > 0, p * (_log(np.where(p > 0, p, 1), base) - _log(q, base)), 0.0)
    return float(terms.sum())


def binary_cross_entropy(
    targets, predictions, base: str | float = "e", eps: float = TUTORIAL_EPS
) -> float:
    """Mean over entries of -[t log(y + eps) + (1 - t) log(1 - y + eps)], t and y in [0, 1].

    The loss of a sigmoid output; the eps keeps a confident wrong answer finite.
    """
    t = probabilities(np.ravel(targets), "targets")
    y = probabilities(np.ravel(predictions), "predictions")
    same_length(t, y, "targets", "predictions")
    eps = _non_negative_eps(eps)
    with np.errstate(invalid="ignore"):  # 0 * -inf: that term is absent, not NaN
        hit = np.where(t > 0, t * _log(y + eps, base), 0.0)
        miss = np.where(t < 1, (1 - t) * _log(1 - y + eps, base), 0.0)
    return float(-np.mean(hit + miss))


# --- squared error ------------------------------------------------------------------------


def sum_squared_error(y, t) -> float:
    """E = 1/2 sum (y_i - t_i)^2; the 1/2 cancels the 2 of the derivative."""
    y, t = finite_numbers(y, "y"), finite_numbers(t, "t")
    same_length(y, t, "y", "t")
    return float(0.5 * np.sum((y - t) ** 2))


def sum_squared_error_gradient(y, t) -> np.ndarray:
    """dE/dy_i = y_i - t_i: never larger than 1 for probabilities, however wrong the answer."""
    y, t = finite_numbers(y, "y"), finite_numbers(t, "t")
    same_length(y, t, "y", "t")
    return y - t


# --- softmax and the gradients a classifier actually sees ----------------------------------


def softmax(z: np.ndarray, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """exp(z/T) / sum exp(z/T), shifted by the max first so exp never overflows."""
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    scaled = np.asarray(z, dtype=float) / temperature
    if scaled.size == 0:
        raise ValueError("softmax needs at least one logit")
    # NaN logits give NaN out, as before: a diverged network must show as NaN, not crash here
    shifted = np.exp(scaled - scaled.max(axis=axis, keepdims=True))
    return shifted / shifted.sum(axis=axis, keepdims=True)


def softmax_jacobian(q) -> np.ndarray:
    """dq_i/dz_j = q_i (delta_ij - q_j) for q = softmax(z): tiny when q is nearly one-hot."""
    q = finite_numbers(q, "q")
    return np.diag(q) - np.outer(q, q)


def cross_entropy_logit_gradient(q, t) -> np.ndarray:
    """d H(t, softmax(z)) / dz = q - t in nats (t sums to 1): stays large while q is wrong."""
    q, t = distribution(q, "q"), distribution(t, "t")
    same_length(q, t, "q", "t")
    return q - t


def sum_squared_error_logit_gradient(q, t) -> np.ndarray:
    """d E(softmax(z), t) / dz = J^T (q - t): the softmax Jacobian J shrinks it near q = 0 or 1."""
    q, t = finite_numbers(q, "q"), finite_numbers(t, "t")
    same_length(q, t, "q", "t")
    return softmax_jacobian(q).T @ (q - t)


# --- batches (mean over N, one-hot or integer labels) --------------------------------------


def _batch(y_pred, targets) -> tuple[np.ndarray, np.ndarray]:
    """(N, C) predictions and (N,) integer labels from one-hot rows or integer labels."""
    y_pred = np.asarray(y_pred, dtype=float)
    targets = np.asarray(targets)
    if y_pred.ndim == 1 and targets.shape == y_pred.shape:  # one example, one-hot target
        targets = targets[np.newaxis]
    y_pred = np.atleast_2d(y_pred)
    if y_pred.ndim != 2 or y_pred.size == 0:
        raise ValueError(f"predictions must be an (N, C) table, got shape {y_pred.shape}")
    if targets.ndim == y_pred.ndim:  # one-hot rows
        targets = targets.argmax(axis=-1)
    targets = targets.reshape(-1)
    if len(targets) != len(y_pred):
        raise ValueError(f"{len(y_pred)} predictions but {len(targets)} labels")
    if not np.issubdtype(targets.dtype, np.integer):
        raise ValueError("labels must be whole class numbers or one-hot rows")
    if targets.min() < 0 or targets.max() >= y_pred.shape[1]:
        raise ValueError(f"labels must be between 0 and {y_pred.shape[1] - 1}")
    return y_pred, targets


def cross_entropy_batch(y_pred: np.ndarray, targets: np.ndarray, eps: float = 1e-7) -> float:
    """Mean over the batch of -log(predicted probability of the true class), in nats.

    y_pred: (N, C) probabilities; targets: (N, C) one-hot or (N,) integer labels.
    eps keeps log(0) = -inf out of the mean when a true class gets probability 0.
    """
    y_pred, targets = _batch(y_pred, targets)
    picked = y_pred[np.arange(len(y_pred)), targets]  # (N,) probability of the true class
    return float(-np.mean(np.log(picked + eps)))


def sum_squared_error_batch(y_pred: np.ndarray, targets: np.ndarray) -> float:
    """Mean over the batch of 1/2 sum (y - t)^2 against one-hot targets."""
    y_pred, targets = _batch(y_pred, targets)
    one_hot = np.eye(y_pred.shape[1])[targets]
    return float(np.mean(0.5 * np.sum((y_pred - one_hot) ** 2, axis=1)))
