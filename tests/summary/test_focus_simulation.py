"""Does the focus follow signal, not noise? Generated histories through the real code.

Each run: the real bank and its rotating default (every area within 3 weeks, always its
anchor), `people` respondents answering each statement with their area's true mean plus
noise of SD 1.0, rounded and clamped to 1..5; one area (drawn per run) truly `gap` below
the rest. Week by week the round's totals go through the real anonymity rules
(bot.summary.disclosure), trends and focus, over the default 12-week span, with the focus
carried from close to close as the clock carries it (`carried`). After a warm-up of one full
window (4 shown rounds of every area: 12 weeks) each week counts: is the focus the truly
weakest area, and did it change from the week before?
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bot.bank import Bank, Question
from bot.pulse.aggregates import FAVORABLE, QuestionTotal, RoundRecord
from bot.pulse.questions import rotating_default, rotation
from bot.summary import focus as focus_rules
from bot.summary.build import DEFAULT_WEEKS
from bot.summary.disclosure import round_views
from bot.summary.focus import carried, choose_focus
from bot.summary.trends import WINDOW, dimension_trends

RUNS = 200
MEASURED_WEEKS = 15
BASE_MEAN = 3.5
THRESHOLD = 3
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # a Monday


@dataclass(frozen=True)
class Rates:
    right: float  # share of measured weeks whose focus is the truly weakest area
    changed: float  # share of measured weeks whose focus differs from the week before
    oracle: float  # share of them where the lowest mean of every anchor answer so far is


def score(rng: random.Random, mean: float) -> int:
    return min(5, max(1, round(rng.gauss(mean, 1.0))))


def issue_bank(bank: Bank) -> Bank:
    """The issue's setting: nine areas, each asked by one statement (its anchor)."""
    dimensions = bank.dimensions[:9]
    return Bank(
        topics=bank.topics,
        situations=bank.situations,
        practices=bank.practices,
        dimensions=dimensions,
        questions=tuple(bank.anchor_of(d.id) for d in dimensions),
        contrasts=bank.contrasts,
    )


def five_of_nine(bank: Bank, week: int) -> list[Question]:
    """The issue's rotation: five areas a week, walking round the nine."""
    anchors = [bank.anchor_of(d.id) for d in bank.dimensions]
    return [anchors[(week * 5 + k) % len(anchors)] for k in range(5)]


def simulate(
    bank: Bank,
    *,
    people: int,
    gap: float,
    runs: int = RUNS,
    seed: int = 16,
    asked_in_week: Callable[[Bank, int], list[Question]] = rotating_default,
    warm_up: int | None = None,
) -> Rates:
    rng = random.Random(seed)
    areas = [d.id for d in bank.dimensions]
    if warm_up is None:
        warm_up = rotation(bank).area_cycle * WINDOW
    weeks = warm_up + MEASURED_WEEKS
    asked_in = [asked_in_week(bank, week) for week in range(weeks)]
    right = changed = oracle = measured = 0
    for _ in range(runs):
        weak = rng.choice(areas)
        truth = {area: BASE_MEAN - (gap if area == weak else 0.0) for area in areas}
        records, totals = [], []
        anchor_sums: dict[str, list[int]] = {area: [0, 0] for area in areas}
        best: list[str] = []  # per week, the area an oracle of every anchor answer names
        for week in range(weeks):
            opens = START + timedelta(weeks=week)
            asked = asked_in[week]
            records.append(
                RoundRecord(
                    round_id=week,
                    period=f"W{week}",
                    opens_at=opens,
                    closes_at=opens + timedelta(days=3),
                    closed_at=opens + timedelta(days=3),
                    question_ids=tuple(q.id for q in asked),
                    answered=people,
                    asked=people,
                    threshold=THRESHOLD,
                )
            )
            for question in asked:
                scores = [score(rng, truth[question.dimension or weak]) for _ in range(people)]
                totals.append(
                    QuestionTotal(
                        week,
                        question.id,
                        sum(scores),
                        people,
                        sum(s >= FAVORABLE for s in scores),
                    )
                )
                if question.anchor and question.dimension:
                    anchor_sums[question.dimension][0] += sum(scores)
                    anchor_sums[question.dimension][1] += people
            known = [area for area in areas if anchor_sums[area][1]]
            best.append(min(known, key=lambda a: anchor_sums[a][0] / anchor_sums[a][1]))
        views = round_views(records, totals, dict.fromkeys(range(weeks), people), bank, THRESHOLD)
        carry: str | None = None
        previous: str | None = None
        for week in range(weeks):
            now = views[week].closes_at + timedelta(hours=1)
            span = [
                v for v in views[: week + 1] if v.opens_at > now - timedelta(weeks=DEFAULT_WEEKS)
            ]
            trends = dimension_trends(span, bank)
            focus = choose_focus(
                trends,
                bank,
                views=span,
                committed_practices=(),
                rng=rng,
                current=carry,
            )
            carry = carried(focus)
            named = focus.dimension_id if focus is not None else None
            if week >= warm_up:
                measured += 1
                right += named == weak
                oracle += best[week] == weak
                changed += named != previous
            previous = named
    return Rates(right / measured, changed / measured, oracle / measured)


# The module's tests share one costly run: under pytest-xdist they stay on one worker.
pytestmark = pytest.mark.xdist_group("focus_simulation")


@pytest.fixture(scope="module")
def six_people_small_gap(bank: Bank) -> Rates:
    return simulate(bank, people=6, gap=0.4)


def test_holding_still_beats_following_the_lowest_level_week_by_week(
    bank: Bank, six_people_small_gap: Rates
):
    # The natural design: the lowest windowed level each week, with no hold.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(focus_rules, "HOLD", 0.0)
        natural = simulate(bank, people=6, gap=0.4)
    print(f"6 people, 0.4 gap: {six_people_small_gap}; with no hold: {natural}")
    assert six_people_small_gap.right >= natural.right + 0.05
    assert six_people_small_gap.changed <= 0.25
    assert six_people_small_gap.changed < natural.changed / 2


def test_the_issues_setting_names_the_weakest_area_and_holds_still(bank: Bank):
    """The issue's simulation, through the real focus code: nine areas, five asked a week,
    six people, SD 1.0, one area truly 0.4 below the rest, 200 runs.

    Measured with levels over four shown rounds: right in 72.9% of weeks, the focus changing
    in 7% of weeks with the gap and 13% with none. (With three it was 68.7%: a window of
    three held too few answers for a 0.4 gap among nine areas.)"""
    nine = issue_bank(bank)
    warm_up = 2 * WINDOW  # every area is asked at least once in any two weeks
    rates = simulate(nine, people=6, gap=0.4, asked_in_week=five_of_nine, warm_up=warm_up)
    steady = simulate(nine, people=6, gap=0.0, asked_in_week=five_of_nine, warm_up=warm_up)
    print(f"the issue's setting, 0.4 gap: {rates}; no gap: {steady}")
    assert rates.right >= 0.70
    assert rates.changed <= 0.25 and steady.changed <= 0.25


def test_lvms_own_rotation_comes_close_to_what_its_answers_allow(six_people_small_gap: Rates):
    """With lvm's bank each area is asked every third week (13 areas, a week of six
    statements), so a window holds fewer answers than in the issue's setting; the best any
    rule could do, the lowest mean of every anchor answer so far (`oracle`), is the bound."""
    assert six_people_small_gap.right >= six_people_small_gap.oracle - 0.15


def test_with_no_true_difference_the_focus_mostly_holds_still(bank: Bank):
    rates = simulate(bank, people=6, gap=0.0)
    print(f"6 people, no gap: {rates}")
    assert rates.changed <= 0.25


@pytest.mark.parametrize(("people", "gap"), [(10, 0.4), (6, 0.8), (10, 0.0)])
def test_more_people_or_a_wider_gap_do_better(
    bank: Bank, six_people_small_gap: Rates, people: int, gap: float
):
    rates = simulate(bank, people=people, gap=gap, runs=RUNS // 4)
    print(f"{people} people, {gap} gap: {rates}")
    if gap:
        assert rates.right >= 0.70 and rates.right > six_people_small_gap.right
    assert rates.changed <= 0.25
