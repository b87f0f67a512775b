"""The SQL behind a summary: totals per round, never individual answers.

Every query here groups in the database and returns a handful of rows per round:
- the team's rounds in a time range (found through `uq_pulse_rounds_period`, which starts
  with `pulse_team_id`);
- per (round, question) the sum and count of scores, and per round the number of distinct
  respondents, both reached through `uq_pulse_answers`, which starts with `round_id`;
- per round how many were asked and how many answered (`uq_pulse_recipients`, `round_id`).
Respondent keys and user ids never leave the database through this module, and the only
text it reads is the comments of one round that may be shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bot.store.pulse import (
    CLOSED,
    PulseAnswer,
    PulseComment,
    PulseRecipient,
    PulseRound,
)


@dataclass(frozen=True)
class RoundRecord:
    """A round's identity and timing, with how many were asked and answered."""

    round_id: int
    period: str
    opens_at: datetime
    closes_at: datetime
    closed_at: datetime | None  # set only when the round had closed by `now`
    question_ids: tuple[str, ...]
    answered: int
    asked: int
    threshold: int  # the team's threshold when this round opened


@dataclass(frozen=True)
class QuestionTotal:
    """The sum and count of one question's scores in one round."""

    round_id: int
    question_id: str
    score_sum: int
    answers: int


@dataclass(frozen=True)
class TeamTotals:
    """Everything a summary is computed from, oldest round first."""

    rounds: tuple[RoundRecord, ...]
    # Only for rounds that were closed by `now`: an open round's scores are never read.
    question_totals: tuple[QuestionTotal, ...]
    respondents: dict[int, int]


def _rounds_between(pulse_team_id: int, since: datetime, now: datetime) -> Select:
    return select(PulseRound.id).where(
        PulseRound.pulse_team_id == pulse_team_id,
        PulseRound.opens_at > since,
        PulseRound.opens_at <= now,
    )


def _closed_rounds_between(pulse_team_id: int, since: datetime, now: datetime) -> Select:
    # A round counts as closed only if it had closed by `now`, so a summary "as of" an earlier
    # moment never reads answers that were still changing then.
    return _rounds_between(pulse_team_id, since, now).where(
        PulseRound.status == CLOSED, PulseRound.closed_at <= now
    )


def load_totals(
    session: Session, pulse_team_id: int, *, since: datetime, now: datetime
) -> TeamTotals:
    """The team's rounds that opened in (since, now], with their grouped totals."""
    rounds = session.execute(
        select(
            PulseRound.id,
            PulseRound.period,
            PulseRound.opens_at,
            PulseRound.closes_at,
            PulseRound.status,
            PulseRound.closed_at,
            PulseRound.question_ids,
            PulseRound.anonymity_threshold,
        )
        .where(
            PulseRound.pulse_team_id == pulse_team_id,
            PulseRound.opens_at > since,
            PulseRound.opens_at <= now,
        )
        .order_by(PulseRound.opens_at, PulseRound.id)
    ).all()
    participation = {
        round_id: (int(answered or 0), int(asked))
        for round_id, answered, asked in session.execute(
            select(
                PulseRecipient.round_id,
                func.count().filter(PulseRecipient.answered.is_(True)),
                func.count(),
            )
            .where(PulseRecipient.round_id.in_(_rounds_between(pulse_team_id, since, now)))
            .group_by(PulseRecipient.round_id)
        )
    }
    closed_ids = _closed_rounds_between(pulse_team_id, since, now)
    # The unique index (round_id, question_id, respondent_key) makes count(*) a count of
    # distinct people for each question.
    question_totals = tuple(
        QuestionTotal(round_id, question_id, int(score_sum), int(answers))
        for round_id, question_id, score_sum, answers in session.execute(
            select(
                PulseAnswer.round_id,
                PulseAnswer.question_id,
                func.sum(PulseAnswer.score),
                func.count(),
            )
            .where(PulseAnswer.round_id.in_(closed_ids))
            .group_by(PulseAnswer.round_id, PulseAnswer.question_id)
            .order_by(PulseAnswer.round_id, PulseAnswer.question_id)
        )
    )
    respondents = {
        round_id: int(people)
        for round_id, people in session.execute(
            select(PulseAnswer.round_id, func.count(PulseAnswer.respondent_key.distinct()))
            .where(PulseAnswer.round_id.in_(closed_ids))
            .group_by(PulseAnswer.round_id)
        )
    }
    records = tuple(
        RoundRecord(
            round_id=row.id,
            period=row.period,
            opens_at=row.opens_at,
            closes_at=row.closes_at,
            closed_at=row.closed_at if _closed_by(row.status, row.closed_at, now) else None,
            question_ids=tuple(row.question_ids),
            answered=participation.get(row.id, (0, 0))[0],
            asked=participation.get(row.id, (0, 0))[1],
            threshold=row.anonymity_threshold,
        )
        for row in rounds
    )
    return TeamTotals(records, question_totals, respondents)


def _closed_by(status: str, closed_at: datetime | None, now: datetime) -> bool:
    return status == CLOSED and closed_at is not None and closed_at <= now


def comments_of_round(session: Session, round_id: int) -> list[str]:
    """A round's comment texts, sorted by text so storage order (who wrote first) is lost."""
    return list(
        session.scalars(
            select(PulseComment.text)
            .where(PulseComment.round_id == round_id)
            .order_by(PulseComment.text)
        )
    )
