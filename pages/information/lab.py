"""What the Information & loss lab computes for one section, without any UI.

`evaluate(LabInput(...))` returns a `LabResult` with every number and column the
page shows, or raises ValueError with the message the page shows instead.
Kept free of streamlit so the benchmark and the tests can call it directly.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from core import information as info
from core.data import DIGIT_NAMES, FASHION_NAMES

SECTIONS = {
    "entropy": "Surprisal & entropy",
    "cross_entropy": "Cross-entropy & KL",
    "sse": "SSE vs cross-entropy",
    "softmax": "Softmax & temperature",
}
# A two-outcome example (the lottery) names its outcomes; more classes get numbers.
OUTCOME_NAMES = ("win", "lose", *(f"outcome {number}" for number in range(3, 11)))
NAME_SETS = {"digits": DIGIT_NAMES, "fashion": FASHION_NAMES, "outcomes": OUTCOME_NAMES}
MIN_CLASSES, MAX_CLASSES = 2, 10
LOG_COLUMNS = ("surprisal", "p × surprisal", "-log q", "p × (-log p)", "p × (-log q)")


@dataclass(frozen=True)
class LabInput:
    section: str  # one of SECTIONS
    class_names: tuple[str, ...]  # one per class; their count is the number of classes
    p: tuple[float, ...]  # the true distribution (the target in the SSE section)
    q: tuple[float, ...]  # the prediction
    base: str  # "2", "e" or "10"
    auto_normalise: bool  # divide p and q by their sums instead of refusing them
    logits: tuple[float, ...]  # softmax section: the scores z
    temperature: float  # softmax section: T in exp(z/T)


@dataclass(frozen=True)
class LabResult:
    section: str
    inputs: LabInput
    numbers: dict[str, float]  # name -> value, e.g. "entropy": 1.75
    columns: dict[str, np.ndarray]  # per-class table columns, class names first
    notes: tuple[str, ...] = field(default=())  # things to warn about that are not errors


def class_names(names: str, count: int) -> tuple[str, ...]:
    """The first `count` names of a name set; digits or Fashion-MNIST classes."""
    if names not in NAME_SETS:
        raise ValueError(f"names must be one of {', '.join(NAME_SETS)}, got {names!r}")
    if not MIN_CLASSES <= count <= MAX_CLASSES:
        raise ValueError(
            f"the number of classes must be between {MIN_CLASSES} and {MAX_CLASSES}, got {count}"
        )
    return tuple(NAME_SETS[names][:count])


def _check_count(values: np.ndarray, name: str, classes: int) -> None:
    if values.size != classes:
        raise ValueError(
            f"{name} has {values.size} values but there are {classes} classes: "
            f"give one probability per class"
        )


def _one_distribution(inputs: LabInput, which: str) -> np.ndarray:
    values = info.distribution(getattr(inputs, which), which, inputs.auto_normalise)
    _check_count(values, which, len(inputs.class_names))
    return values


def _two_distributions(inputs: LabInput) -> tuple[np.ndarray, np.ndarray]:
    p = info.distribution(inputs.p, "p", inputs.auto_normalise)
    q = info.distribution(inputs.q, "q", inputs.auto_normalise)
    info.same_length(p, q)
    _check_count(p, "p", len(inputs.class_names))
    return p, q


def column_header(name: str, base: str) -> str:
    """A table column's name with its unit; probabilities and logits have none to show."""
    unit = info.unit(base)
    if name in LOG_COLUMNS:
        return f"{name} ({unit})"
    if name == "dCE/dy":
        return f"dCE/dy ({unit} per unit of y)"
    if name == "dSSE/dy":
        return "dSSE/dy (no unit)"
    return name


def _infinite_note(p: np.ndarray, q: np.ndarray, inputs: LabInput, with_eps: float) -> str:
    """Why the loss is ∞, and what eps makes of it, in the words of the section."""
    zero = ", ".join(inputs.class_names[i] for i in np.flatnonzero((p > 0) & (q == 0)))
    if inputs.section == "sse":
        what = f"y gives probability 0 to class {zero}, the target's class"
        infinite = "the cross-entropy without eps is ∞"
        clipped = "y"
    else:
        what = f"q gives probability 0 to class {zero}, which p says can happen"
        infinite = "H(p, q) and D_KL are ∞"
        clipped = "q"
    return (
        f"{what}: log 0 = −∞, so {infinite}. With eps = {info.TUTORIAL_EPS:g} added inside "
        f"the log, log({clipped} + eps) as the tutorials write it, the cross-entropy is "
        f"{with_eps:.4f} {info.unit(inputs.base)}. (Keras clips {clipped} to "
        f"[eps, 1 − eps] instead, which gives that class the same −log eps.)"
    )


def evaluate_entropy(inputs: LabInput) -> LabResult:
    p = _one_distribution(inputs, "p")
    terms = info.entropy_terms(p, inputs.base)
    entropy = float(terms.sum())
    numbers = {
        "entropy": entropy,
        "max_entropy": math.log(p.size) / math.log(info.BASES[inputs.base]),
        "effective_classes": float(info.BASES[inputs.base] ** entropy),  # b^H: the perplexity
    }
    columns = {
        "class": np.array(inputs.class_names),
        "p": p,
        "surprisal": info.surprisal(p, inputs.base),
        "p × surprisal": terms,
    }
    return LabResult("entropy", inputs, numbers, columns)


def evaluate_cross_entropy(inputs: LabInput) -> LabResult:
    p, q = _two_distributions(inputs)
    cross_terms = info.cross_entropy_terms(p, q, inputs.base)
    with_eps = info.cross_entropy(p, q, inputs.base, eps=info.TUTORIAL_EPS)
    numbers = {
        "entropy": info.entropy(p, inputs.base),
        "cross_entropy": float(cross_terms.sum()),
        "kl_divergence": info.kl_divergence(p, q, inputs.base),
        "cross_entropy_eps": with_eps,
    }
    notes = ()
    if math.isinf(numbers["cross_entropy"]):
        notes = (_infinite_note(p, q, inputs, with_eps),)
    columns = {
        "class": np.array(inputs.class_names),
        "p": p,
        "q": q,
        "-log q": info.surprisal(q, inputs.base),
        "p × (-log p)": info.entropy_terms(p, inputs.base),
        "p × (-log q)": cross_terms,
    }
    return LabResult("cross_entropy", inputs, numbers, columns, notes)


def evaluate_sse(inputs: LabInput) -> LabResult:
    target, prediction = _two_distributions(inputs)
    numbers = {
        "sse": info.sum_squared_error(prediction, target),
        "cross_entropy": info.cross_entropy(target, prediction, inputs.base),
        "cross_entropy_eps": info.cross_entropy(
            target, prediction, inputs.base, eps=info.TUTORIAL_EPS
        ),
        "ce_logit_gradient": float(  # y - t: differences of probabilities, no unit
            np.linalg.norm(info.cross_entropy_logit_gradient(prediction, target))
        ),
        "sse_logit_gradient": float(
            np.linalg.norm(info.sum_squared_error_logit_gradient(prediction, target))
        ),
        "true_probability": float(prediction @ target),  # q of the true class for a one-hot p
    }
    columns = {
        "class": np.array(inputs.class_names),
        "target t": target,
        "prediction y": prediction,
        "dSSE/dy": info.sum_squared_error_gradient(prediction, target),
        "dCE/dy": info.cross_entropy_gradient(
            target, prediction, inputs.base, eps=info.TUTORIAL_EPS
        ),
    }
    notes = ()
    if math.isinf(numbers["cross_entropy"]):
        notes = (_infinite_note(target, prediction, inputs, numbers["cross_entropy_eps"]),)
    return LabResult("sse", inputs, numbers, columns, notes)


def evaluate_softmax(inputs: LabInput) -> LabResult:
    logits = info.finite_numbers(inputs.logits, "z")
    if not MIN_CLASSES <= logits.size <= MAX_CLASSES:
        raise ValueError(f"give between {MIN_CLASSES} and {MAX_CLASSES} logits, got {logits.size}")
    if not inputs.temperature > 0:
        raise ValueError(
            f"temperature must be positive, got {inputs.temperature:g}: as T shrinks to 0 "
            "softmax becomes a one-hot argmax, and at T = 0 it divides by zero"
        )
    probabilities = info.softmax(logits, inputs.temperature)
    names = tuple(inputs.class_names[: logits.size])
    numbers = {
        "max_probability": float(probabilities.max()),
        "entropy": info.entropy(probabilities, inputs.base),
        "max_entropy": math.log(logits.size) / math.log(info.BASES[inputs.base]),
    }
    columns = {
        "class": np.array(names),
        "logit z": logits,
        "z / T": _divided(logits, inputs.temperature),
        "softmax at T": probabilities,
        "softmax at T = 1": info.softmax(logits),
    }
    return LabResult("softmax", inputs, numbers, columns)


def _divided(logits: np.ndarray, temperature: float) -> np.ndarray:
    with np.errstate(over="ignore"):  # 1e308 / 0.05 is inf: shown as ∞, softmax is unharmed
        return logits / temperature


EVALUATORS: dict[str, Callable[[LabInput], LabResult]] = {
    "entropy": evaluate_entropy,
    "cross_entropy": evaluate_cross_entropy,
    "sse": evaluate_sse,
    "softmax": evaluate_softmax,
}


def evaluate(inputs: LabInput) -> LabResult:
    """Every number of one section; ValueError with a readable message for a bad input."""
    if inputs.section not in EVALUATORS:
        raise ValueError(f"section must be one of {', '.join(SECTIONS)}, got {inputs.section!r}")
    info.base_name(inputs.base)
    return EVALUATORS[inputs.section](inputs)


def format_numbers(values) -> str:
    return ", ".join(f"{value:.6g}" for value in values)


# --- the editing buttons: a vector in, a valid distribution over `classes` out -------------


def normalised(values, classes: int, rng: np.random.Generator) -> np.ndarray:
    values = info.distribution(values, "the vector", normalise=True)
    _check_count(values, "the vector", classes)
    return values


def one_hot(values, classes: int, rng: np.random.Generator) -> np.ndarray:
    """1 on the most likely class (class 0 if the vector is unusable), 0 elsewhere."""
    values = np.asarray(values, dtype=float)
    usable = values.size == classes and np.all(np.isfinite(values))
    return np.eye(classes)[int(np.argmax(values)) if usable else 0]


def uniform(values, classes: int, rng: np.random.Generator) -> np.ndarray:
    return np.full(classes, 1 / classes)


def random_distribution(values, classes: int, rng: np.random.Generator) -> np.ndarray:
    """A Dirichlet(1) draw rounded to 3 decimals, the rounding error put on the largest entry."""
    draw = np.round(rng.dirichlet(np.ones(classes)), 3)
    draw[int(np.argmax(draw))] += 1 - draw.sum()
    return np.round(draw, 3)


def resized(values, classes: int, rng: np.random.Generator) -> np.ndarray:
    """Cut or pad with zeros to `classes` entries, then normalise (uniform if nothing is left)."""
    values = np.asarray(values, dtype=float)[:classes]
    values = np.concatenate([values, np.zeros(classes - values.size)])
    if np.all(np.isfinite(values)) and np.all(values >= 0) and values.sum() > 0:
        return values / values.sum()
    return uniform(values, classes, rng)


ACTIONS: dict[str, Callable[[np.ndarray, int, np.random.Generator], np.ndarray]] = {
    "normalise": normalised,
    "one-hot": one_hot,
    "uniform": uniform,
    "random": random_distribution,
}
