"""The SQL behind a summary: totals per round, never individual answers.

A closed round's totals are read from its row in `pulse_rounds` and from
`pulse_question_totals` once the clock has stored them (`bot.summary.stored_totals`): a few
rows per round, whatever the number of answers. For the rounds not stored yet (still open,
or closed in the last minutes) they are grouped from the answers, with the same queries the
clock stores them with:
- per (round, question) the sum and count of scores, how many were favorable (4 or 5) and
  how many said "didn't come up" (a row without a score), and per round the number of
  distinct respondents (who answered anything, "didn't come up" included), all reached
  through `pk_pulse_answers`, which starts with `round_id`;
- per round how many were asked (`uq_pulse_recipients`) and how many answered: the
  distinct respondent keys among its answers and comments.
The team's rounds are found through `uq_pulse_rounds_period`, which starts with
`pulse_team_id`. Respondent keys and user ids never leave the database through this module,
and the only text it reads is the comments of one round that may be shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, bindparam, case, func, select
from sqlalchemy.orm import Session

from bot.pulse.store import (
    CLOSED,
    PulseAnswer,
    PulseComment,
    PulseRecipient,
    PulseRound,
)
from bot.pulse.totals_store import PulseQuestionTotal


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
    admins_may_view: bool = False  # whether workspace admins could see results when it opened
    stored: bool = False  # the clock stored its totals (bot.summary.stored_totals)
    # Stored with the totals: how few people a difference with another team's round of the
    # same week could single out (bot.summary.overlap); None when it shares nobody.
    people_apart: int | None = None


FAVORABLE = 4  # the lowest favorable score: 4 (agree) and 5 (strongly agree)


@dataclass(frozen=True)
class QuestionTotal:
    """One question's totals in one round.

    `score_sum` and `answers` count scored answers only: they decide whether the question's
    average may be shown (bot/summary/disclosure.py), so a group of "didn't come up" never
    makes a question with fewer scores visible. `favorable` is how many of those scores
    were 4 or 5, None when not known (totals stored before it was counted whose answers
    were gone at upgrade: see bot/pulse/totals_store.py). `not_applicable` is how many
    said "didn't come up".
    """

    round_id: int
    question_id: str
    score_sum: int
    answers: int
    favorable: int | None = 0
    not_applicable: int = 0


@dataclass(frozen=True)
class TeamTotals:
    """Everything a summary is computed from, oldest round first."""

    rounds: tuple[RoundRecord, ...]
    # Only for rounds that were closed by `now`: an open round's scores are never read.
    question_totals: tuple[QuestionTotal, ...]
    respondents: dict[int, int]


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
            PulseRound.admins_may_view,
            PulseRound.totals_stored_at,
            PulseRound.respondents,
            PulseRound.answered,
            PulseRound.asked,
            PulseRound.people_apart,
        )
        .where(
            PulseRound.pulse_team_id == pulse_team_id,
            PulseRound.opens_at > since,
            PulseRound.opens_at <= now,
        )
        .order_by(PulseRound.opens_at, PulseRound.id)
    ).all()
    # Stored totals are final (the round had closed well before they were stored), so they
    # serve a summary as of any moment; scores are still read only from rounds closed by then.
    stored = {row.id: row for row in rounds if row.totals_stored_at is not None}
    closed = {row.id for row in rounds if _closed_by(row.status, row.closed_at, now)}
    participation = {row.id: (row.answered, row.asked) for row in stored.values()}
    participation.update(participation_of(session, [r.id for r in rounds if r.id not in stored]))
    live = sorted(closed - stored.keys())
    question_totals = sorted(
        [
            *stored_question_totals(session, sorted(closed & stored.keys())),
            *question_totals_of(session, live),
        ],
        key=lambda total: (total.round_id, total.question_id),
    )
    respondents = {i: stored[i].respondents for i in closed if i in stored}
    respondents.update(respondents_of(session, live))
    records = tuple(
        RoundRecord(
            round_id=row.id,
            period=row.period,
            opens_at=row.opens_at,
            closes_at=row.closes_at,
            closed_at=row.closed_at if row.id in closed else None,
            question_ids=tuple(row.question_ids),
            answered=participation.get(row.id, (0, 0))[0],
            asked=participation.get(row.id, (0, 0))[1],
            threshold=row.anonymity_threshold,
            admins_may_view=row.admins_may_view,
            stored=row.id in stored,
            people_apart=row.people_apart if row.id in stored else None,
        )
        for row in rounds
    )
    return TeamTotals(records, tuple(question_totals), respondents)


def participation_of(session: Session, round_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """(answered, asked) per round: distinct respondent keys among its answers and comments,
    and its recipients. No per-person "answered" flag exists to count (docs/privacy.md)."""
    if not round_ids:
        return {}
    asked = dict(
        session.execute(
            select(PulseRecipient.round_id, func.count())
            .where(_among(PulseRecipient.round_id, round_ids))
            .group_by(PulseRecipient.round_id)
        ).all()
    )
    keys = (
        select(PulseAnswer.round_id, PulseAnswer.respondent_key)
        .where(_among(PulseAnswer.round_id, round_ids))
        .union(
            select(PulseComment.round_id, PulseComment.respondent_key).where(
                _among(PulseComment.round_id, round_ids)
            )
        )
        .subquery()
    )
    answered = dict(
        session.execute(select(keys.c.round_id, func.count()).group_by(keys.c.round_id)).all()
    )
    return {
        round_id: (int(answered.get(round_id, 0)), int(count)) for round_id, count in asked.items()
    }


def question_totals_of(session: Session, round_ids: Sequence[int]) -> list[QuestionTotal]:
    """Per (round, question) the totals of its answers (`QuestionTotal`), grouped from them."""
    if not round_ids:
        return []
    score = PulseAnswer.score
    # The primary key (round_id, question_id, respondent_key) makes each count a count of
    # distinct people for each question. count(score) leaves out "didn't come up" (NULL),
    # and sum() ignores it; a question only ever answered that way sums to NULL, so 0.
    return [
        QuestionTotal(
            round_id,
            question_id,
            int(score_sum or 0),
            int(scored),
            favorable=int(favorable),
            not_applicable=int(everyone) - int(scored),
        )
        for round_id, question_id, score_sum, scored, favorable, everyone in session.execute(
            select(
                PulseAnswer.round_id,
                PulseAnswer.question_id,
                func.sum(score),
                func.count(score),
                func.count(case((score >= FAVORABLE, 1))),
                func.count(),
            )
            .where(_among(PulseAnswer.round_id, round_ids))
            .group_by(PulseAnswer.round_id, PulseAnswer.question_id)
        )
    ]


def respondents_of(session: Session, round_ids: Sequence[int]) -> dict[int, int]:
    """Distinct respondents per round among the answers, "didn't come up" included."""
    if not round_ids:
        return {}
    return {
        round_id: int(people)
        for round_id, people in session.execute(
            select(PulseAnswer.round_id, func.count(PulseAnswer.respondent_key.distinct()))
            .where(_among(PulseAnswer.round_id, round_ids))
            .group_by(PulseAnswer.round_id)
        )
    }


def stored_question_totals(session: Session, round_ids: Sequence[int]) -> list[QuestionTotal]:
    """What the clock stored for these rounds (`bot.summary.stored_totals`)."""
    if not round_ids:
        return []
    return [
        QuestionTotal(round_id, question_id, score_sum, answers, favorable, not_applicable)
        for round_id, question_id, score_sum, answers, favorable, not_applicable in (
            session.execute(
                select(
                    PulseQuestionTotal.round_id,
                    PulseQuestionTotal.question_id,
                    PulseQuestionTotal.score_sum,
                    PulseQuestionTotal.answers,
                    # NULL stays None: not known (bot/pulse/totals_store.py).
                    PulseQuestionTotal.favorable,
                    PulseQuestionTotal.not_applicable,
                ).where(_among(PulseQuestionTotal.round_id, round_ids))
            )
        )
    ]


def _among(column: ColumnElement[int], round_ids: Sequence[int]) -> ColumnElement[bool]:
    # The ids go into the statement as numbers (they are integers from the database): with a
    # bound parameter each, reading two years of stored totals took 40% longer on PostgreSQL.
    return column.in_(
        bindparam("round_ids", list(round_ids), expanding=True, literal_execute=True, unique=True)
    )


def _closed_by(status: str, closed_at: datetime | None, now: datetime) -> bool:
    return status == CLOSED and closed_at is not None and closed_at <= now


@dataclass(frozen=True)
class RoundComment:
    text: str
    # The comment's opaque reference while its author can still be answered (the comment
    # has an author link: bot/threads); None otherwise.
    reference: str | None


def comments_of_round(session: Session, round_id: int) -> list[RoundComment]:
    """A round's comments, sorted by text so storage order (who wrote first) is lost (equal
    texts by their random references). The author link itself stays in the database."""
    answerable = case((PulseComment.author_link.is_not(None), PulseComment.reference), else_=None)
    rows = session.execute(
        select(PulseComment.text, answerable)
        .where(PulseComment.round_id == round_id)
        .order_by(PulseComment.text, PulseComment.reference)
    )
    return [RoundComment(text, reference) for text, reference in rows]
