"""Attempts to learn one person's answer from summaries. Each must fail.

The rules under attack are in docs/privacy.md: only closed rounds, at least `threshold`
people per round and per question, span figures from shown values only, one decimal.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import event, update

from bot.pulse.store import PulseTeam
from bot.pulse.teams import TeamSettings, save_team, schedule_of, set_opt_out
from bot.summary.blocks import summary_message
from bot.summary.build import build_summary
from bot.summary.export import export_csv
from tests.support.summary_history import (
    CHANNEL,
    EARLIER_COMMENT,
    HIDDEN_COMMENT,
    MANAGER,
    NOW,
    OPEN_COMMENT,
    OPEN_FOR,
    P1,
    P2,
    P3,
    P4,
    P5,
    PINNED,
    TRUST_CARED,
    make_team,
    monday,
    platform_history,
    run_round,
    same_scores,
)

SPANS = range(1, 13)
MOMENTS = [monday(week) + OPEN_FOR + timedelta(hours=1) for week in range(4)] + [NOW]


def numbers_of(summary) -> dict:
    """Everything numeric a summary shows, without what may differ between teams or seeds."""
    return {
        "rounds": [
            (
                v.period,
                v.answered,
                v.asked,
                v.shown,
                dict(v.scores),
                v.hidden_dimensions,
                dict(v.statements),
                dict(v.sides),
                dict(v.poles),
            )
            for v in summary.rounds
        ],
        "participation": asdict(summary.participation),
        "dimensions": [asdict(trend) for trend in summary.dimensions],
        "sides": [asdict(side) for side in summary.sides],
        "balance": summary.balance,
        "strongest": summary.strongest and summary.strongest.dimension_id,
        "weakest": summary.weakest and summary.weakest.dimension_id,
        "focus": summary.focus and (summary.focus.dimension_id, summary.focus.level),
        "open_round": summary.open_round,
    }


def summaries_of(session, bank, team):
    def summarize(*, weeks: int = 12, now=NOW, seed: int = 1):
        return build_summary(session, bank, team, weeks=weeks, now=now, rng=random.Random(seed))

    return summarize


def every_summary(summarize, seed: int = 1):
    """Every span from 1 to 12 weeks, asked right after each round closed and now."""
    for now in MOMENTS:
        for weeks in SPANS:
            yield summarize(weeks=weeks, now=now, seed=seed)


def test_a_round_below_the_threshold_shows_no_scores_in_any_span(stored_history, bank):
    for summary in every_summary(stored_history.summary):
        for view in summary.rounds:
            if view.period == "2026-W38":  # week 1: two answerers, threshold 3
                assert not view.shown and view.scores == {}
        week_one = [i for i, v in enumerate(summary.rounds) if v.period == "2026-W38"]
        for trend in summary.dimensions:
            assert all(trend.values[i] is None for i in week_one)


def test_what_a_hidden_round_said_cannot_be_recovered_by_any_span(session, bank):
    """Two teams whose histories differ only in the hidden round's scores (all 1s, all 5s)
    must get identical numbers from every span at every moment: nothing to subtract.
    (Separate workspaces: in one, the same people in two teams' rounds of a week would
    have the later round withheld, test_overlapping_teams.py.)"""
    ones = make_team(session, channel_id="C0ONES", workspace="T0ONES")
    fives = make_team(session, channel_id="C0FIVES", workspace="T0FIVES")
    platform_history(session, bank, ones, week_one_score=1)
    platform_history(session, bank, fives, week_one_score=5)
    for low, high in zip(
        every_summary(summaries_of(session, bank, ones)),
        every_summary(summaries_of(session, bank, fives)),
        strict=True,
    ):
        assert numbers_of(low) == numbers_of(high)


def test_span_averages_are_the_mean_of_shown_round_values_only(stored_history, bank):
    for summary in every_summary(stored_history.summary):
        for trend in summary.dimensions:
            shown = [Decimal(str(v)) for v in trend.values if v is not None]
            expected = (sum(shown) / len(shown)).quantize(Decimal("0.1"), ROUND_HALF_UP)
            assert trend.span_average == float(expected)
            assert trend.latest == float(shown[-1])
            if len(shown) > 1:
                assert trend.change_from_previous == float(shown[-1] - shown[-2])
            assert trend.change_from_span_average == float(shown[-1] - expected)


def test_every_number_is_rounded_to_one_decimal(stored_history, bank):
    for summary in every_summary(stored_history.summary):
        floats = [
            value
            for trend in summary.dimensions
            for value in (
                *[v for v in trend.values if v is not None],
                trend.latest,
                trend.span_average,
                trend.change_from_span_average,
                trend.change_from_previous or 0.0,
            )
        ] + [
            s.average
            for v in summary.rounds
            for scores in (v.scores, v.statements, v.sides, v.poles)
            for s in scores.values()
        ]
        for trend in [*summary.dimensions, *summary.sides]:
            level = trend.level if hasattr(trend, "dimension_id") else trend.window
            if level is not None:
                floats += [level.average, level.margin]
        if summary.balance is not None:
            floats += [summary.balance.leading, summary.balance.managing, summary.balance.gap]
        for value in floats:
            assert value == round(value, 1) and len(repr(value).split(".")[-1]) == 1


def test_a_withheld_statement_moves_no_area_side_or_contrast(session, bank):
    """Two teams differ only in a statement two people answered (all 1s, all 5s) in an
    otherwise shown round: no number of either tells them apart."""
    summaries = []
    for workspace, withheld in (("T0LOW", 1), ("T0HIGH", 5)):
        team = make_team(session, channel_id=f"C0{workspace}", workspace=workspace)
        run_round(
            session,
            bank,
            team,
            0,
            same_scores(
                (P1, P2, P3, P4),
                {q: [4, 3, 4, 2] for q in PINNED if q != TRUST_CARED}
                | {TRUST_CARED: [withheld, withheld]},
            ),
        )
        summaries.append(
            build_summary(session, bank, team, weeks=4, now=monday(1), rng=random.Random(1))
        )
    low, high = summaries
    assert numbers_of(low) == numbers_of(high)
    assert TRUST_CARED not in low.rounds[0].statements
    # Leading still has trust's anchor and growth, so it is shown, without TRUST_CARED.
    assert low.side("leadership").answers == 8


def test_repeated_requests_give_identical_numbers(stored_history, bank):
    first = stored_history.summary(weeks=12, now=NOW, seed=1)
    for seed in range(2, 6):
        again = stored_history.summary(weeks=12, now=NOW, seed=seed)
        assert numbers_of(again) == numbers_of(first)
        assert sorted(again.comments) == sorted(first.comments)


def test_comment_order_depends_on_the_seed_not_on_who_wrote_first(session, bank):
    # Separate workspaces, so neither round is withheld for sharing its people with the other.
    forwards = make_team(session, channel_id="C0FORWARDS", workspace="T0FORWARDS")
    backwards = make_team(session, channel_id="C0BACKWARDS", workspace="T0BACKWARDS")
    texts = [f"Comment number {n}" for n in range(6)]
    people = (P1, P2, P3, P4, P5, "U0PERSON6")
    scores = same_scores(people, {question: [3] * 6 for question in PINNED})
    run_round(session, bank, forwards, 0, scores, comments=dict(zip(people, texts, strict=True)))
    run_round(
        session, bank, backwards, 0, scores, comments=dict(zip(people, texts[::-1], strict=True))
    )
    now = monday(1)
    orders = set()
    for seed in range(8):
        one = build_summary(session, bank, forwards, weeks=4, now=now, rng=random.Random(seed))
        two = build_summary(session, bank, backwards, weeks=4, now=now, rng=random.Random(seed))
        assert one.comments == two.comments
        orders.add(one.comments)
    assert len(orders) > 1  # the order really is shuffled


def test_changing_the_team_between_requests_changes_no_number(session, bank, team):
    before = build_summary(session, bank, team, weeks=12, now=NOW, rng=random.Random(1))
    set_opt_out(session, team, P1, True)
    save_team(
        session,
        team_id=team.team_id,
        channel_id=CHANNEL,
        settings=TeamSettings(
            name="Platform (renamed)",
            managers=[MANAGER, "U0NEWMANAGER"],
            schedule=schedule_of(team),
            question_ids=PINNED[:3],
            anonymity_threshold=team.anonymity_threshold,
        ),
        actor=MANAGER,
        now=NOW,
    )
    after = build_summary(session, bank, team, weeks=12, now=NOW, rng=random.Random(1))
    assert numbers_of(after) == numbers_of(before)


def test_a_closed_round_never_changes_when_people_join_or_leave_later(stored_history, bank):
    """Week 3 lost P5 and gained P6; week 2's numbers are the same before and after."""
    right_after_week_two = monday(2) + OPEN_FOR + timedelta(hours=1)
    early = stored_history.summary(weeks=12, now=right_after_week_two, seed=1)
    late = stored_history.summary(weeks=12, now=NOW, seed=1)
    assert early.rounds == late.rounds[: len(early.rounds)]


def test_an_open_round_shows_participation_only(stored_history, bank):
    summary = stored_history.summary(weeks=12, now=NOW, seed=1)
    assert "2026-W41" not in [view.period for view in summary.rounds]
    assert (summary.open_round.answered, summary.open_round.asked) == (5, 6)
    # Its answers are all 5s: had they been read, trust would be above 4.2.
    assert summary.dimension("trust").latest == 4.2
    assert OPEN_COMMENT not in summary.comments


def test_a_round_closed_after_the_moment_asked_about_is_still_open_then(stored_history, bank):
    """A summary "as of" a moment when week 3 was still open reads none of its answers."""
    during_week_three = monday(3) + timedelta(days=1)
    summary = stored_history.summary(weeks=12, now=during_week_three, seed=1)
    assert [v.period for v in summary.rounds] == ["2026-W37", "2026-W38", "2026-W39"]
    assert summary.open_round.period == "2026-W40"
    assert summary.comments_period == "2026-W39"


def test_comments_of_a_round_below_the_threshold_never_appear(stored_history, bank):
    """Week 1's comment, and the open round's, appear in no summary, message or export."""
    for summary in every_summary(stored_history.summary):
        rendered = json.dumps(summary_message(summary, bank, "Platform"))
        exported = export_csv(summary, bank)
        for secret in (HIDDEN_COMMENT, OPEN_COMMENT):
            assert secret not in summary.comments
            assert secret not in rendered and secret not in exported
        if summary.comments_period == "2026-W39":
            assert summary.comments == (EARLIER_COMMENT,)


def test_when_the_latest_round_is_hidden_no_comments_are_shown(stored_history, bank):
    right_after_week_one = monday(1) + OPEN_FOR + timedelta(hours=1)
    summary = stored_history.summary(weeks=12, now=right_after_week_one, seed=1)
    assert summary.latest_round.period == "2026-W38" and not summary.latest_round.shown
    assert summary.comments == () and summary.comments_period is None
    message = json.dumps(summary_message(summary, bank, "Platform"))
    assert "not enough answers to show this round" in message


def test_the_threshold_never_goes_below_three_whatever_the_row_says(session, bank, team):
    session.execute(update(PulseTeam).where(PulseTeam.id == team.id).values(anonymity_threshold=1))
    session.refresh(team)
    summary = build_summary(session, bank, team, weeks=12, now=NOW, rng=random.Random(1))
    assert summary.threshold == 3
    assert not summary.rounds[1].shown  # week 1, two answerers


@pytest.mark.parametrize("threshold", [4, 5])
def test_a_higher_threshold_hides_more(session, bank, threshold):
    team = make_team(session, threshold=threshold)
    platform_history(session, bank, team)
    summary = build_summary(session, bank, team, weeks=12, now=NOW, rng=random.Random(1))
    respondents = {"2026-W37": 4, "2026-W38": 2, "2026-W39": 5, "2026-W40": 5}
    for view in summary.rounds:
        assert view.shown == (respondents[view.period] >= threshold)
        for score in view.scores.values():
            assert score.answers >= threshold


def test_no_answer_row_is_loaded_into_python(stored_history):
    """Only grouped totals leave the database: no statement selects answer rows."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many):
        statements.append(statement)

    engine = stored_history.database.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        summary = stored_history.summary()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert summary.dimensions  # there were answers to read
    answer_reads = [s for s in statements if "pulse_answers" in s]
    # Sums and counts per question, respondents per round, and participation (distinct keys
    # among answers and comments): each grouped.
    assert len(answer_reads) == 3 and all("GROUP BY" in s for s in answer_reads)
    assert not [s for s in statements if "pulse_recipients.user_id" in s]


def test_lowering_the_threshold_later_uncovers_no_earlier_round(database, bank):
    """Answers given under a threshold of 5 stay hidden after it is lowered to 3."""
    from datetime import UTC, datetime, time, timedelta
    from random import Random

    from bot.pulse import rounds, teams
    from bot.pulse.schedule import Schedule
    from bot.summary.build import build_summary

    start = datetime(2026, 9, 7, 10, 0, tzinfo=UTC)
    members = ["U1", "U2", "U3", "U4", "U5"]
    with database.transaction() as session:
        settings = teams.TeamSettings(
            name="T",
            managers=["U0"],  # not a member: every member is asked
            schedule=Schedule(0, time(11, 0), "UTC", 3, 24),
            question_ids=None,
            anonymity_threshold=5,
        )
        team, _ = teams.save_team(
            session,
            team_id="T0",
            channel_id="C0",
            settings=settings,
            actor="U1",
            now=start - timedelta(days=1),
        )
        opened = rounds.open_round(session, bank, team, members=members, now=start)
        for user in members[:4]:  # four answered: below 5, at or above 3
            for question in opened.round.question_ids:
                rounds.record_answer(
                    session,
                    secret="s",
                    team_id="T0",
                    round_id=opened.round.id,
                    user_id=user,
                    question_id=question,
                    score=2,
                    now=start,
                )
        rounds.close_round(session, opened.round, start + timedelta(days=3))
        team.anonymity_threshold = 3
    with database.transaction() as session:
        team = teams.find_team(session, "T0", "C0")
        summary = build_summary(
            session, bank, team, weeks=4, now=start + timedelta(days=4), rng=Random(1)
        )
    assert summary.threshold == 3
    assert [view.shown for view in summary.rounds] == [False]
    assert summary.dimensions == ()
