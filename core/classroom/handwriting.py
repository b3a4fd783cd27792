"""The class's handwriting test: how models trained on MNIST read the class's own drawings.

    result = handwriting_task(images, labels, [("quick model", None), ("Ann's CNN", best_bytes)])
    result["models"][0]["accuracy"], result["models"][0]["confusion"], result["worst"]

It runs on the training engine (it loads Keras models); the board only draws the
plain result. A model given as None is the quick model (core.quick_model's recipe),
trained here first. The worst-read drawings are those the last model (the class's best
when there is one) gave the lowest probability of the digit the student meant.
"""

from __future__ import annotations

import numpy as np

from core.engine.context import TaskContext
from core.engine.tasks import channel_for

WORST_SHOWN = 12
QUICK_LABEL = "Quick model"


def handwriting_task(images, labels, models, run_key: str | None = None, channel=None) -> dict:
    """Score each (label, .keras bytes or None) model on uint8 (N, 28, 28) images."""
    from core.metrics import accuracy, confusion_matrix, predicted_classes
    from core.model_check import class_probabilities, load_model_bytes, scaled

    images, labels = np.asarray(images, dtype=np.uint8), np.asarray(labels, dtype=np.int64)
    if len(images) == 0 or len(images) != len(labels):
        raise ValueError("the handwriting test needs drawings with their digits")
    scored = []
    with TaskContext(channel_for(run_key, channel)) as context:
        for number, (label, model_bytes) in enumerate(models, start=1):
            context.report(phase=f"scoring {label} ({number} of {len(models)})")
            checked = load_model_bytes(
                model_bytes if model_bytes is not None else _quick_bytes(context)
            )
            probabilities = class_probabilities(checked, scaled(images))
            predictions = predicted_classes(probabilities)
            scored.append(
                {
                    "label": label,
                    "accuracy": accuracy(predictions, labels),
                    "confusion": confusion_matrix(labels, predictions, 10).tolist(),
                    "predictions": predictions.tolist(),
                    "confidence": probabilities[np.arange(len(labels)), predictions].tolist(),
                    "meant": probabilities[np.arange(len(labels)), labels].tolist(),
                }
            )
    judge = scored[-1]
    order = np.argsort(np.asarray(judge["meant"]), kind="stable")[:WORST_SHOWN]
    worst = [
        {
            "index": int(index),
            "label": int(labels[index]),
            "said": int(judge["predictions"][index]),
            "confidence": float(judge["confidence"][index]),
        }
        for index in order
        if judge["predictions"][index] != labels[index]
    ]
    return {"drawings": len(labels), "models": scored, "worst": worst, "judge": judge["label"]}


def _quick_bytes(context) -> bytes:
    """The quick model's recipe trained on this worker (about 15 s on two cores)."""
    from core.engine.tasks import keras_bytes
    from core.quick_model import QUICK_CONFIG
    from core.training import train

    context.report(phase="training the quick model first")
    return keras_bytes(train(QUICK_CONFIG, context).model)
