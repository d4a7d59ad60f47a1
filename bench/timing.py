"""Timing helpers shared by the benchmarks."""

import statistics
import time
from collections.abc import Callable


def best_of(fn: Callable[[], object], *, repeat: int = 7, number: int = 20) -> float:
    """Median seconds per call over `repeat` rounds of `number` calls."""
    rounds = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        rounds.append((time.perf_counter() - start) / number)
    return statistics.median(rounds)


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile of `values` (pct 50: the median, 95: p95)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def report(name: str, measured: float, floor: float, floor_name: str) -> None:
    print(
        f"  {name:<44} {measured * 1e3:8.3f} ms   floor ({floor_name}) "
        f"{floor * 1e3:7.3f} ms   ratio {measured / floor:6.1f}x"
    )
