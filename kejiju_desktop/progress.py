"""Long core work is a generator yielding (done, total) whose return value is the result."""

from __future__ import annotations

from collections.abc import Generator
from typing import TypeVar

T = TypeVar("T")


def run_to_end(steps: Generator[tuple[int, int], None, T]) -> T:
    """Run a progress generator to its end (command line, tests) and return its return value."""
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value
