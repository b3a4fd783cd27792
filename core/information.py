"""Information theory behind the loss functions: surprisal, entropy, cross-entropy, softmax.

    from core.information import entropy, cross_entropy
    entropy([0.02, 0.98], base=10)                      # 0.0426 hartleys
    cross_entropy([0, 0, 1], [0.1, 0.3, 0.6], base="e")  # 0.5108 nats

Every function takes plain lists or NumPy arrays and checks them first: a bad
argument raises ValueError with a message a student can act on. (softmax lets NaN
logits through to NaN, so a diverged network shows as NaN.) Logarithms are in
base 2 (bits), e (nats) or 10 (hartleys). Each quantity sits next to its
derivative, which the loss section of the page uses to explain training.
"""

from __future__ import annotations

import math

import numpy as np

BASES = {"2": 2.0, "e": math.e, "10": 10.0}  # the name a URL or a student uses -> the base
UNITS = {"2": "bits", "e": "nats", "10": "hartleys"}
SUM_TOLERANCE = 1e-4  # a float32 softmax printed with 6 decimals sums to 1 within ~1e-5
TUTORIAL_EPS = 1e-7  # the delta tutorials add inside log(q + eps) so that log(0) never happens
# (Keras' default epsilon has the same value, but Keras clips q to [eps, 1 - eps] instead)


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
    that p says can happen. Tutorials add eps = 1e-7 inside the log so a loss stays
    finite; Keras instead clips q to [1e-7, 1 - 1e-7] (the same to ~1e-7 unless q is 0).
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


def _temperature(temperature) -> float:
    try:
        value = float(temperature)
    except (TypeError, ValueError):
        raise ValueError(f"temperature must be a positive number, got {temperature!r}") from None
    if not 0 < value < math.inf:  # NaN fails too
        raise ValueError(f"temperature must be positive and finite, got {temperature}")
    return value


def _logits(z) -> np.ndarray:
    try:
        logits = np.asarray(z, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"softmax needs numbers (logits), got {z!r}") from None
    if logits.size == 0:
        raise ValueError("softmax needs at least one logit")
    return logits


def softmax(z, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """exp(z/T) / sum exp(z/T), computed as exp((z - max z) / T) so exp never overflows.

    Subtracting the max first also keeps z / T from overflowing (1e308 / 0.05 is inf).
    +inf logits share all the probability (the limit as they grow); NaN logits give NaN,
    so a diverged network shows as NaN instead of crashing here.
    """
    temperature = _temperature(temperature)
    logits = _logits(z)
    top = np.max(logits, axis=axis, keepdims=True)
    with np.errstate(over="ignore", invalid="ignore"):  # -inf differences are fine: exp -> 0
        if np.isfinite(top).all():  # the usual case, and the hot one (numerical gradients)
            exp = np.exp((logits - top) / temperature)
            return exp / exp.sum(axis=axis, keepdims=True)
        if np.any(np.isneginf(top)):
            raise ValueError("every logit is -inf: softmax has no class to give probability to")
        shifted = np.where(
            np.isposinf(top), np.where(np.isposinf(logits), 0.0, -np.inf), logits - top
        )
        exp = np.exp(shifted / temperature)  # the largest entry is exp(0) = 1: no 0 / 0
    return exp / exp.sum(axis=axis, keepdims=True)


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


# --- batches (one row per example, one-hot or integer labels) ------------------------------


def _prediction_rows(y_pred) -> np.ndarray:
    """(N, C) rows that are each a distribution; the first bad row is named in the error."""
    try:
        rows = np.asarray(y_pred, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"predictions must hold numbers only, got {y_pred!r}") from None
    rows = np.atleast_2d(rows)
    if rows.ndim != 2 or rows.size == 0:
        raise ValueError(f"predictions must be an (N, C) table, got shape {rows.shape}")
    # NaN fails both comparisons and inf fails the sum: one cheap pass for the good case
    good = (rows >= 0).all(axis=1) & (np.abs(rows.sum(axis=1) - 1) <= SUM_TOLERANCE)
    if not good.all():
        row = int(np.flatnonzero(~good)[0])
        distribution(rows[row], f"row {row} of the predictions")  # raises, saying what is wrong
    return rows


def _labels(targets, rows: np.ndarray) -> np.ndarray:
    """(N,) integer labels from (N,) whole numbers or (N, C) one-hot rows."""
    count, classes = rows.shape
    labels = np.asarray(targets)
    if labels.dtype.kind not in "iu":  # whole numbers written as floats are fine too
        try:
            labels = labels.astype(float)
        except (TypeError, ValueError):
            message = f"labels must be class numbers or one-hot rows, got {targets!r}"
            raise ValueError(message) from None
    if labels.ndim == 1 and labels.size == classes and count == 1 and classes > 1:
        labels = labels[np.newaxis]  # one example with a one-hot target, not C labels
    if labels.ndim == 2:
        if labels.shape != rows.shape:
            raise ValueError(
                f"the predictions are {count} rows of {classes} classes but the one-hot "
                f"targets are {labels.shape[0]} rows of {labels.shape[1]}: give one row of "
                f"{classes} zeros and ones per example"
            )
        one_hot = np.isin(labels, (0, 1)).all(axis=1) & (labels.sum(axis=1) == 1)
        if not one_hot.all():
            row = int(np.flatnonzero(~one_hot)[0])
            raise ValueError(
                f"target row {row} is {labels[row].tolist()}, not one-hot (a single 1): "
                "for soft targets use cross_entropy on each row"
            )
        return labels.argmax(axis=1)
    labels = labels.reshape(-1)
    if labels.size != count:
        raise ValueError(f"{count} predictions but {labels.size} labels: give one label per row")
    if labels.dtype.kind == "f" and not np.all(labels == np.round(labels)):  # NaN fails
        raise ValueError(f"labels must be whole class numbers or one-hot rows, got {targets!r}")
    outside = np.flatnonzero((labels < 0) | (labels >= classes))
    if outside.size:
        row = int(outside[0])
        raise ValueError(
            f"label {labels[row]:g} at row {row} is not a class: labels must be between 0 "
            f"and {classes - 1}, as the predictions have {classes} classes"
        )
    return labels.astype(int)


def _batch(y_pred, targets) -> tuple[np.ndarray, np.ndarray]:
    """(N, C) checked predictions and (N,) integer labels."""
    rows = _prediction_rows(y_pred)
    return rows, _labels(targets, rows)


def cross_entropy_rows(
    y_pred, targets, base: str | float = "e", eps: float = TUTORIAL_EPS
) -> np.ndarray:
    """Each row's -log_b(predicted probability of the true class + eps), shape (N,).

    y_pred: (N, C) rows, each a distribution; targets: (N, C) one-hot rows or (N,)
    integer labels. eps keeps log(0) = -inf out when a true class gets probability 0.
    """
    y_pred, labels = _batch(y_pred, targets)
    eps = _non_negative_eps(eps)
    picked = y_pred[np.arange(len(y_pred)), labels]  # (N,) probability of the true class
    return -_log(picked + eps, base)


def cross_entropy_batch(
    y_pred, targets, base: str | float = "e", eps: float = TUTORIAL_EPS
) -> float:
    """Mean over the batch of cross_entropy_rows: in nats by default, as Keras reports it."""
    return float(np.mean(cross_entropy_rows(y_pred, targets, base, eps)))


def sum_squared_error_rows(y_pred, targets) -> np.ndarray:
    """Each row's 1/2 sum (y - t)^2 against its one-hot target, shape (N,)."""
    y_pred, labels = _batch(y_pred, targets)
    one_hot = np.eye(y_pred.shape[1])[labels]
    return 0.5 * np.sum((y_pred - one_hot) ** 2, axis=1)


def sum_squared_error_batch(y_pred, targets) -> float:
    """Mean over the batch of 1/2 sum (y - t)^2 against one-hot targets."""
    return float(np.mean(sum_squared_error_rows(y_pred, targets)))


def cross_entropy_logit_gradient_rows(y_pred, targets) -> np.ndarray:
    """cross_entropy_logit_gradient of each row, q - t in nats, shape (N, C)."""
    y_pred, labels = _batch(y_pred, targets)
    return y_pred - np.eye(y_pred.shape[1])[labels]


def sum_squared_error_logit_gradient_rows(y_pred, targets) -> np.ndarray:
    """sum_squared_error_logit_gradient of each row, J^T (q - t), shape (N, C).

    J = diag(q) - q q^T is symmetric, so J^T e = q * e - q (q . e): no C x C matrix per row.
    """
    y_pred, labels = _batch(y_pred, targets)
    error = y_pred - np.eye(y_pred.shape[1])[labels]
    return y_pred * error - y_pred * np.sum(y_pred * error, axis=1, keepdims=True)


def confidence_sweep(
    prediction, target, base: str | float = "e", points: int = 99
) -> dict[str, np.ndarray]:
    """Losses and logit-gradient sizes as the true class's probability s goes from 0 to 1.

    Why classifiers use cross-entropy, as curves: the true class is the target's largest
    entry; the other classes share 1 - s in the proportions the prediction gives them
    (evenly if it gives them nothing). Cross-entropy uses eps = TUTORIAL_EPS, in `base`.
    """
    prediction, target = np.asarray(prediction, float), np.asarray(target, float)
    true_class = int(np.argmax(target))
    one_hot = np.eye(target.size)[true_class]
    others = np.where(one_hot > 0, 0.0, prediction)
    others = others / others.sum() if others.sum() > 0 else (1 - one_hot) / (target.size - 1)
    s = np.linspace(0.005, 0.995, points)
    rows = s[:, None] * one_hot + (1 - s[:, None]) * others  # (points, classes)
    labels = np.full(points, true_class)
    nats_per_unit = math.log(BASES[base_name(base)])  # q - t is in nats
    return {
        "true_probability": s,
        "cross_entropy": cross_entropy_rows(rows, labels, base),
        "sse": sum_squared_error_rows(rows, labels),
        "ce_gradient": np.linalg.norm(cross_entropy_logit_gradient_rows(rows, labels), axis=1)
        / nats_per_unit,
        "sse_gradient": np.linalg.norm(sum_squared_error_logit_gradient_rows(rows, labels), axis=1),
    }
