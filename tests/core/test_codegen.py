""" "Show code": the generated script builds the same model and reproduces the run."""

import re
import subprocess
import sys

import pytest

from core.codegen import script_for
from core.models import ModelConfig, build_model
from core.training import TrainConfig, train

CONFIGS = [
    TrainConfig("mnist", ModelConfig("softmax"), "sgd", 0.5, 50),
    TrainConfig("fashion_mnist", ModelConfig("mlp", 3, 64, "tanh", 0.2), "momentum", 0.01, 32),
    TrainConfig("mnist", ModelConfig("cnn", dropout_rate=0.5), "adam", 1e-4, 50),
    TrainConfig("digits", ModelConfig("cnn_fast", dropout_rate=0.3), "rmsprop", 1e-3, 64),
    TrainConfig("mnist", ModelConfig("cnn_fast", filters=16), "adam", 5e-3, 256, schedule="cosine"),
]


def script_namespace(script: str) -> dict:
    namespace = {"__name__": "generated"}  # not __main__: defines, does not train
    exec(compile(script, "train_run.py", "exec"), namespace)
    return namespace


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.model.family)
def test_script_builds_the_same_layers(config):
    """Same layer types and configs, same parameter count as the studio's model."""
    namespace = script_namespace(script_for(config))
    ours, theirs = build_model(config.model), namespace["build_model"]()
    assert theirs.count_params() == ours.count_params()
    for mine, generated in zip(ours.layers, theirs.layers, strict=True):
        assert type(mine) is type(generated)
        expected = {k: v for k, v in mine.get_config().items() if k != "name"}
        assert {k: v for k, v in generated.get_config().items() if k != "name"} == expected


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.model.family)
def test_script_keeps_the_run_settings(config):
    namespace = script_namespace(script_for(config))
    assert namespace["DATASET"] == config.dataset
    assert namespace["BATCH_SIZE"] == config.batch_size
    assert namespace["SEED"] == config.seed
    assert namespace["VALIDATION_SPLIT"] == config.validation_split


def test_a_schedule_is_written_into_the_optimizer():
    cosine = script_for(CONFIGS[-1])
    assert "keras.optimizers.Adam(learning_rate=keras.optimizers.schedules.CosineDecay(" in cosine
    assert "CosineDecay" not in script_for(CONFIGS[0])


@pytest.mark.slow
def test_generated_script_reproduces_the_run(real_data_dir, tmp_path):
    """Run as its own process on 1 000 real digits: the studio's test accuracy, give or take
    (with a cosine schedule, which the script must decay over the same number of steps)."""
    config = TrainConfig(
        "mnist", ModelConfig("softmax"), "sgd", 0.5, 50, 1, 1_000, 0.1, seed=2, test_size=2_000,
        schedule="cosine",
    )  # fmt: skip
    path = tmp_path / "train_run.py"
    path.write_text(script_for(config))
    completed = subprocess.run(
        [sys.executable, str(path), "--data-dir", str(real_data_dir), "--test-size", "2000"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    printed = float(re.search(r"test accuracy: ([0-9.]+)", completed.stdout).group(1))
    studio = train(config).test_accuracy
    assert printed > 0.75
    assert printed == pytest.approx(studio, abs=0.02)
