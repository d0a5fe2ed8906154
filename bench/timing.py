"""How every read is timed, ours and the peer's alike: in-process, 2 warm-up passes, then `runs`
timed passes; median and 99th percentile (nearest rank) in ms. Standard library only."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def summary(samples: list[float]) -> dict[str, Any]:
    """Median and p99 (nearest rank) of `samples` in ms, and how many there were."""
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 2),
        "runs": len(ordered),
    }


def timed_pass(fetches: dict[str, Callable[[], int]], runs: int) -> dict[str, dict[str, Any]]:
    """The requests a page makes, in order: each timed alone, and the pass as a whole
    ("total"). Every fetch returns its HTTP status; anything but 200 raises."""
    for _ in range(2):
        for fetch in fetches.values():
            fetch()
    samples: dict[str, list[float]] = {name: [] for name in [*fetches, "total"]}
    for _ in range(runs):
        total = 0.0
        for name, fetch in fetches.items():
            t0 = time.perf_counter()
            status = fetch()
            took = (time.perf_counter() - t0) * 1000
            if status != 200:
                raise RuntimeError(f"{name}: status {status}")
            samples[name].append(took)
            total += took
        samples["total"].append(total)
    return {name: summary(values) for name, values in samples.items()}


def timed(fetch: Callable[[], int], runs: int) -> dict[str, Any]:
    """One request, timed as above."""
    return timed_pass({"one": fetch}, runs)["one"]
