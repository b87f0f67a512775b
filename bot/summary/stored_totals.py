"""The clock stores the totals of closed rounds, so summaries stop re-reading their answers.

A summary over two years grouped every answer of 104 rounds on each request (bench/summary.py
measured it barely faster than loading the rows into Python). A closed round's totals never
change, so each is computed once, with the same grouped queries a summary runs
(`bot.summary.aggregates`), and kept: the counts in the round's row, each question's sum and
count in `pulse_question_totals`.

A round takes no answer once closed, but a click that was already on its way may still be
committing at that moment, so a round is stored only `GRACE` after it closed. Until then, and
for any round the clock has not reached yet, summaries compute the same numbers live.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from bot.services import Services
from bot.store.pulse import CLOSED, PulseRound
from bot.store.round_totals import PulseQuestionTotal
from bot.summary import overlap
from bot.summary.aggregates import (
    QuestionTotal,
    participation_of,
    question_totals_of,
    respondents_of,
)
from bot.summary.disclosure import effective_threshold

GRACE = timedelta(minutes=10)
# Rounds stored per tick: a database upgraded with years of rounds catches up over many
# ticks, each a short transaction (on SQLite it holds the one write lock while it groups).
BATCH = 100


def store_totals(session: Session, now: datetime, *, limit: int = BATCH) -> int:
    """Store the totals of up to `limit` rounds closed at least GRACE ago; how many."""
    due = list(
        session.scalars(
            # Found through ix_pulse_rounds_totals_due: only rounds not stored yet are read.
            select(PulseRound.id)
            .where(
                PulseRound.totals_stored_at.is_(None),
                PulseRound.status == CLOSED,
                PulseRound.closed_at <= now - GRACE,
            )
            .order_by(PulseRound.closed_at, PulseRound.id)
            .limit(limit)
            # A second clock skips the rounds this one is storing (PostgreSQL; SQLite has one
            # writer), and finds them stored once it commits.
            # FOR NO KEY UPDATE: answers being inserted for these rounds (their foreign key
            # takes KEY SHARE) are not held up by it.
            .with_for_update(skip_locked=True, key_share=True)
        )
    )
    if not due:
        return 0
    question_totals = question_totals_of(session, due)
    if question_totals:
        session.execute(
            insert(PulseQuestionTotal),
            [
                {
                    "round_id": total.round_id,
                    "question_id": total.question_id,
                    "score_sum": total.score_sum,
                    "answers": total.answers,
                }
                for total in question_totals
            ],
        )
    respondents = respondents_of(session, due)
    participation = participation_of(session, due)
    apart = _people_apart(session, due, question_totals, respondents, now)
    session.execute(
        update(PulseRound),
        [
            {
                "id": round_id,
                "totals_stored_at": now,
                "respondents": respondents.get(round_id, 0),
                "answered": participation.get(round_id, (0, 0))[0],
                "asked": participation.get(round_id, (0, 0))[1],
                "people_apart": apart[round_id],
            }
            for round_id in due
        ],
    )
    return len(due)


def _people_apart(
    session: Session,
    round_ids: list[int],
    question_totals: list[QuestionTotal],
    respondents: dict[int, int],
    now: datetime,
) -> dict[int, int]:
    """What bot.summary.overlap works out for these rounds, kept with their totals; a round
    that shares nobody with an earlier round keeps its own fewest answers (a difference with
    any other round mixes at least those)."""
    thresholds = {
        round_id: effective_threshold(threshold)
        for round_id, threshold in session.execute(
            select(PulseRound.id, PulseRound.anonymity_threshold).where(
                PulseRound.id.in_(round_ids)
            )
        )
    }
    by_round: dict[int, list[QuestionTotal]] = {}
    for total in question_totals:
        by_round.setdefault(total.round_id, []).append(total)
    fewest = {
        round_id: overlap.fewest_counted_answers(
            by_round.get(round_id, []), respondents.get(round_id, 0), thresholds[round_id]
        )
        for round_id in round_ids
    }
    return {**fewest, **overlap.fewest_apart(session, fewest, thresholds, now)}


def store_due_totals(services: Services, now: datetime) -> int:
    """The clock's work kind: one batch in one transaction."""
    with services.database.transaction() as session:
        return store_totals(session, now)
