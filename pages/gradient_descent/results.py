"""The lab's runs, remembered for every session of the server within a byte budget.

A run of six optimizers for 10 000 steps is a few MB of paths; a link once asked for a
thousand optimizers and held ~1 GB per cached entry, so the cache is bounded in bytes.
"""

from core.bounded_cache import bounded_cache
from core.descent import DescentResult, compare
from pages.gradient_descent.inputs import Request

TOLERANCE = 1e-6  # "steps to f − min ≤ 1e-6" in the comparison table
RESULTS_CACHE_BYTES = 64 * 2**20


@bounded_cache(max_bytes=RESULTS_CACHE_BYTES, max_entries=32)
def run(request: Request) -> list[DescentResult]:
    return compare(
        request.surface,
        request.start,
        list(request.runs),
        request.steps,
        request.gradient,
        request.h,
        request.hyper,
        TOLERANCE,
    )
