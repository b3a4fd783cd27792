"""One-click runs: the classic tutorials (with the number they printed) and fast classroom demos.

"Fast" presets finish in seconds; "Accuracy target" presets take about a minute
or more, tutorial presets minutes on a laptop CPU. `bench/bench_training.py`
runs them and prints our accuracy next to the tutorial's.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.models import ModelConfig
from core.training import TrainConfig


@dataclass(frozen=True)
class Preset:
    title: str  # what the teacher picks
    config: TrainConfig  # the run it starts
    tutorial_accuracy: float | None  # test accuracy the tutorial printed; None for our own demos
    source: str  # where the number comes from, or what the demo shows


QUICK_MODEL = "quick_model"  # the Prediction page's shared model, trained once per server

PRESETS: dict[str, Preset] = {
    QUICK_MODEL: Preset(
        "Quick model: the Prediction page's small CNN on 20 000 digits (seconds)",
        TrainConfig(
            "mnist", ModelConfig("cnn_fast", dropout_rate=0.2), "adam", 2e-3, 64, 2, 20_000, 0.0, 0
        ),
        None,
        "the model the Prediction page shares with everyone on the server (about 0.98)",
    ),
    "fast_softmax": Preset(
        "Fast: softmax regression on 5 000 digits (seconds)",
        TrainConfig("mnist", ModelConfig("softmax"), "sgd", 0.5, 50, 3, 5_000, 0.1, 0),
        None,
        "classroom demo: a linear classifier already reads most digits",
    ),
    "fast_mlp": Preset(
        "Fast: MLP 128 relu on 10 000 digits (seconds)",
        TrainConfig(
            "mnist", ModelConfig("mlp", 1, 128, "relu"), "adam", 1e-3, 64, 3, 10_000, 0.1, 0
        ),
        None,
        "classroom demo: one hidden layer beats the linear model",
    ),
    "fast_cnn": Preset(
        "Fast: small CNN on 10 000 digits (seconds)",
        TrainConfig(
            "mnist", ModelConfig("cnn_fast", dropout_rate=0.3), "adam", 1e-3, 64, 2, 10_000, 0.1, 0
        ),
        None,
        "classroom demo: convolutions beat the MLP on the same images",
    ),
    # the time-to-accuracy benchmarks of bench/bench_training.py: a minute or more, not demos
    "target_cnn_mnist": Preset(
        "Accuracy target: small CNN on all of MNIST reaches 0.99 (under a minute)",
        # chosen by measuring (bench/bench_training.py): 16 filters cost a third of 32, a
        # cosine decay from a large step lets 4 epochs do what 6 constant ones did
        TrainConfig(
            "mnist",
            ModelConfig("cnn_fast", width=128, dropout_rate=0.2, filters=16),
            "adam",
            5e-3,
            256,
            4,
            60_000,
            0.0,
            0,
            schedule="cosine",
        ),  # fmt: skip
        None,
        "accuracy target: MNIST test accuracy of at least 0.990 within 45 s on 2 cores",
    ),
    "target_cnn_fashion": Preset(
        "Accuracy target: small CNN on all of Fashion-MNIST reaches 0.91 (about a minute)",
        # clothes need more epochs than digits; a wider dense layer with more dropout got
        # there with the fewest CPU seconds of the recipes measured
        TrainConfig(
            "fashion_mnist",
            ModelConfig("cnn_fast", width=256, dropout_rate=0.4, filters=16),
            "adam",
            5e-3,
            256,
            10,
            60_000,
            0.0,
            0,
            schedule="cosine",
        ),  # fmt: skip
        None,
        "accuracy target: Fashion-MNIST test accuracy of at least 0.910 within 60 s on 2 cores",
    ),
    "tutorial_fashion_softmax": Preset(
        "Tutorial: softmax regression on Fashion-MNIST, GD, batch 100, 10 epochs",
        TrainConfig("fashion_mnist", ModelConfig("softmax"), "sgd", 0.1, 100, 10, 60_000, 0.0, 0),
        0.836,
        "softmax regression tutorial on Fashion-MNIST (gradient descent, batch 100, 10 epochs)",
    ),
    "tutorial_mnist_softmax": Preset(
        "Tutorial: softmax regression on MNIST, 1000 steps of 50, GD",
        # 1000 steps of 50 = one pass over 50 000 images
        TrainConfig("mnist", ModelConfig("softmax"), "sgd", 0.5, 50, 1, 50_000, 0.0, 0),
        0.91,
        "TensorFlow's 'MNIST for ML beginners' (GradientDescentOptimizer(0.5))",
    ),
    "tutorial_dense512": Preset(
        "Tutorial: Dense 512 relu + softmax, RMSprop, 5 epochs of 128",
        TrainConfig(
            "mnist", ModelConfig("mlp", 1, 512, "relu"), "rmsprop", 1e-3, 128, 5, 60_000, 0.0, 0
        ),
        0.980,
        "Chollet, Deep Learning with Python, chapter 2",
    ),
    "tutorial_cnn": Preset(
        "Tutorial: the 5x5 CNN with Adam 1e-4 (long: 17 epochs)",
        # 20 000 steps of 50 = 1 000 000 images, about 17 passes over 60 000
        TrainConfig(
            "mnist", ModelConfig("cnn", dropout_rate=0.5), "adam", 1e-4, 50, 17, 60_000, 0.0, 0
        ),
        0.992,
        "TensorFlow's 'Deep MNIST for experts'",
    ),
}


def preset_for(key: str) -> Preset:
    try:
        return PRESETS[key]
    except KeyError:
        raise ValueError(f"unknown preset {key!r}; choose one of {', '.join(PRESETS)}") from None
