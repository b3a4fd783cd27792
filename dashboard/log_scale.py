"""Helpers for sliders whose choices are spread on a log scale (learning rates, batch sizes)."""

import math


def nearest_on_log_scale(options, value: float):
    """The option closest to value on a log scale (a link may carry any positive number)."""
    return min(options, key=lambda option: abs(math.log10(option) - math.log10(value)))
