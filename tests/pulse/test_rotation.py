"""The rotating default measures every area within its cycle, each with its anchor, both sides
every week, and every active statement within a longer cycle: properties over week indices."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.bank import About, Lens, load_bank
from bot.pulse import questions

WEEKS = st.integers(min_value=-10_000, max_value=200_000)
EXAMPLES = settings(max_examples=200, deadline=None)
# Loaded once here rather than as a fixture, so a failing example prints a week, not the BANK.
BANK = load_bank()
AREA_CYCLE = 3  # 13 areas, 6 a week
STATEMENT_CYCLE = 15  # 16 statements besides the anchors, each beside its own anchor


def lead_sides(week: int) -> set[Lens]:
    return {
        q.side
        for q in questions.rotating_default(BANK, week)
        if BANK.dimension_by_id[q.dimension or ""].about is About.LEAD and q.side is not None
    }


def test_the_cycles_follow_from_the_bank_and_are_said_as_they_are():
    areas, slots = len(BANK.dimensions), questions.DEFAULT_SIZE
    assert (areas, slots) == (13, 6)
    assert questions.rotation(BANK).area_cycle == AREA_CYCLE == -(-areas // slots)
    assert questions.rotation(BANK).statement_cycle == STATEMENT_CYCLE
    described = questions.describe_default(BANK)
    assert "every area within 3 weeks" in described and "every statement within 15" in described


@EXAMPLES
@given(first=WEEKS)
def test_every_area_is_asked_once_in_each_area_cycle(first):
    asked = Counter(
        q.dimension
        for week in range(first, first + AREA_CYCLE)
        for q in questions.rotating_default(BANK, week)
        if q.anchor
    )
    assert asked == Counter({d.id: 1 for d in BANK.dimensions})


@EXAMPLES
@given(week=WEEKS)
def test_a_statement_is_asked_only_beside_its_areas_anchor(week):
    chosen = questions.rotating_default(BANK, week)
    anchored = [q.dimension for q in chosen if q.anchor]
    assert len(anchored) == len(set(anchored))  # one anchor per area
    assert all(q == BANK.anchor_of(q.dimension) for q in chosen if q.anchor)
    # The other statements fill spare slots beside their area's anchor, so the area's value
    # that week is still read from the anchor and its series never starts over.
    others = [q for q in chosen if not q.anchor]
    assert others and {q.dimension for q in others} <= set(anchored)
    assert len({q.dimension for q in others}) == len(others)  # at most twice for an area


@EXAMPLES
@given(week=WEEKS)
def test_every_week_asks_about_both_sides_of_the_lead(week):
    assert lead_sides(week) == {Lens.LEADERSHIP, Lens.MANAGEMENT}


@EXAMPLES
@given(week=WEEKS)
def test_every_week_asks_six_active_statements(week):
    chosen = questions.rotating_default(BANK, week)
    assert len(chosen) == questions.DEFAULT_SIZE <= questions.MAX_QUESTIONS
    assert all(q in BANK.asked_questions for q in chosen)
    assert questions.rotating_default(BANK, week) == chosen  # no clock, no state


@EXAMPLES
@given(first=WEEKS)
def test_every_active_statement_is_asked_within_the_statement_cycle(first):
    asked = {
        q.id
        for week in range(first, first + STATEMENT_CYCLE)
        for q in questions.rotating_default(BANK, week)
    }
    assert asked == {q.id for q in BANK.asked_questions}


@EXAMPLES
@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2200, 1, 1)))
def test_consecutive_iso_weeks_have_consecutive_indices_across_new_year(day):
    def period(d: date) -> str:
        year, week, _ = d.isocalendar()
        return f"{year}-W{week:02d}"

    later = questions.week_index(period(day + timedelta(days=7)))
    assert later == questions.week_index(period(day)) + 1


@pytest.mark.parametrize(("last", "first"), [("2026-W53", "2027-W01"), ("2027-W52", "2028-W01")])
def test_the_area_cycle_holds_over_new_year(last, first):
    # 2026 has 53 ISO weeks and 2027 has 52: neither end of year skips a week's areas.
    start = questions.week_index(last) - 1
    assert questions.week_index(first) == start + 2
    asked = {
        q.dimension
        for week in range(start, start + AREA_CYCLE)
        for q in questions.rotating_default(BANK, week)
    }
    assert asked == {d.id for d in BANK.dimensions}
