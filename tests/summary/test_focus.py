"""Strongest, weakest and the focus rule, on hand-made trends (no database)."""

from __future__ import annotations

import random

from bot.summary.focus import HIGH, choose_focus, extremes, practices_for
from bot.summary.trends import DimensionTrend


def trend(dimension_id: str, *values: float) -> DimensionTrend:
    """A trend whose values were all shown; changes written as a summary computes them."""
    latest = values[-1]
    previous = values[-2] if len(values) > 1 else None
    average = round(sum(values) / len(values), 1)
    return DimensionTrend(
        dimension_id=dimension_id,
        name=dimension_id.title(),
        values=values,
        latest=latest,
        latest_period="2026-W48",
        previous=previous,
        change_from_previous=None if previous is None else round(latest - previous, 1),
        span_average=average,
        change_from_span_average=round(latest - average, 1),
        sparkline="",
    )


def test_a_high_dimension_is_never_the_focus_however_far_it_fell(bank):
    trends = [trend("trust", 5.0, 4.0), trend("goals", 4.5, 4.4)]
    assert choose_focus(trends, bank, committed_practices=(), rng=random.Random(1)) is None
    assert all(t.latest >= HIGH for t in trends)


def test_the_lowest_dimension_is_the_focus_when_nothing_falls_fast(bank):
    trends = [trend("trust", 3.5, 3.6), trend("goals", 2.9, 3.0), trend("workload", 3.1, 3.2)]
    focus = choose_focus(trends, bank, committed_practices=(), rng=random.Random(1))
    assert (focus.dimension_id, focus.is_weakest, focus.fall) == ("goals", True, 0.0)


def test_a_falling_dimension_can_be_chosen_over_a_steady_lower_one(bank):
    # growth: 0.1 below high and fell 1.1 -> need 1.2; goals: steady at 3.0 -> need 1.0.
    trends = [trend("growth", 5.0, 3.9), trend("goals", 3.0, 3.0)]
    focus = choose_focus(trends, bank, committed_practices=(), rng=random.Random(1))
    assert focus.dimension_id == "growth"
    assert focus.is_weakest is False and focus.fall == 1.1
    assert "growth" in focus.practice.dimensions


def test_the_practice_prefers_ones_the_team_has_not_committed_to(bank):
    goals = next(d for d in bank.dimensions if d.id == "goals")
    aimed = practices_for(bank, goals)
    assert len(aimed) >= 6 and all("goals" in p.dimensions for p in aimed)
    left_out = aimed[-1]
    committed = {p.id for p in aimed if p.id != left_out.id}
    for seed in range(5):
        focus = choose_focus(
            [trend("goals", 2.0)], bank, committed_practices=committed, rng=random.Random(seed)
        )
        assert focus.practice.id == left_out.id
    # Once every practice was committed to, they come round again.
    everything = committed | {left_out.id}
    focus = choose_focus(
        [trend("goals", 2.0)], bank, committed_practices=everything, rng=random.Random(1)
    )
    assert focus.practice.id in everything


def test_strongest_and_weakest_need_a_difference():
    assert extremes([]) == (None, None)
    assert extremes([trend("trust", 3.0)]) == (None, None)
    assert extremes([trend("trust", 3.0), trend("goals", 3.0)]) == (None, None)
    high, low = extremes([trend("trust", 3.0), trend("goals", 4.0), trend("growth", 2.0)])
    assert (high.dimension_id, low.dimension_id) == ("goals", "growth")
