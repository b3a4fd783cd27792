"""Class experiments: one setting, one value per student, spread over its range.

    values = sweep_values("learning_rate")       # 1e-4, 2e-4, 5e-4, ... 5, 10
    order = hand_out_order(len(values))          # 0, 15, 8, 4, 12, ...: ends first, then halves
    values[order[k % len(values)]]               # what the k-th student to be assigned tests

Handing values out in bisection order means any number of students covers the whole
range evenly: 2 students get both ends, 3 add the middle, and so on; students who join
later fill the gaps. The values are those the Training studio's sliders hold.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.classroom.errors import ClassroomError


@dataclass(frozen=True)
class SweepVariable:
    name: str  # what the store keeps
    title: str  # what the board shows, e.g. "learning rate"
    setting: str  # the studio's setting (URL parameter) it sets
    values: tuple  # in increasing order
    log_axis: bool


# learning rates 1, 2, 5 per decade from 1e-4 to 10 (the studio's slider holds each)
LEARNING_RATES = tuple(float(f"{m}e{e}") for e in range(-4, 2) for m in (1, 2, 5))[:-2]
BATCH_SIZES = (8, 16, 32, 64, 128, 256, 512, 1024)
MODELS = ("softmax", "mlp", "cnn_fast")  # the tutorial CNN takes minutes: not for a class

VARIABLES: dict[str, SweepVariable] = {
    "learning_rate": SweepVariable(
        "learning_rate", "learning rate", "train_learning_rate", LEARNING_RATES, True
    ),
    "batch_size": SweepVariable("batch_size", "batch size", "train_batch_size", BATCH_SIZES, True),
    "model": SweepVariable("model", "model", "train_family", MODELS, False),
}


def variable_for(name: str) -> SweepVariable:
    try:
        return VARIABLES[name]
    except KeyError:
        raise ClassroomError(
            f"A class experiment varies one of {', '.join(VARIABLES)}, not {str(name)[:40]!r}."
        ) from None


def hand_out_order(count: int) -> list[int]:
    """Indices 0..count-1: both ends, then the middle of each widest gap, left to right."""
    if count <= 0:
        return []
    if count == 1:
        return [0]
    order = [0, count - 1]
    gaps = [(0, count - 1)]
    while len(order) < count:
        widest = max(high - low for low, high in gaps)
        next_gaps = []
        for low, high in gaps:
            if high - low == widest and high - low > 1 and len(order) < count:
                middle = (low + high) // 2
                order.append(middle)
                next_gaps += [(low, middle), (middle, high)]
            else:
                next_gaps.append((low, high))
        gaps = next_gaps
    return order


def values_in_hand_out_order(name: str) -> list:
    variable = variable_for(name)
    return [variable.values[index] for index in hand_out_order(len(variable.values))]
