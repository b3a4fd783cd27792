"""The From-scratch page's settings: one table for its link, its defaults and its widgets' keys.

The defaults are the tutorial's run (MNIST, 50 sigmoid units, learning rate 0.1, batch 100,
10 000 iterations, weights ~ 0.01 · N(0, 1)) and its gradient check (784-10-10 on 3 pictures).
A link's value outside a range is refused here; ranges that depend on the data set (the
picture's number, the batch size, a check that would take too long) are said by the tabs.
"""

from __future__ import annotations

from core.data import DATASETS
from core.scratch import ACTIVATIONS, MAX_HIDDEN_SIZE, MAX_ITERATIONS
from dashboard.settings import CHOICE, NUMBER, WHOLE, PageSettings, Setting

MAX_CHECK_EXAMPLES = 100  # pictures in the check's batch, whatever the net


SETTINGS = PageSettings(
    "scratch",
    [
        Setting("scratch_dataset", "mnist", "data set", kind=CHOICE, choices=DATASETS),
        Setting("scratch_example", 0, "test picture", kind=WHOLE, low=0),
        Setting(
            "scratch_check_hidden",
            50,  # the tutorial's 784-50-10 (the check runs on the engine, with Stop)
            "hidden units of the checked net",
            kind=WHOLE,
            low=1,
            high=MAX_HIDDEN_SIZE,
        ),
        Setting(
            "scratch_check_examples",
            3,
            "pictures in the check's batch",
            kind=WHOLE,
            low=1,
            high=MAX_CHECK_EXAMPLES,
        ),
        Setting(
            "scratch_check_activation",
            "sigmoid",
            "hidden activation of the checked net",
            kind=CHOICE,
            choices=ACTIVATIONS,
        ),
        Setting("scratch_hidden", 50, "hidden units", kind=WHOLE, low=1, high=MAX_HIDDEN_SIZE),
        Setting(
            "scratch_activation", "sigmoid", "hidden activation", kind=CHOICE, choices=ACTIVATIONS
        ),
        Setting("scratch_learning_rate", 0.1, "learning rate", kind=NUMBER, above=0),
        Setting("scratch_batch", 100, "batch size", kind=WHOLE, low=1),
        Setting("scratch_iterations", 10_000, "iterations", kind=WHOLE, low=1, high=MAX_ITERATIONS),
        Setting("scratch_weight_scale", 0.01, "initial weight scale", kind=NUMBER, above=0),
    ],
)
