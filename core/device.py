"""Which device TensorFlow would train on. Importing TensorFlow takes seconds,
so this is only called when someone asks."""

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


def describe_devices(devices: list[ComputeDevice]) -> str:
    gpus = [device for device in devices if device.kind == "GPU"]
    if gpus:
        return f"GPU: TensorFlow will train on {len(gpus)} GPU(s) ({gpus[0].name})."
    return "CPU only: no GPU is visible to TensorFlow, training runs on the processor."
