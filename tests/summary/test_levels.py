"""Levels over a window, told as a rise or a fall only outside normal variation; and series
that start over where the statement an area is read from changed. Histories are made with
the real pulse functions (tests/support/summary_history.py); numbers are worked out here."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from math import sqrt

import pytest

from bot.summary.blocks import dimension_line, side_line, summary_message
from bot.summary.build import build_summary
from tests.support.harness import text_of
from tests.support.summary_history import (
    GOALS,
    GROWTH,
    OPEN_FOR,
    TRUST_CARED,
    TRUST_SAFE,
    WORKLOAD,
    make_team,
    monday,
    run_round,
    same_scores,
)

PEOPLE = tuple(f"U0MEMBER{n}" for n in range(1, 6))
STEADY = [3, 3, 3, 3, 3]  # 3.0
OTHERS = {TRUST_SAFE: [4] * 5, TRUST_CARED: [4] * 5, WORKLOAD: [3] * 5, GROWTH: [4] * 5}


def summarize(session, bank, team, after_week: int, weeks: int = 12):
    now = monday(after_week) + OPEN_FOR + timedelta(hours=1)
    return build_summary(session, bank, team, weeks=weeks, now=now, rng=random.Random(3))


def eight_weeks(session, bank, before: list[int], after: list[int]):
    """Goals scored `before` in weeks 0-3 and `after` in weeks 4-7, by five people."""
    team = make_team(session)
    for week in range(8):
        goals = before if week < 4 else after
        run_round(
            session,
            bank,
            team,
            week,
            same_scores(PEOPLE, {**OTHERS, GOALS: goals}),
            members=PEOPLE,
        )
    return summarize(session, bank, team, 7)


@pytest.mark.parametrize(
    ("after", "told"),
    [
        # 3.0 -> 3.6: +0.6, inside 1.96 * sqrt(1/20 + 1/20) = 0.62 for twenty answers each.
        ([4, 4, 3, 3, 4], "within normal variation for a team of 5"),
        # 3.0 -> 3.8: +0.8, outside it: a rise.
        ([4, 4, 4, 3, 4], "up 0.8 on the 4 rounds before"),
        # 3.0 -> 2.2: a fall.
        ([2, 2, 2, 3, 2], "down 0.8 on the 4 rounds before"),
    ],
)
def test_a_change_is_a_rise_or_fall_only_outside_normal_variation(session, bank, after, told):
    summary = eight_weeks(session, bank, STEADY, after)
    goals = summary.dimension("goals")
    expected = Decimal(sum(after)) / 5
    assert goals.level.average == float(expected)
    assert (goals.level.answers, goals.level.rounds, goals.level.people) == (20, 4, 5)
    assert goals.level.margin == 0.4  # 1.96 / sqrt(20) = 0.438
    assert goals.level_change.previous.average == 3.0
    noise = 1.96 * sqrt(1 / 20 + 1 / 20)
    assert goals.level_change.within_noise == (abs(expected - 3) < Decimal(str(noise)))
    assert told in dimension_line(goals, summary.weeks, summary.latest_round.period)
    # Managing is goals alone here, so it tells the same.
    managing = summary.side("management")
    assert managing.level == goals.level.average and told in side_line(managing)
    assert told in text_of(summary_message(summary, bank, "Platform"))


def test_a_level_reads_only_the_last_four_shown_rounds(session, bank):
    team = make_team(session)
    scores = {0: [1] * 5, 1: [5] * 5, 2: [2] * 5, 3: [4] * 5, 4: [3] * 5, 5: [4] * 5}
    for week, goals in scores.items():
        # Week 2: two answer goals, so it is withheld and the window reaches back to week 1.
        answers = same_scores(PEOPLE, {**OTHERS, GOALS: goals[: 2 if week == 2 else 5]})
        run_round(session, bank, team, week, answers, members=PEOPLE)
    goals = summarize(session, bank, team, 5).dimension("goals")
    assert goals.values == (1.0, 5.0, None, 4.0, 3.0, 4.0)
    # Weeks 1, 3, 4 and 5: (5 + 4 + 3 + 4) / 4 = 4.0, since week 1; week 0 is the window
    # before.
    assert (goals.level.average, goals.level.since, goals.level.rounds) == (4.0, monday(1), 4)
    assert goals.level_change.previous.average == 1.0 and goals.level_change.change == 3.0


OLD_DIRECTION = "direction-knows-where-heading"  # retired, still under direction
OLD_GOALS = "goals-know-top-priority"  # retired, still under goals
PEERS_WORD = "trust-people-keep-their-word"  # retired, fits no dimension: counted nowhere
NEW_DIRECTION = "direction-lead-explains-why"  # direction's anchor
DIRECTION_FUTURE = "direction-lead-describes-future"  # direction, not its anchor


def test_a_series_starts_over_where_the_statement_changed(session, bank):
    team = make_team(session)

    def week(number: int, questions: list[str], scores: dict[str, list[int]]) -> None:
        # Rounds keep the statements they were asked with, retired ones too: set as an older
        # version would have left them.
        run_round(
            session,
            bank,
            team,
            number,
            same_scores(PEOPLE, scores),
            members=PEOPLE,
            asked=questions,
        )

    old = [OLD_DIRECTION, OLD_GOALS, PEERS_WORD, WORKLOAD]
    for number in (0, 1):
        week(
            number,
            old,
            {OLD_DIRECTION: [2] * 5, OLD_GOALS: [2] * 5, PEERS_WORD: [1] * 5, WORKLOAD: [3] * 5},
        )
    new = [NEW_DIRECTION, GOALS, WORKLOAD]
    week(2, new, {NEW_DIRECTION: [4] * 5, GOALS: [4] * 5, WORKLOAD: [3] * 5})
    week(3, new, {NEW_DIRECTION: [4, 4, 5, 4, 4], GOALS: [4] * 5, WORKLOAD: [3] * 5})
    # Week 4 asks direction's anchor and another of its statements: read from the anchor.
    week(
        4,
        [NEW_DIRECTION, DIRECTION_FUTURE, GOALS, WORKLOAD],
        {NEW_DIRECTION: [4] * 5, DIRECTION_FUTURE: [1] * 5, GOALS: [4] * 5, WORKLOAD: [3] * 5},
    )
    summary = summarize(session, bank, team, 4)

    direction = summary.dimension("direction")
    assert direction.values == (2.0, 2.0, 4.0, 4.2, 4.0)
    assert (direction.series_start, direction.restarted_on) == (2, monday(2))
    assert direction.basis == (NEW_DIRECTION,)
    # Compared within the new series only: 4.0 against 4.2, never against the old 2.0.
    assert (direction.previous, direction.change_from_previous) == (4.2, -0.2)
    assert direction.span_average == 4.1  # (4.0 + 4.2 + 4.0) / 3 = 4.07
    assert direction.level.average == 4.1 and direction.level_change is None
    assert direction.sparkline == "▇▇▇"
    assert summary.rounds[4].statements[DIRECTION_FUTURE].average == 1.0
    assert summary.dimension("goals").restarted_on == monday(2)
    assert summary.dimension("workload").restarted_on is None  # the same anchor throughout
    # The peers' statement fits no dimension: no area and no side counts it.
    assert summary.dimension("trust") is None
    # Leading pools every shown statement about the lead on its side, asked today: not the
    # retired one under direction (it was about the team, not the lead), so the old rounds
    # have no leading score; then the anchor, and in week 4 both direction statements
    # (20+5)/10.
    assert summary.side("leadership").values == (None, None, 4.0, 4.2, 2.5)

    text = text_of(summary_message(summary, bank, "Platform"))
    moment = monday(2)
    day = f"<!date^{int(moment.timestamp())}^{{date_short}}|{moment:%d %b %Y}>"
    assert (
        f"*Vision and the why:* a new statement from {day}; earlier rounds asked a different "
        "one, so its level and changes start there." in text
    )
    assert "*Sustainable workload:* a new" not in text


def test_half_up_rounding_of_a_level(session, bank):
    """A level is rounded half up from rounded round values, the same on every database."""
    team = make_team(session)
    # Weeks of 3.2 (16/5) and 3.3 (13/4, rounded half up) -> (3.2*5 + 3.3*4) / 9 = 3.24.
    run_round(
        session,
        bank,
        team,
        0,
        same_scores(PEOPLE, {**OTHERS, GOALS: [3, 3, 3, 3, 4]}),
        members=PEOPLE,
    )
    run_round(
        session, bank, team, 1, same_scores(PEOPLE, {**OTHERS, GOALS: [3, 3, 3, 4]}), members=PEOPLE
    )
    goals = summarize(session, bank, team, 1).dimension("goals")
    assert goals.values == (3.2, 3.3)
    expected = (Decimal("3.2") * 5 + Decimal("3.3") * 4) / 9
    assert goals.level.average == float(expected.quantize(Decimal("0.1"), ROUND_HALF_UP))


@pytest.mark.parametrize(
    ("direction", "named"),
    [
        # Vision 3.0 against goals 3.6 over fifteen answers each: 0.6 apart, inside
        # 1.96 * sqrt(1/15 + 1/15) = 0.72: no contrast is named.
        ([3, 3, 3, 3, 3], False),
        # 2.2 against 3.6: 1.4 apart, beyond it: vision and goals is named.
        ([2, 2, 2, 3, 2], True),
    ],
)
def test_the_widest_contrast_is_named_only_beyond_normal_variation(session, bank, direction, named):
    team = make_team(session, question_ids=[NEW_DIRECTION, GOALS, WORKLOAD])
    for week in range(3):
        scores = {NEW_DIRECTION: direction, GOALS: [4, 4, 3, 3, 4], WORKLOAD: [3] * 5}
        run_round(session, bank, team, week, same_scores(PEOPLE, scores), members=PEOPLE)
    widest = summarize(session, bank, team, 2).balance.widest
    if named:
        assert (widest.name, widest.leading, widest.managing) == ("Vision and goals", 2.2, 3.6)
        assert round(widest.noise, 2) == round(1.96 * sqrt(1 / 15 + 1 / 15), 2)
    else:
        assert widest is None
