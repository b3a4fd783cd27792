"""What a classroom run measured: answer times per page and action, problems, trainings."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from bench.report import percentile


@dataclass
class Training:
    """One press of Train by a simulated student, from the click to what the page showed."""

    preset: str
    clicked: float
    queue_wait: float | None = None  # click to the first progress bar (None: never trained)
    result: float | None = None  # click to "Run N finished" (or stopped / failed) drawn
    outcome: str = "unfinished"  # finished, stopped, failed, unfinished


@dataclass
class Record:
    answers: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    problems: Counter = field(default_factory=Counter)
    errors_shown: Counter = field(default_factory=Counter)  # st.error sentences pages drew
    trainings: list[Training] = field(default_factory=list)
    stops: list[float] = field(default_factory=list)  # Stop click to "stopped" drawn
    students_done: int = 0

    def answer(self, page: str, what: str, seconds: float) -> None:
        self.answers[(page, what)].append(seconds)

    def problem(self, page: str, text: str) -> None:
        self.problems[f"{page}: {text}"] += 1

    def error_shown(self, page: str, text: str) -> None:
        self.errors_shown[f"{page}: {text[:120]}"] += 1

    @property
    def error_count(self) -> int:
        return sum(self.problems.values())

    def interactions(self, page: str) -> list[float]:
        """Answer times of a student's own actions on a page (not the live panel's ticks)."""
        return [
            seconds
            for (name, what), values in self.answers.items()
            if name == page and what not in ("tick", "open")
            for seconds in values
        ]

    def pages(self) -> list[str]:
        return sorted({page for page, _ in self.answers})


def milliseconds(values: list[float]) -> str:
    """'p50 66 / p95 139 / p99 180 / max 201 ms (n=120)'."""
    if not values:
        return "no answers"
    ms = [value * 1000 for value in values]
    return (
        f"p50 {statistics.median(ms):.0f} / p95 {percentile(ms, 0.95):.0f} / "
        f"p99 {percentile(ms, 0.99):.0f} / max {max(ms):.0f} ms (n={len(ms)})"
    )


def seconds_summary(values: list[float]) -> str:
    if not values:
        return "none"
    return (
        f"p50 {statistics.median(values):.1f} / p95 {percentile(values, 0.95):.1f} / "
        f"max {max(values):.1f} s (n={len(values)})"
    )
