"""Strongest, weakest, and the focus: the one dimension worth working on next.

The focus is the dimension with the greatest need, where need is how far it sits below
"high" plus how far it fell (since the previous round, or below the span's average,
whichever is larger). So the lowest dimension is chosen unless another is falling fast,
and a dimension at or above HIGH is never chosen, whatever it did.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence

from bot.bank import Bank, Dimension, Practice
from bot.summary.trends import DimensionTrend, Focus

HIGH = 4.0  # on the 1-5 scale: "agree" and above needs no focus


def extremes(
    trends: Sequence[DimensionTrend],
) -> tuple[DimensionTrend | None, DimensionTrend | None]:
    """(strongest, weakest) by latest value; neither when all dimensions are level.

    max/min keep the first of equals, so ties go to the bank's order, stably.
    """
    if not trends:
        return None, None
    high = max(trends, key=lambda trend: trend.latest)
    low = min(trends, key=lambda trend: trend.latest)
    if high.latest == low.latest:
        return None, None
    return high, low


def fall_of(trend: DimensionTrend) -> float:
    falls = [-(trend.change_from_previous or 0.0), -trend.change_from_span_average, 0.0]
    return round(max(falls), 1)


def need_of(trend: DimensionTrend) -> float:
    return (HIGH - trend.latest) + fall_of(trend)


def practices_for(bank: Bank, dimension: Dimension) -> list[Practice]:
    """The dimension's pool: the practices curated as acting on its statements."""
    return bank.practices_for_dimension(dimension.id)


def pick_practice(
    bank: Bank, dimension: Dimension, *, avoid: Collection[str], rng: random.Random
) -> Practice | None:
    """A practice from the dimension's pool, preferring ones the team has not committed to."""
    pool = practices_for(bank, dimension)
    fresh = [p for p in pool if p.id not in avoid] or pool
    return rng.choice(fresh) if fresh else None


def choose_focus(
    trends: Sequence[DimensionTrend],
    bank: Bank,
    *,
    committed_practices: Collection[str],
    rng: random.Random,
    held_dimension: str | None = None,
) -> Focus | None:
    """`held_dimension`: the area of a commitment still running, which stays the focus
    (whatever the others did) while it has a shown value."""
    held = [trend for trend in trends if trend.dimension_id == held_dimension]
    candidates = held or [trend for trend in trends if trend.latest < HIGH]
    if not candidates:
        return None
    chosen = max(candidates, key=need_of)
    dimension = bank.dimension_by_id.get(chosen.dimension_id)
    if dimension is None:
        return None
    practice = pick_practice(bank, dimension, avoid=committed_practices, rng=rng)
    if practice is None:
        return None
    lowest = min(trend.latest for trend in trends)
    return Focus(
        dimension_id=chosen.dimension_id,
        name=chosen.name,
        latest=chosen.latest,
        change_from_previous=chosen.change_from_previous,
        change_from_span_average=chosen.change_from_span_average,
        fall=fall_of(chosen),
        is_weakest=chosen.latest <= lowest,
        practice=practice,
        held=bool(held),
    )
