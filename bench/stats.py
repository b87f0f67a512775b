"""Latency statistics: nearest-rank percentiles over one run's samples."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (0 < fraction <= 1) of the samples; 0 when there are none."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Latencies:
    """Milliseconds, requests per second and errors of one load run."""

    count: int
    errors: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    rps: float

    @classmethod
    def of(cls, seconds: Sequence[float], errors: int, elapsed: float) -> Latencies:
        return cls(
            count=len(seconds),
            errors=errors,
            p50_ms=percentile(seconds, 0.50) * 1000,
            p99_ms=percentile(seconds, 0.99) * 1000,
            max_ms=max(seconds, default=0.0) * 1000,
            rps=len(seconds) / elapsed if elapsed > 0 else 0.0,
        )
