"""Which device TensorFlow would train on. Training runs on the training engine's workers,
so that is where it is asked (`engine_devices`); the web server never imports TensorFlow."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ComputeDevice:
    name: str  # e.g. /physical_device:GPU:0
    kind: str  # CPU or GPU


def compute_devices() -> list[ComputeDevice]:
    import tensorflow as tf

    return [
        ComputeDevice(device.name, device.device_type)
        for device in tf.config.list_physical_devices()
    ]


def engine_devices(client) -> dict[str, list[ComputeDevice]]:
    """Each worker's devices, by worker address. Asked of every worker at once with
    client.run, beside any run in progress, not queued behind them."""
    return {address: list(devices) for address, devices in client.run(compute_devices).items()}


def describe_devices(devices: list[ComputeDevice]) -> str:
    gpus = [device for device in devices if device.kind == "GPU"]
    if gpus:
        return f"GPU: TensorFlow will train on {len(gpus)} GPU(s) ({gpus[0].name})."
    return "CPU only: no GPU is visible to TensorFlow, training runs on the processor."
