"""The clock stores the totals of closed rounds, so summaries stop re-reading their answers.

A summary over two years grouped every answer of 104 rounds on each request (bench/summary.py
measured it barely faster than loading the rows into Python). A closed round's totals never
change, so each is computed once, with the same grouped queries a summary runs
(`bot.pulse.aggregates`), and kept: the counts in the round's row, each question's sum and
count in `pulse_question_totals`, with how many scores were favorable and how many said
"didn't come up".

A closing and the answers in flight are serialized on the round's row
(`bot.pulse.rounds.find_round`), so the closing transaction stores the round's totals itself:
from then on they never change, and the digest reads them. Rounds closed before this was so
are stored by the clock; until then summaries compute the same numbers live.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from bot.platform.services import Services
from bot.pulse.aggregates import (
    QuestionTotal,
    participation_of,
    question_totals_of,
    respondents_of,
)
from bot.pulse.store import CLOSED, PulseRound
from bot.pulse.totals_store import PulseQuestionTotal
from bot.summary import overlap
from bot.summary.disclosure import effective_threshold

# Rounds stored per tick: a database upgraded with years of rounds catches up over many
# ticks, each a short transaction (on SQLite it holds the one write lock while it groups).
BATCH = 100


def store_totals(session: Session, now: datetime, *, limit: int = BATCH) -> int:
    """Store the totals of up to `limit` closed rounds that have none yet; how many.

    Rounds closed by this version store their totals as they close (`store_round_totals`);
    this catches up the rounds closed before it, a batch per tick.
    """
    due = list(
        session.scalars(
            # Found through ix_pulse_rounds_totals_due: only rounds not stored yet are read.
            select(PulseRound.id)
            .where(
                PulseRound.totals_stored_at.is_(None),
                PulseRound.status == CLOSED,
                PulseRound.closed_at <= now,
            )
            .order_by(PulseRound.closed_at, PulseRound.id)
            .limit(limit)
            # A second clock skips the rounds this one is storing (PostgreSQL; SQLite has one
            # writer), and finds them stored once it commits.
            .with_for_update(skip_locked=True)
        )
    )
    store_round_totals(session, due, now)
    return len(due)


def store_round_totals(session: Session, round_ids: list[int], now: datetime) -> None:
    """Store the final totals of these closed rounds, in the caller's transaction.

    The caller holds the rounds' row locks (FOR UPDATE) and has closed them: no answer can
    commit into them any more (`bot.pulse.rounds.find_round`), so these numbers are final,
    and the digest planned in the same transaction reads exactly them.
    """
    if not round_ids:
        return
    question_totals = question_totals_of(session, round_ids)
    if question_totals:
        session.execute(
            insert(PulseQuestionTotal),
            [
                {
                    "round_id": total.round_id,
                    "question_id": total.question_id,
                    "score_sum": total.score_sum,
                    "answers": total.answers,
                    "favorable": total.favorable,
                    "not_applicable": total.not_applicable,
                }
                for total in question_totals
            ],
        )
    respondents = respondents_of(session, round_ids)
    participation = participation_of(session, round_ids)
    apart = _people_apart(session, round_ids, question_totals, respondents, now)
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
            for round_id in round_ids
        ],
    )
    # The ORM copies of these rounds (the caller's) must see the stored counts too.
    for pulse_round in list(session.identity_map.values()):
        if isinstance(pulse_round, PulseRound) and pulse_round.id in round_ids:
            session.refresh(pulse_round)


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
