"""Unicode sparklines: a trend in a line of text, one bar per value."""

from __future__ import annotations

from collections.abc import Sequence

BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float | None], *, low: float, high: float) -> str:
    """One bar per known value on a fixed scale from `low` to `high`; gaps are left out.

    A fixed scale (1 to 5 for scores, 0 to 100 for participation) keeps lines comparable:
    a steady 4.5 looks high and a steady 2.0 looks low, instead of both looking flat.
    """
    if high <= low:
        raise ValueError("a sparkline needs high > low")
    levels = len(BARS)
    bars = []
    for value in values:
        if value is None:
            continue
        share = (min(max(value, low), high) - low) / (high - low)
        bars.append(BARS[min(levels - 1, int(share * levels))])
    return "".join(bars)
