"""A run's cost is estimated before it starts; one past the server's limit says what fits."""

import pytest

from core.engine.cost import DEFAULT_LIMIT_MINUTES, duration_text, estimate, refusal
from core.models import ModelConfig
from core.presets import PRESETS
from core.training import TrainConfig


@pytest.mark.parametrize("key", list(PRESETS))
def test_every_preset_fits_the_default_limit(key):
    assert refusal(PRESETS[key].config, DEFAULT_LIMIT_MINUTES) is None


@pytest.mark.parametrize(
    "model",
    [
        ModelConfig("softmax"),
        ModelConfig("mlp", 1, 128),
        ModelConfig("mlp", 3, 64, "tanh", 0.2),
        ModelConfig("cnn", dropout_rate=0.5),
        ModelConfig("cnn_fast"),
        ModelConfig("cnn_fast", width=256, dropout_rate=0.4, filters=16),
    ],
    ids=str,
)
def test_the_cost_worked_out_from_the_config_is_that_of_the_built_model(model):
    """The studio estimates a run without Keras: the same count as the built model's."""
    from core.model_check import multiply_adds as counted
    from core.models import build_model, multiply_adds

    assert multiply_adds(model) == counted(build_model(model))


def test_batch_one_for_a_hundred_epochs_is_refused_with_what_fits():
    config = TrainConfig("mnist", ModelConfig("softmax"), "sgd", 0.5, 1, 100, 60_000, 0.1)
    sentence = refusal(config, 15)
    assert sentence.startswith("This run would take about 1 h ")
    assert "(5,400,000 steps over 5,400,000 images)" in sentence
    assert "limited to 15 minutes: at most 16 epochs or a batch size of 16 would fit." in sentence


def test_the_tutorial_cnn_takes_about_ten_minutes():
    config = PRESETS["tutorial_cnn"].config
    assert 8 * 60 < estimate(config).seconds < 14 * 60


def test_a_longer_run_costs_more_and_a_bigger_batch_fewer_steps():
    base = TrainConfig("mnist", ModelConfig("softmax"), "sgd", 0.5, 50, 1, 10_000, 0.0)
    longer = TrainConfig("mnist", ModelConfig("softmax"), "sgd", 0.5, 50, 4, 10_000, 0.0)
    bigger = TrainConfig("mnist", ModelConfig("softmax"), "sgd", 0.5, 500, 1, 10_000, 0.0)
    assert estimate(longer).seconds > 3 * estimate(base).seconds
    assert estimate(bigger).steps == 20 < estimate(base).steps


@pytest.mark.parametrize(
    ("seconds", "text"), [(12, "12 s"), (600, "10 min"), (4 * 3600 + 5 * 60, "4 h 05 min")]
)
def test_durations_read_as_a_person_says_them(seconds, text):
    assert duration_text(seconds) == text


def test_the_tutorial_scratch_run_fits_and_a_huge_one_says_what_fits():
    from core.engine.cost import scratch_refusal
    from core.scratch import TrainConfig as ScratchConfig

    assert scratch_refusal(ScratchConfig(), 60_000, 10_000, 15) is None
    huge = ScratchConfig(hidden_size=1000, batch_size=60_000, iterations=10_000)
    sentence = scratch_refusal(huge, 60_000, 10_000, 15)
    assert sentence.startswith("This run would take about ")
    assert "784-1000-10 net" in sentence and "iterations would fit." in sentence
