"""What every benchmark prints beside its figures: how busy the machine was."""

from __future__ import annotations

import os
import statistics


def load() -> str:
    """The 1-minute load average and the cores: a figure at load 6 on 2 cores is not a result."""
    return f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values fall (nearest rank)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))
    return ordered[rank]


def summary(values: list[float]) -> str:
    """'p50 0.31 / p95 0.58 / max 0.62 s (n=20)'."""
    return (
        f"p50 {statistics.median(values):.2f} / p95 {percentile(values, 0.95):.2f} / "
        f"max {max(values):.2f} s (n={len(values)})"
    )
