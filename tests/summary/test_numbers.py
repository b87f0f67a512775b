"""A summary's numbers, checked against values worked out by hand from history.py."""

from __future__ import annotations

from bot.summary.trends import DimensionScore, OpenRound
from tests.support.summary_history import OPEN_FOR, WEEK_THREE_COMMENTS, monday


def test_rounds_show_participation_always_and_scores_only_above_the_threshold(summary):
    periods = [view.period for view in summary.rounds]
    assert periods == ["2026-W37", "2026-W38", "2026-W39", "2026-W40"]
    assert [(v.answered, v.asked) for v in summary.rounds] == [(4, 6), (2, 6), (5, 6), (5, 5)]
    assert [v.participation_percent for v in summary.rounds] == [67, 33, 83, 100]
    assert [v.shown for v in summary.rounds] == [True, False, True, True]

    week_zero, week_one, week_two, week_three = summary.rounds
    # trust: (4+4+3+5) + (5+4+4+3) = 32 over 8 answers; goals 12/4; workload 10/4; growth 16/4.
    assert week_zero.scores == {
        "trust": DimensionScore(4.0, 8),
        "goals": DimensionScore(3.0, 4),
        "workload": DimensionScore(2.5, 4),
        "growth": DimensionScore(4.0, 4),
    }
    assert week_one.scores == {}
    assert set(week_one.hidden_dimensions) == {"trust", "goals", "workload", "growth"}
    # Growth had two answers in week 2: withheld while the rest of the round is shown.
    # trust: 20 + 21 over 10; goals 11/5; workload 13/5.
    assert week_two.scores == {
        "trust": DimensionScore(4.1, 10),
        "goals": DimensionScore(2.2, 5),
        "workload": DimensionScore(2.6, 5),
    }
    assert week_two.hidden_dimensions == ("growth",)
    # Week 3's second trust question had two answers: trust is its first question alone, 21/5.
    assert week_three.scores == {
        "trust": DimensionScore(4.2, 5),
        "goals": DimensionScore(2.2, 5),
        "workload": DimensionScore(2.4, 5),
        "growth": DimensionScore(3.4, 5),
    }
    assert week_three.closes_at == monday(3) + OPEN_FOR


def test_dimension_trends_over_the_span(summary):
    trends = {trend.dimension_id: trend for trend in summary.dimensions}
    assert list(trends) == ["trust", "growth", "goals", "workload"]  # the bank's order

    trust = trends["trust"]
    assert trust.values == (4.0, None, 4.1, 4.2)
    assert (trust.latest, trust.previous, trust.change_from_previous) == (4.2, 4.1, 0.1)
    assert (trust.span_average, trust.change_from_span_average) == (4.1, 0.1)  # 12.3 / 3
    assert trust.sparkline == "▇▇▇"

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
    # Needs (4.0 - latest + fall): goals 1.8 + 0.3, workload 1.6 + 0.2, growth 0.6 + 0.6;
    # trust is high and never a candidate.
    focus = summary.focus
    assert (focus.dimension_id, focus.latest, focus.fall, focus.is_weakest) == (
        "goals",
        2.2,
        0.3,
        True,
    )
    assert focus.practice in bank.practices_for_dimension("goals")


def test_comments_are_the_latest_closed_rounds_only(summary):
    assert summary.comments_period == "2026-W40"
    assert sorted(summary.comments) == sorted(WEEK_THREE_COMMENTS)


def test_a_narrower_span_holds_only_its_own_rounds(stored_history):
    summary = stored_history.summary(weeks=3)
    assert [view.period for view in summary.rounds] == ["2026-W39", "2026-W40"]
    trust = summary.dimension("trust")
    assert (trust.values, trust.span_average, trust.change_from_span_average) == (
        (4.1, 4.2),
        4.2,  # 8.3 / 2 = 4.15, rounded half up
        0.0,
    )
    growth = summary.dimension("growth")
    assert (growth.values, growth.previous, growth.change_from_previous) == (
        (None, 3.4),
        None,
        None,
    )
    only_open = stored_history.summary(weeks=1)
    assert only_open.rounds == () and only_open.dimensions == ()
    assert only_open.focus is None and only_open.comments == ()
    assert only_open.open_round is not None
