"""A summary's numbers, checked against values worked out by hand from history.py."""

from __future__ import annotations

from bot.summary.trends import DimensionScore, OpenRound, StatementScore
from tests.support.summary_history import (
    GOALS,
    GROWTH,
    OPEN_FOR,
    TRUST_CARED,
    TRUST_SAFE,
    WEEK_THREE_COMMENTS,
    WORKLOAD,
    monday,
)


def test_rounds_show_participation_always_and_scores_only_above_the_threshold(summary):
    periods = [view.period for view in summary.rounds]
    assert periods == ["2026-W37", "2026-W38", "2026-W39", "2026-W40"]
    assert [(v.answered, v.asked) for v in summary.rounds] == [(4, 6), (2, 6), (5, 6), (5, 5)]
    assert [v.participation_percent for v in summary.rounds] == [67, 33, 83, 100]
    assert [v.shown for v in summary.rounds] == [True, False, True, True]

    week_zero, week_one, week_two, week_three = summary.rounds
    # Trust is read from its anchor alone (TRUST_SAFE), which every round asked: 16/4, with
    # three 4s and 5s. Goals 12/4 (one 4), workload 10/4 (none), growth 16/4 (four).
    assert week_zero.scores == {
        "trust": DimensionScore(4.0, 4, 3, (TRUST_SAFE,), 4),
        "goals": DimensionScore(3.0, 4, 1, (GOALS,), 4),
        "workload": DimensionScore(2.5, 4, 0, (WORKLOAD,), 4),
        "growth": DimensionScore(4.0, 4, 4, (GROWTH,), 4),
    }
    assert week_one.scores == {} and week_one.statements == {} and week_one.sides == {}
    assert set(week_one.hidden_dimensions) == {"trust", "goals", "workload", "growth"}
    # Growth had two answers in week 2: withheld while the rest of the round is shown.
    # trust 20/5; goals 11/5; workload 13/5.
    assert week_two.scores == {
        "trust": DimensionScore(4.0, 5, 5, (TRUST_SAFE,), 5),
        "goals": DimensionScore(2.2, 5, 0, (GOALS,), 5),
        "workload": DimensionScore(2.6, 5, 0, (WORKLOAD,), 5),
    }
    assert week_two.hidden_dimensions == ("growth",)
    # Each statement with at least three scores is shown on its own: TRUST_CARED 21/5.
    assert week_two.statements == {
        TRUST_SAFE: StatementScore(4.0, 5, 5),
        TRUST_CARED: StatementScore(4.2, 5, 5),
        GOALS: StatementScore(2.2, 5, 0),
        WORKLOAD: StatementScore(2.6, 5, 0),
    }
    # trust 21/5; growth 17/5 with two 4s.
    assert week_three.scores == {
        "trust": DimensionScore(4.2, 5, 5, (TRUST_SAFE,), 5),
        "goals": DimensionScore(2.2, 5, 0, (GOALS,), 5),
        "workload": DimensionScore(2.4, 5, 0, (WORKLOAD,), 5),
        "growth": DimensionScore(3.4, 5, 2, (GROWTH,), 5),
    }
    assert TRUST_CARED not in week_three.statements  # two answers
    assert week_three.closes_at == monday(3) + OPEN_FOR


def test_dimension_trends_over_the_span(summary):
    trends = {trend.dimension_id: trend for trend in summary.dimensions}
    assert list(trends) == ["trust", "growth", "goals", "workload"]  # the bank's order

    trust = trends["trust"]
    assert trust.values == (4.0, None, 4.0, 4.2)
    assert (trust.latest, trust.previous, trust.change_from_previous) == (4.2, 4.0, 0.2)
    assert (trust.span_average, trust.change_from_span_average) == (4.1, 0.1)  # 12.2 / 3
    assert trust.sparkline == "▇▇▇"
    assert (trust.basis, trust.series_start, trust.restarted_on) == ((TRUST_SAFE,), 0, None)

    goals = trends["goals"]
    assert goals.values == (3.0, None, 2.2, 2.2)
    assert (goals.latest, goals.change_from_previous) == (2.2, 0.0)
    assert (goals.span_average, goals.change_from_span_average) == (2.5, -0.3)  # 7.4/3 = 2.47
    assert goals.sparkline == "▅▃▃"

    workload = trends["workload"]
    assert workload.values == (2.5, None, 2.6, 2.4)
    assert (workload.latest, workload.change_from_previous) == (2.4, -0.2)
    assert (workload.span_average, workload.change_from_span_average) == (2.5, -0.1)
    assert workload.sparkline == "▄▄▃"

    growth = trends["growth"]
    assert growth.values == (4.0, None, None, 3.4)
    assert (growth.latest, growth.previous, growth.change_from_previous) == (3.4, 4.0, -0.6)
    assert (growth.span_average, growth.change_from_span_average) == (3.7, -0.3)
    assert growth.sparkline == "▇▅"
    assert growth.latest_period == "2026-W40"


def test_levels_over_the_window_with_their_normal_variation(summary):
    trust = summary.dimension("trust")
    # Weeks 0, 2 and 3 (week 1 was not shown): (4.0*4 + 4.0*5 + 4.2*5) / 14 = 57/14 = 4.07;
    # 4s and 5s: 3 + 5 + 5 of 14 = 93%; margin 1.96 / sqrt(14) = 0.52.
    level = trust.level
    assert (level.average, level.answers, level.favorable, level.margin) == (4.1, 14, 93, 0.5)
    assert (level.rounds, level.people, level.since) == (3, 5, monday(0))
    assert trust.level_change is None  # nothing before the window
    growth = summary.dimension("growth")
    # Weeks 0 and 3: (4.0*4 + 3.4*5) / 9 = 33/9 = 3.67; six 4s and 5s of 9; 1.96/3 = 0.65.
    assert (growth.level.average, growth.level.favorable, growth.level.margin) == (3.7, 67, 0.7)


def test_the_two_sides_and_the_balance(summary):
    leading, managing = summary.sides
    assert (leading.side, managing.side) == ("leadership", "management")
    # Leading pools the shown statements about the lead on the leading side (trust's two,
    # growth's one): week 0 (16+16+16)/12 = 4.0; week 2 (20+21)/10 = 4.1 (growth withheld);
    # week 3 (21+17)/10 = 3.8 (TRUST_CARED withheld). Workload is about the team: in neither.
    assert leading.values == (4.0, None, 4.1, 3.8)
    # Level (4.0*12 + 4.1*10 + 3.8*10) / 32 = 127/32 = 3.97; 4s and 5s 10 + 10 + 7 of 32.
    # Its normal variation counts about the people (4 + 5 + 5), not the 32 answers.
    assert (leading.level, leading.favorable, leading.answers) == (4.0, 84, 32)
    assert (leading.window.weight, leading.margin) == (14, 0.5)
    # Managing is goals alone: (3.0*4 + 2.2*5 + 2.2*5) / 14 = 34/14 = 2.43; one 4 of 14.
    assert managing.values == (3.0, None, 2.2, 2.2)
    assert (managing.level, managing.favorable, managing.margin) == (2.4, 7, 0.5)
    balance = summary.balance
    # 2.4 - 4.0 = -1.6, far outside 1.96 * sqrt(1/14 + 1/14) = 0.74.
    assert (balance.leading, balance.managing, balance.gap) == (4.0, 2.4, -1.6)
    assert balance.stronger == "leadership"
    # No contrast has a shown statement on both sides here (goals' is vision vs goals).
    assert balance.widest is None


def test_participation_trend_and_the_open_round(summary):
    assert summary.participation.percents == (67, 33, 83, 100)
    assert summary.participation.latest == 100
    assert summary.participation.change_from_previous == 17
    assert summary.participation.sparkline == "▆▃▇█"
    # Week 4 is open: its progress is told, its scores (all 5s) are not read.
    assert summary.open_round == OpenRound(
        "2026-W41", monday(4) + OPEN_FOR, 5, 6, opens_at=monday(4)
    )


def test_strongest_weakest_and_focus(summary, bank):
    assert summary.strongest.dimension_id == "trust"
    assert summary.weakest.dimension_id == "goals"
    # Levels over the last 3 shown rounds: goals 2.4, workload 2.5, growth 3.7; trust (4.1)
    # is at the ceiling and never a candidate. Nothing fell beyond normal variation, so the
    # second candidate is the next lowest.
    assert [(c.dimension_id, c.level.average, c.reasons) for c in summary.candidates] == [
        ("goals", 2.4, ("lowest",)),
        ("workload", 2.5, ("next_lowest",)),
    ]
    focus = summary.focus
    assert (focus.dimension_id, focus.level.average, focus.origin) == ("goals", 2.4, "suggested")
    assert focus.practice in bank.practices_for_dimension("goals")


def test_comments_are_the_latest_closed_rounds_only(summary):
    assert summary.comments_period == "2026-W40"
    assert sorted(summary.comments) == sorted(WEEK_THREE_COMMENTS)


def test_a_narrower_span_holds_only_its_own_rounds(stored_history):
    summary = stored_history.summary(weeks=3)
    assert [view.period for view in summary.rounds] == ["2026-W39", "2026-W40"]
    trust = summary.dimension("trust")
    assert (trust.values, trust.span_average, trust.change_from_span_average) == (
        (4.0, 4.2),
        4.1,  # 8.2 / 2
        0.1,
    )
    growth = summary.dimension("growth")
    assert (growth.values, growth.previous, growth.change_from_previous) == (
        (None, 3.4),
        None,
        None,
    )
    only_open = stored_history.summary(weeks=1)
    assert only_open.rounds == () and only_open.dimensions == ()
    assert only_open.focus is None and only_open.candidates == ()
    assert only_open.focus is None and only_open.comments == ()
    assert only_open.open_round is not None
