"""Strongest, weakest, the candidates and the focus, on hand-made rounds (no database)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from bot.summary.focus import (
    CHOSEN,
    HELD,
    HIGH,
    SUGGESTED,
    FocusChoice,
    candidates_of,
    choose_focus,
    extremes,
    practices_for,
)
from bot.summary.trends import DimensionScore, RoundView, dimension_trends

START = datetime(2026, 9, 7, 10, 0, tzinfo=UTC)
PEOPLE = 6


def rounds(bank, *weeks: dict[str, float]) -> list[RoundView]:
    """One shown round a week; each area's value read from its anchor, by PEOPLE people."""
    views = []
    for number, values in enumerate(weeks):
        opens = START + timedelta(weeks=number)
        scores = {
            area: DimensionScore(value, PEOPLE, basis=(bank.anchor_of(area).id,), people=PEOPLE)
            for area, value in values.items()
        }
        views.append(
            RoundView(number, f"W{number}", opens, opens, PEOPLE, PEOPLE, True, scores=scores)
        )
    return views


def focus_of(bank, views, **options):
    trends = dimension_trends(views, bank)
    options.setdefault("committed_practices", ())
    return choose_focus(trends, bank, views=views, rng=random.Random(1), **options)


def candidates(bank, views, current=None):
    found = candidates_of(dimension_trends(views, bank), views, current=current)
    return [(c.dimension_id, c.reasons) for c in found]


def steady(**levels: float) -> dict[str, float]:
    return dict(levels)


def test_the_lowest_level_is_the_focus_and_the_next_lowest_the_other_candidate(bank):
    views = rounds(bank, *[steady(trust=3.6, goals=3.0, workload=3.2)] * 3)
    assert candidates(bank, views) == [("goals", ("lowest",)), ("workload", ("next_lowest",))]
    focus = focus_of(bank, views)
    assert (focus.dimension_id, focus.origin, focus.stretch) == ("goals", SUGGESTED, False)
    assert "goals" in focus.practice.dimensions


def test_one_low_round_does_not_move_the_focus_its_level_does(bank):
    # workload's last round (2.6) is below goals' 3.0, but its level over three rounds
    # (3.4, 3.4, 2.6 -> 3.1) is not.
    views = rounds(
        bank,
        steady(goals=3.0, workload=3.4),
        steady(goals=3.0, workload=3.4),
        steady(goals=3.0, workload=2.6),
    )
    assert focus_of(bank, views).dimension_id == "goals"


def test_the_focus_holds_still_unless_another_area_is_lower_beyond_normal_variation(bank):
    # 18 answers a window: two levels differ by chance up to 1.96 * sqrt(2/18) = 0.65;
    # the focus moves at half that (HOLD), 0.33.
    close = rounds(bank, *[steady(goals=3.0, workload=3.2)] * 3)
    assert focus_of(bank, close, current="workload").dimension_id == "workload"
    (held, _) = candidates_of(dimension_trends(close, bank), close, current="workload")
    assert held.lower == ("Goals and priorities", 3.0)
    far = rounds(bank, *[steady(goals=2.8, workload=3.2)] * 3)
    assert focus_of(bank, far, current="workload").dimension_id == "goals"


def test_a_fall_beyond_normal_variation_is_a_candidate_and_one_within_it_is_not(bank):
    before = [steady(goals=2.5, workload=3.8)] * 4
    # workload: 3.8 -> 3.0 over four rounds each (24 answers a side: band 0.57).
    fell = rounds(bank, *before, *[steady(goals=2.5, workload=3.0)] * 4)
    trends = dimension_trends(fell, bank)
    (lowest, falling) = candidates_of(trends, fell)
    assert (lowest.dimension_id, falling.dimension_id) == ("goals", "workload")
    assert falling.reasons == ("fall",) and falling.fall is not None
    assert (falling.fall.change, falling.fall.sustained) == (-0.8, False)
    # 3.8 -> 3.4: within normal variation, so not a fall: workload is only the next lowest.
    wobbled = rounds(bank, *before, *[steady(goals=2.5, workload=3.4)] * 4)
    assert candidates(bank, wobbled)[1] == ("workload", ("next_lowest",))


def test_a_fall_sustained_over_the_two_latest_rounds_counts_before_the_window_fills(bank):
    # growth: 3.8 for three rounds, then 2.9 and 2.9: both rounds lower, and together 0.9
    # below (band for 12 and 18 answers: 0.73); the three-round window (3.8, 2.9, 2.9 vs
    # the rounds before it) is not yet beyond its band.
    views = rounds(
        bank,
        *[steady(goals=2.5, growth=3.8, trust=3.3)] * 3,
        steady(goals=2.5, growth=2.9, trust=3.3),
        steady(goals=2.5, growth=2.9, trust=3.3),
    )
    (_, second) = candidates_of(dimension_trends(views, bank), views)
    assert (second.dimension_id, second.reasons) == ("growth", ("fall",))
    assert second.fall.sustained and second.fall.rounds == 2
    # One of the two rounds not lower: no sustained fall, trust is the next lowest.
    bounced = rounds(
        bank,
        *[steady(goals=2.5, growth=3.8, trust=3.3)] * 3,
        steady(goals=2.5, growth=2.3, trust=3.3),
        steady(goals=2.5, growth=3.9, trust=3.3),
    )
    assert candidates(bank, bounced)[1] == ("trust", ("next_lowest",))


def test_at_the_ceiling_the_lowest_areas_are_offered_as_a_stretch(bank):
    views = rounds(bank, *[steady(trust=4.6, goals=4.1, workload=4.3)] * 3)
    assert candidates(bank, views) == [("goals", ("stretch",)), ("workload", ("stretch",))]
    focus = focus_of(bank, views)
    assert (focus.dimension_id, focus.stretch) == ("goals", True)


def test_an_area_at_or_above_high_is_never_a_candidate_however_far_it_fell(bank):
    views = rounds(bank, *[steady(trust=5.0, goals=3.0)] * 3, *[steady(trust=HIGH, goals=3.0)] * 3)
    assert [area for area, _ in candidates(bank, views)] == ["goals"]


def test_a_managers_choice_stands_until_it_reaches_high(bank):
    chosen = FocusChoice("workload", "U0MANAGER", START)
    views = rounds(bank, *[steady(goals=2.5, workload=3.5)] * 3)
    focus = focus_of(bank, views, chosen=chosen, current="workload")
    assert (focus.dimension_id, focus.origin, focus.chosen_by) == ("workload", CHOSEN, "U0MANAGER")
    done = rounds(bank, *[steady(goals=2.5, workload=4.1)] * 3)
    focus = focus_of(bank, done, chosen=chosen, current="workload")
    assert (focus.dimension_id, focus.origin) == ("goals", SUGGESTED)


def test_an_area_held_by_a_commitment_comes_first(bank):
    chosen = FocusChoice("workload", "U0MANAGER", START)
    views = rounds(bank, *[steady(goals=2.5, workload=3.5, trust=3.9)] * 3)
    focus = focus_of(bank, views, chosen=chosen, held_dimension="trust")
    assert (focus.dimension_id, focus.origin) == ("trust", HELD)
    # An area with no shown value in the span cannot be held.
    assert focus_of(bank, views, held_dimension="growth").dimension_id == "goals"


def test_the_practice_prefers_ones_the_team_has_not_committed_to(bank):
    goals = next(d for d in bank.dimensions if d.id == "goals")
    aimed = practices_for(bank, goals)
    assert len(aimed) >= 6 and all("goals" in p.dimensions for p in aimed)
    left_out = aimed[-1]
    committed = {p.id for p in aimed if p.id != left_out.id}
    views = rounds(bank, steady(goals=2.0))
    for seed in range(5):
        focus = choose_focus(
            dimension_trends(views, bank),
            bank,
            views=views,
            committed_practices=committed,
            rng=random.Random(seed),
        )
        assert focus.practice.id == left_out.id


def test_strongest_and_weakest_need_a_difference(bank):
    assert extremes([]) == (None, None)
    level = dimension_trends(rounds(bank, steady(trust=3.0, goals=3.0)), bank)
    assert extremes(level) == (None, None)
    spread = dimension_trends(rounds(bank, steady(trust=3.0, goals=4.0, growth=2.0)), bank)
    high, low = extremes(spread)
    assert (high.dimension_id, low.dimension_id) == ("goals", "growth")
