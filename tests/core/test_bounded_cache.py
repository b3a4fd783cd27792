"""The shared results cache stays within its bytes, however large one request's result is."""

import numpy as np

from core.bounded_cache import bounded_cache, nbytes


def test_results_are_reused_and_the_bytes_stay_within_the_budget():
    calls = []

    @bounded_cache(max_bytes=10_000, max_entries=100)
    def arrays(count: int) -> list[np.ndarray]:
        calls.append(count)
        return [np.zeros(count, dtype=np.float64)]

    first = arrays(500)  # 4 000 bytes
    assert arrays(500) is first and calls == [500]
    arrays(500 + 1)
    arrays(502)  # 12 024 bytes asked in all: the oldest goes
    assert arrays.cache_bytes() <= 10_000 and arrays.cache_entries() == 2
    arrays(500)
    assert calls == [500, 501, 502, 500]


def test_a_result_larger_than_the_budget_is_returned_and_not_kept():
    @bounded_cache(max_bytes=1_000)
    def big(count: int) -> np.ndarray:
        return np.ones(count)

    assert big(10_000).sum() == 10_000
    assert big.cache_bytes() == 0 and big.cache_entries() == 0


def test_the_entry_count_is_bounded_too():
    @bounded_cache(max_bytes=10**9, max_entries=3)
    def small(value: int) -> int:
        return value

    for value in range(10):
        small(value)
    assert small.cache_entries() == 3


def test_nbytes_looks_inside_containers_and_dataclasses():
    from dataclasses import dataclass

    @dataclass
    class Result:
        path: np.ndarray
        losses: list

    result = Result(np.zeros((10, 2)), [np.zeros(10), 3.0])
    assert nbytes([result, {"a": np.zeros(5)}]) == 160 + 80 + 64 + 40
