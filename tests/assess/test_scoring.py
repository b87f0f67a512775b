"""Scoring a self-assessment: hand-computed examples (reverse-worded statements included)
and properties that hold for any answers."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.assess import plan
from bot.assess.scoring import Lean, change_since, item_score, lean_of, one_decimal, score
from bot.bank import Lens, Pole, load_bank

BANK = load_bank()
ASSESSMENT = BANK.assessment
assert ASSESSMENT is not None
IDS = [s.id for s in ASSESSMENT.statements]

# Answers as given, and what each counts for its pole (reverse-worded: 6 minus the answer).
HAND = {
    "vision-long-run": 4,  # leading, direction
    "goals-numbers-and-dates": 2,  # managing, goals
    "future-seldom-discussed": 2,  # leading, direction, reverse: 4
    "purpose-today-clear": 3,  # managing, goals
    "question-the-usual-way": 5,  # leading, change
    "plans-shift-often": 4,  # managing, stability, reverse: 2
    "rarely-win-support": 1,  # leading, influence, reverse: 5
    "settle-stuck-decisions": 4,  # managing, delegation
    "ask-how-people-are": 3,  # leading, trust
    "late-to-check-work": 2,  # managing, monitoring, reverse: 4
    "wait-for-certainty": 4,  # leading, change, reverse: 2
    "spot-risks-early": 3,  # managing, stability
    "time-for-new-ideas": 4,  # leading, change
    "routines-never-trimmed": 5,  # managing, planning, reverse: 1
    "coach-not-answer": 2,  # leading, growth
    "clear-instructions": 5,  # managing, delegation
}
ANSWERS = st.fixed_dictionaries({statement_id: st.integers(1, 5) for statement_id in IDS})


def flat(value: int) -> dict[str, int]:
    """Every statement scoring `value` for its pole."""
    return {s.id: 6 - value if s.reverse else value for s in ASSESSMENT.statements}


def test_a_hand_computed_assessment_with_reverse_worded_statements():
    scores = score(ASSESSMENT, HAND)
    # Leading: 4, 4, 5, 5, 3, 2, 4, 2 = 29/8; managing: 2, 3, 2, 4, 4, 3, 1, 5 = 24/8.
    assert scores.leading == Fraction(29, 8)
    assert scores.managing == Fraction(3)
    assert scores.balance == Fraction(5, 8)
    assert scores.lean is Lean.LEADER  # 0.625 >= 0.5
    assert {c.contrast_id: (c.leading, c.managing, c.balance) for c in scores.contrasts} == {
        "vision-vs-goals": (4, 2, 2),
        "vision-vs-mission": (4, 3, 1),
        "change-vs-stability": (5, 2, 3),
        "influence-vs-authority": (5, 4, 1),
        "people-vs-tasks": (3, 4, -1),
        "risk-taking-vs-mitigation": (2, 3, -1),
        "innovation-vs-efficiency": (4, 1, 3),
        "development-vs-direction": (2, 5, -3),
    }
    assert {a.dimension_id: a.rating for a in scores.areas} == {
        "direction": 4,
        "change": Fraction(11, 3),
        "influence": 5,
        "trust": 3,
        "growth": 2,
        "goals": Fraction(5, 2),
        "stability": Fraction(5, 2),
        "planning": 1,
        "monitoring": 4,
        "delegation": Fraction(9, 2),
    }
    assert scores.to_develop == ("planning", "growth")
    # Shown half up to one decimal: 3.625 -> 3.6, 0.625 -> 0.6, 11/3 -> 3.7.
    assert [str(one_decimal(x)) for x in (Fraction(29, 8), Fraction(5, 8), Fraction(11, 3))] == [
        "3.6",
        "0.6",
        "3.7",
    ]


def test_agreeing_with_a_reverse_worded_statement_lowers_its_pole():
    reverse = next(s for s in ASSESSMENT.statements if s.reverse and s.pole is Pole.LEADING)
    assert [item_score(reverse, answer) for answer in range(1, 6)] == [5, 4, 3, 2, 1]
    agreeing = {**flat(3), reverse.id: 5}
    assert score(ASSESSMENT, agreeing).leading == Fraction(3 * 7 + 1, 8)
    with pytest.raises(ValueError):
        item_score(reverse, 6)


@pytest.mark.parametrize(
    ("balance", "lean"),
    [
        (Fraction(1, 2), Lean.LEADER),
        (Fraction(3, 8), Lean.BALANCED),
        (Fraction(0), Lean.BALANCED),
        (Fraction(-3, 8), Lean.BALANCED),
        (Fraction(-1, 2), Lean.MANAGER),
        (Fraction(-4), Lean.MANAGER),
    ],
)
def test_the_lean_is_read_against_the_contents_threshold(balance, lean):
    assert ASSESSMENT.lean_threshold == 0.5
    assert lean_of(balance, ASSESSMENT.lean_threshold) is lean


def test_four_leading_statements_one_point_higher_lean_leader_exactly_at_the_threshold():
    answers = flat(3)
    for s in [s for s in ASSESSMENT.statements if s.pole is Pole.LEADING][:4]:
        answers[s.id] = 2 if s.reverse else 4  # counts 4
    scores = score(ASSESSMENT, answers)
    assert (scores.leading, scores.managing, scores.lean) == (Fraction(7, 2), 3, Lean.LEADER)


def test_ties_go_to_the_weaker_side_first_then_to_the_contents_order():
    # All even: both sides 3, so the content's order of areas decides.
    assert score(ASSESSMENT, flat(3)).to_develop == ("direction", "change")
    # Growth lowest; the leading side is weaker, so its first area comes before any managing.
    low_growth = {**flat(3), "coach-not-answer": 1}
    assert score(ASSESSMENT, low_growth).to_develop == ("growth", "direction")
    # Delegation lowest; the managing side is weaker, so goals comes before direction.
    low_delegation = {**flat(3), "clear-instructions": 1}
    assert score(ASSESSMENT, low_delegation).to_develop == ("delegation", "goals")


def test_the_change_since_last_time_is_per_contrast_and_overall():
    before = score(ASSESSMENT, flat(3))
    now = score(ASSESSMENT, HAND)
    change = change_since(now, before)
    assert change.overall == Fraction(5, 8)
    assert dict(change.contrasts)["development-vs-direction"] == -3
    assert dict(change.contrasts)["vision-vs-goals"] == 2


def test_an_old_assessment_is_read_with_the_statements_it_still_shares():
    old = {**HAND, "a-statement-since-retired": 5}
    del old["coach-not-answer"]
    scores = score(ASSESSMENT, old)
    development = scores.contrast_by_id["development-vs-direction"]
    assert development.leading is None and development.balance is None
    assert scores.leading == Fraction(27, 7)  # the seven leading statements left
    assert "growth" not in scores.area_by_id


@given(answers=ANSWERS)
def test_every_score_is_on_the_scale_and_the_balance_within_four(answers):
    scores = score(ASSESSMENT, answers)
    for value in [scores.leading, scores.managing, *(a.rating for a in scores.areas)]:
        assert value is not None and 1 <= value <= 5
    for contrast in scores.contrasts:
        assert contrast.balance is not None and -4 <= contrast.balance <= 4
    # One statement on each pole of each contrast: the overall balance is their mean.
    assert scores.balance == sum(c.balance for c in scores.contrasts) / len(scores.contrasts)


@given(answers=ANSWERS)
def test_answering_the_opposite_mirrors_every_score(answers):
    scores = score(ASSESSMENT, answers)
    mirrored = score(ASSESSMENT, {k: 6 - v for k, v in answers.items()})
    assert mirrored.leading == 6 - scores.leading
    assert mirrored.managing == 6 - scores.managing
    assert mirrored.balance == -scores.balance
    flipped = {Lean.LEADER: Lean.MANAGER, Lean.MANAGER: Lean.LEADER, Lean.BALANCED: Lean.BALANCED}
    assert mirrored.lean is flipped[scores.lean]
    assert change_since(scores, scores).overall == 0
    assert change_since(mirrored, scores).overall == -change_since(scores, mirrored).overall


@given(answers=ANSWERS, index=st.integers(0, len(IDS) - 1))
def test_agreeing_more_never_lowers_a_plain_pole_nor_raises_a_reversed_one(answers, index):
    statement = ASSESSMENT.statements[index]
    if answers[statement.id] == 5:
        return
    before = score(ASSESSMENT, answers)
    after = score(ASSESSMENT, {**answers, statement.id: answers[statement.id] + 1})
    pole = "leading" if statement.pole is Pole.LEADING else "managing"
    moved = getattr(after, pole) - getattr(before, pole)
    assert moved == (Fraction(-1, 8) if statement.reverse else Fraction(1, 8))


@given(answers=ANSWERS)
def test_the_areas_to_develop_are_two_of_the_lowest_rated(answers):
    scores = score(ASSESSMENT, answers)
    ratings = {a.dimension_id: a.rating for a in scores.areas}
    first, second = scores.to_develop
    assert first != second
    others = [r for area, r in ratings.items() if area not in scores.to_develop]
    assert ratings[first] <= ratings[second] <= min(others)
    # Among equals, the weaker side's come first.
    if scores.leading != scores.managing and ratings[first] == ratings[second]:
        weaker = Lens.LEADERSHIP if scores.leading < scores.managing else Lens.MANAGEMENT
        sides = scores.area_by_id
        assert not (sides[first].side is not weaker and sides[second].side is weaker)


@given(answers=ANSWERS)
def test_the_plan_offers_three_distinct_practices_aimed_at_those_areas(answers):
    scores = score(ASSESSMENT, answers)
    offered = plan.offer(BANK, scores.to_develop, set())
    assert len(offered) == plan.WEEKS == len(set(offered))
    first, second = scores.to_develop
    practices = [BANK.practice_by_id[p] for p in offered]
    assert first in practices[0].dimensions and second in practices[1].dimensions
    assert first in practices[2].dimensions
    assert not any(p.event_bound for p in practices)


def test_a_retake_offers_practices_not_accepted_before():
    areas = score(ASSESSMENT, HAND).to_develop
    first = plan.offer(BANK, areas, set())
    again = plan.offer(BANK, areas, set(first))
    assert not set(first) & set(again)
