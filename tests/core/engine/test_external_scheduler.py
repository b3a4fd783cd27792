"""A class that outgrows one machine: `dask scheduler` and `dask worker` as their own processes
(as on other machines), and the dashboard's code training through DASHBOARD_SCHEDULER."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port

pytestmark = pytest.mark.slow

# what the README tells the person running a scheduler to set
SCHEDULER_ENVIRONMENT = {
    "DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION": "1.0",
    "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0",
}

TRAIN_THROUGH_THE_SCHEDULER = """
from core.engine import submit, training_task
from core.models import ModelConfig
from core.training import TrainConfig

config = TrainConfig("mnist", ModelConfig("softmax"), "sgd", 0.5, 50, 1, 2_000, 0.1, test_size=500)
job = submit(training_task, config, kind="external")
job.join(300)
snapshot = job.snapshot()
print(snapshot.state, snapshot.error, snapshot.result.test_accuracy, len(snapshot.series["batch_loss"]))
"""


def start(arguments: list[str], log: Path, environment: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dask", *arguments],
        cwd=ROOT, env=environment, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def test_training_through_a_separate_scheduler_and_worker(real_data_dir, tmp_path):
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    environment = {**os.environ, **SCHEDULER_ENVIRONMENT, "PYTHONPATH": str(ROOT)}
    processes = [
        start(["scheduler", "--port", str(port), "--no-dashboard"], tmp_path / "s.log", environment)
    ]
    try:
        time.sleep(2)
        processes.append(
            start(
                [
                    "worker",
                    address,
                    "--nthreads",
                    "1",
                    "--no-dashboard",
                    "--preload",
                    "core.engine.worker_setup",
                ],
                tmp_path / "w.log",
                environment,
            )  # fmt: skip
        )
        result = subprocess.run(
            [sys.executable, "-c", TRAIN_THROUGH_THE_SCHEDULER],
            cwd=ROOT, env={**environment, "DASHBOARD_SCHEDULER": address},
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        logs = "\n".join(path.read_text()[-2000:] for path in tmp_path.glob("*.log"))
        assert result.returncode == 0, result.stderr[-3000:] + logs
        state, error, accuracy, points = result.stdout.strip().splitlines()[-1].split()
        assert (state, error) == ("done", "None")
        assert float(accuracy) > 0.7  # softmax regression on 1 800 digits, one epoch
        assert int(points) > 0  # the curve came back through the scheduler
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
