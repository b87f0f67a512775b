"""Closed rounds' totals, stored by the clock: the same summaries, without reading answers."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import event, func, select

from bot.clock import WORK_KINDS
from bot.pulse.rounds import close_round, open_round_of
from bot.pulse.store import PulseRound
from bot.pulse.totals_store import PulseQuestionTotal
from bot.summary.build import build_summary
from bot.summary.stored_totals import store_due_totals, store_totals
from tests.support.summary_history import NOW, OPEN_FOR, monday

# Moments around the history: before, during and after each closing, and with week 4 open.
MOMENTS = [
    monday(1) + timedelta(days=1),
    monday(2) + OPEN_FOR - timedelta(minutes=1),
    monday(2) + OPEN_FOR,
    monday(3) + timedelta(days=4),
    NOW,
]


def summaries(session, bank, team) -> list:
    return [
        build_summary(session, bank, team, weeks=weeks, now=now, rng=random.Random(7))
        for now in MOMENTS
        for weeks in (1, 2, 4, 12)
    ]


def stored_rounds(session) -> int:
    return session.scalar(select(func.count()).where(PulseRound.totals_stored_at.is_not(None)))


def test_stored_totals_give_the_same_summaries_at_every_moment(session, bank, team):
    computed = summaries(session, bank, team)
    assert store_totals(session, NOW) == 4  # weeks 0-3; week 4 is still open
    assert session.scalar(select(func.count()).select_from(PulseQuestionTotal)) > 0
    assert summaries(session, bank, team) == computed


def test_the_clock_stores_each_closed_round_once(session, bank, team):
    closed_at = monday(4) + OPEN_FOR
    close_round(session, open_round_of(session, team), closed_at)
    assert store_totals(session, closed_at - timedelta(seconds=1)) == 4
    assert store_totals(session, closed_at) == 1
    assert store_totals(session, closed_at + timedelta(days=30)) == 0  # each round once
    assert stored_rounds(session) == 5


def test_a_tick_stores_a_batch_and_the_next_tick_the_rest(session, bank, team):
    assert store_totals(session, NOW, limit=3) == 3
    assert store_totals(session, NOW, limit=3) == 1
    assert store_due_totals in WORK_KINDS


def test_a_summary_of_stored_rounds_reads_no_answers_and_no_recipients(
    session, bank, team, database
):
    now = monday(4) - timedelta(hours=1)  # weeks 0-3 closed, week 4 not open yet
    store_totals(session, now)
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        summary = build_summary(session, bank, team, weeks=12, now=now, rng=random.Random(7))
    finally:
        event.remove(database.engine, "before_cursor_execute", record)
    assert [view.shown for view in summary.rounds] == [True, False, True, True]
    assert not [s for s in statements if "pulse_answers" in s or "pulse_recipients" in s]
