"""A round's life: open (the schedule's or a manager's), answer, remind once, close.

Every function takes `now`, so the same code serves the clock, the slash commands and tests
that run weeks of rounds in milliseconds.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from bot.bank import Bank
from bot.platform.dialect import upsert
from bot.platform.refusals import (
    AlreadyThisWeek,
    BadAnswer,
    NotARecipient,
    RoundAlreadyOpen,
    RoundClosed,
    UnknownRound,
)
from bot.platform.sealing import seal
from bot.pulse import questions as question_sets
from bot.pulse.anonymity import respondent_key
from bot.pulse.schedule import before_next_week, latest_opening, period_of, window_from
from bot.pulse.store import (
    ACTIVE,
    CLOSED,
    FORGOTTEN_RECIPIENT,
    OPEN,
    PulseAnswer,
    PulseComment,
    PulseRecipient,
    PulseRound,
    PulseTeam,
    link_bound_to,
)
from bot.pulse.teams import not_asked, schedule_of

SCHEDULE = "schedule"
MIN_SCORE = 1
MAX_SCORE = 5
MAX_COMMENT = 2000


@dataclass(frozen=True)
class Opened:
    round: PulseRound
    recipients: list[str]


def questions_for(bank: Bank, team: PulseTeam, period: str) -> list[str]:
    """The team's pinned set while the bank still accepts it, else the rotating default: a
    set pinned before some of its statements were retired is not asked half-empty or with a
    side missing (`/lvm pulse` tells the managers to pick again)."""
    if team.question_ids and question_sets.pinned_still_valid(bank, team.question_ids):
        return list(team.question_ids)
    week = question_sets.week_index(period)
    return [q.id for q in question_sets.rotating_default(bank, week)]


def open_round_of(
    session: Session, team: PulseTeam, *, to_close: bool = False
) -> PulseRound | None:
    """The team's open round; `to_close` locks it first (see `lock_for_answer`)."""
    query = select(PulseRound).where(PulseRound.pulse_team_id == team.id, PulseRound.status == OPEN)
    if to_close:
        # Waits for answers in flight to commit; a round closed meanwhile no longer matches.
        query = query.with_for_update()
    return session.scalar(query)


def open_round(
    session: Session,
    bank: Bank,
    team: PulseTeam,
    *,
    members: Iterable[str],
    now: datetime,
    opened_by: str = SCHEDULE,
) -> Opened:
    """Open this week's round for the team's members (less those who opted out, and the
    managers unless the team asks them too)."""
    schedule = schedule_of(team)
    window = window_from(now, schedule)
    if opened_by != SCHEDULE:
        window = before_next_week(window, schedule)
    if open_round_of(session, team) is not None:
        raise RoundAlreadyOpen()
    earlier = session.scalar(
        select(PulseRound.opens_at).where(
            PulseRound.pulse_team_id == team.id, PulseRound.period == window.period
        )
    )
    if earlier is not None:
        raise AlreadyThisWeek(earlier)
    pulse_round = PulseRound(
        team_id=team.team_id,
        pulse_team_id=team.id,
        period=window.period,
        question_ids=questions_for(bank, team, window.period),
        opens_at=window.opens_at,
        remind_at=window.remind_at,
        closes_at=window.closes_at,
        status=OPEN,
        anonymity_threshold=team.anonymity_threshold,
        admins_may_view=team.admins_may_view,
        opened_by=opened_by,
    )
    session.add(pulse_round)
    session.flush()
    excluded = not_asked(session, team)
    recipients = [user for user in dict.fromkeys(members) if user not in excluded]
    session.add_all(PulseRecipient(round_id=pulse_round.id, user_id=user) for user in recipients)
    session.flush()
    return Opened(pulse_round, recipients)


@dataclass(frozen=True)
class DueOpenings:
    due: list[PulseTeam]
    # (team, period) whose opening is older than the grace window and never happened.
    missed: list[tuple[PulseTeam, str]]


def teams_due_to_open(session: Session, now: datetime, grace: timedelta) -> DueOpenings:
    """Active teams whose latest scheduled opening is within `grace` and has no round yet.

    An opening older than the grace window is reported as missed, not opened: a round that
    starts a day late in a burst after downtime helps nobody.
    """
    due: list[PulseTeam] = []
    missed: list[tuple[PulseTeam, str]] = []
    for team in session.scalars(select(PulseTeam).where(PulseTeam.status == ACTIVE)):
        schedule = schedule_of(team)
        opening = latest_opening(schedule, now)
        period = period_of(opening, schedule.zone)
        exists = session.scalar(
            select(PulseRound.id).where(
                PulseRound.pulse_team_id == team.id, PulseRound.period == period
            )
        )
        # An opening from before the team existed was never owed: only downtime is caught up.
        if exists or opening < team.created_at or open_round_of(session, team) is not None:
            continue
        if now - opening > grace:
            missed.append((team, period))
            continue
        due.append(team)
    return DueOpenings(due, missed)


def find_round(
    session: Session, team_id: str, round_id: int, *, lock_for_answer: bool = False
) -> PulseRound:
    """The workspace's round; `lock_for_answer` serializes an answer with a closing.

    An answer locks the round FOR SHARE (answers do not wait for each other), a closing FOR
    UPDATE: on PostgreSQL a closing waits for the answers in flight, and an answer that
    arrives meanwhile waits for the closing and then finds the round closed. So once a
    round is closed its numbers never change. SQLite runs one writer at a time anyway.
    """
    query = select(PulseRound).where(PulseRound.id == round_id)
    if lock_for_answer:
        query = query.with_for_update(read=True)
    pulse_round = session.scalar(query)
    if pulse_round is None or pulse_round.team_id != team_id:
        raise UnknownRound()
    return pulse_round


def _recipient(session: Session, pulse_round: PulseRound, user_id: str) -> PulseRecipient:
    recipient = session.scalar(
        select(PulseRecipient).where(
            PulseRecipient.round_id == pulse_round.id, PulseRecipient.user_id == user_id
        )
    )
    if recipient is None:
        raise NotARecipient()
    return recipient


def _require_open(pulse_round: PulseRound, now: datetime) -> None:
    if pulse_round.status != OPEN or now >= pulse_round.closes_at:
        raise RoundClosed()


def check_can_answer(
    session: Session, pulse_round: PulseRound, user_id: str, now: datetime
) -> None:
    """Refuse unless the round is open and this person was asked."""
    _require_open(pulse_round, now)
    _recipient(session, pulse_round, user_id)


def _answering(
    session: Session, secret: str, team_id: str, round_id: int, user_id: str, now: datetime
) -> tuple[PulseRound, str]:
    """The open round this person was asked in, and their respondent key."""
    pulse_round = find_round(session, team_id, round_id, lock_for_answer=True)
    _require_open(pulse_round, now)
    _recipient(session, pulse_round, user_id)
    # Nothing about the person is written with the answer: its transaction shares no
    # identity (PostgreSQL's xmin) with anything that names them.
    return pulse_round, respondent_key(secret, team_id, pulse_round.id, user_id)


def record_answer(
    session: Session,
    *,
    secret: str,
    team_id: str,
    round_id: int,
    user_id: str,
    question_id: str,
    score: int | None,
    now: datetime,
    conditional: bool = False,
) -> PulseRound:
    """Store (or change) one answer. A repeated click leaves exactly one row.

    A score of None is "didn't come up", accepted only for a `conditional` statement (the
    bank's `Question.conditional`, which the caller looks up): it is stored as a row without
    a score, so it counts in participation and in no average. Until the round closes a
    person may switch between it and a score, like between two scores.
    """
    pulse_round, key = _answering(session, secret, team_id, round_id, user_id, now)
    if question_id not in pulse_round.question_ids:
        raise BadAnswer("that question is not part of it")
    if score is None and not conditional:
        raise BadAnswer(
            "“Didn't come up” is offered only for statements about things that may not "
            f"have happened; please pick a score from {MIN_SCORE} to {MAX_SCORE}"
        )
    if score is not None and not MIN_SCORE <= score <= MAX_SCORE:
        raise BadAnswer(f"scores go from {MIN_SCORE} to {MAX_SCORE}")
    # One upsert on the unique (round, question, key): a repeated click updates the row, and
    # two clicks at once (a double click) queue on it instead of one failing on the
    # constraint, as a delete-then-insert did on PostgreSQL.
    upsert(
        session,
        cast(Table, PulseAnswer.__table__),
        {
            "round_id": pulse_round.id,
            "question_id": question_id,
            "respondent_key": key,
            "score": score,
        },
        key=["round_id", "question_id", "respondent_key"],
        update=["score"],
    )
    return pulse_round


def record_comment(
    session: Session,
    *,
    secret: str,
    team_id: str,
    round_id: int,
    user_id: str,
    text: str,
    now: datetime,
) -> PulseRound:
    pulse_round, key = _answering(session, secret, team_id, round_id, user_id, now)
    cleaned = text.strip()[:MAX_COMMENT]
    if not cleaned:
        session.execute(
            delete(PulseComment).where(
                PulseComment.round_id == pulse_round.id, PulseComment.respondent_key == key
            )
        )
    else:
        # An upsert, like answers: two saves at once queue on the row instead of one of
        # them failing on the unique (round, key) after both deleted nothing. An edit keeps
        # the comment's reference and author link; a comment written before they existed
        # gets both now (they are set, and kept, together).
        reference = secrets.token_urlsafe(16)
        upsert(
            session,
            cast(Table, PulseComment.__table__),
            {
                "round_id": pulse_round.id,
                "respondent_key": key,
                "text": cleaned,
                "reference": reference,
                "author_link": seal(
                    secret,
                    user_id,
                    bound_to=link_bound_to(team_id, pulse_round.id, reference),
                ),
            },
            key=["round_id", "respondent_key"],
            update=["text"],
            keep=["reference", "author_link"],
        )
    return pulse_round


def answers_of(
    session: Session, *, secret: str, pulse_round: PulseRound, user_id: str
) -> dict[str, int | None]:
    """This person's own answers in this round (to show them what was recorded); None is
    "didn't come up"."""
    key = respondent_key(secret, pulse_round.team_id, pulse_round.id, user_id)
    rows = session.execute(
        select(PulseAnswer.question_id, PulseAnswer.score).where(
            PulseAnswer.round_id == pulse_round.id, PulseAnswer.respondent_key == key
        )
    )
    return {question_id: score for question_id, score in rows}


def comment_of(session: Session, *, secret: str, pulse_round: PulseRound, user_id: str) -> str:
    key = respondent_key(secret, pulse_round.team_id, pulse_round.id, user_id)
    return (
        session.scalar(
            select(PulseComment.text).where(
                PulseComment.round_id == pulse_round.id, PulseComment.respondent_key == key
            )
        )
        or ""
    )


def _keys_that_took_part(session: Session, round_id: int) -> set[str]:
    answered = select(PulseAnswer.respondent_key).where(PulseAnswer.round_id == round_id)
    commented = select(PulseComment.respondent_key).where(PulseComment.round_id == round_id)
    return set(session.scalars(answered.union(commented)))


def not_answered(
    session: Session, *, secret: str, pulse_round: PulseRound, users: Iterable[str]
) -> list[str]:
    """Those of `users` with no answer and no comment in the round.

    Only the server can tell: it computes each person's respondent key under the secret.
    The database keeps no per-person "answered" flag a reader could line up with answers.
    """
    took_part = _keys_that_took_part(session, pulse_round.id)
    return [
        user
        for user in users
        if respondent_key(secret, pulse_round.team_id, pulse_round.id, user) not in took_part
    ]


def take_due_reminders(
    session: Session, *, secret: str, now: datetime
) -> list[tuple[PulseRound, list[str]]]:
    """Rounds whose reminder time has come, with who has not answered; marks them reminded.

    Marking happens in the same transaction as the outbox rows the caller writes, so a
    reminder is planned exactly once however many clocks run. Who was reminded is not
    stored with the person's name (see `bot.pulse.automation.plan_reminders`).
    """
    due = list(
        session.scalars(
            select(PulseRound)
            .where(
                PulseRound.status == OPEN,
                PulseRound.reminded_at.is_(None),
                PulseRound.remind_at <= now,
                PulseRound.remind_at < PulseRound.closes_at,
            )
            .with_for_update(skip_locked=True)
        )
    )
    result: list[tuple[PulseRound, list[str]]] = []
    for pulse_round in due:
        pulse_round.reminded_at = now
        asked = session.scalars(
            select(PulseRecipient.user_id)
            .where(
                PulseRecipient.round_id == pulse_round.id,
                # Someone lvm forgot: a mark, not a person to remind.
                ~PulseRecipient.user_id.startswith(FORGOTTEN_RECIPIENT, autoescape=True),
            )
            .order_by(PulseRecipient.id)
        )
        quiet = not_answered(session, secret=secret, pulse_round=pulse_round, users=list(asked))
        result.append((pulse_round, quiet))
    return result


def close_round(session: Session, pulse_round: PulseRound, now: datetime) -> None:
    pulse_round.status = CLOSED
    pulse_round.closed_at = now


def take_due_closings(session: Session, now: datetime, *, limit: int) -> list[PulseRound]:
    """Close up to `limit` due rounds, the earliest due first; others' clocks skip them."""
    due = list(
        session.scalars(
            select(PulseRound)
            .where(PulseRound.status == OPEN, PulseRound.closes_at <= now)
            .order_by(PulseRound.closes_at, PulseRound.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    for pulse_round in due:
        close_round(session, pulse_round, now)
    return due


def participation(session: Session, pulse_round: PulseRound) -> tuple[int, int]:
    """(answered, asked) for a round: distinct respondent keys, and recipients."""
    from bot.pulse.aggregates import participation_of

    return participation_of(session, [pulse_round.id]).get(pulse_round.id, (0, 0))


def forget_write_order(session: Session, round_ids: list[int]) -> None:
    """Rewrite closed rounds' answers and comments in key order (PostgreSQL).

    Each row's xmin (its transaction) and ctid (its place in the table) tell when it was
    written relative to everything else, e.g. to a reminder. Deleted and inserted again by
    one transaction that writes nothing else, in respondent-key order, they all carry one
    xmin and sit in an order the secret decides. SQLite keeps these tables WITHOUT ROWID,
    in key order already. The rounds are closed: no answer is written meanwhile.
    """
    if not round_ids or session.get_bind().dialect.name != "postgresql":
        return
    for model, order in (
        (PulseAnswer, (PulseAnswer.respondent_key, PulseAnswer.question_id)),
        (PulseComment, (PulseComment.respondent_key,)),
    ):
        table = cast(Table, model.__table__)
        rows = [
            dict(row._mapping)
            for row in session.execute(
                select(table).where(table.c.round_id.in_(round_ids)).order_by(*order)
            )
        ]
        if rows:
            session.execute(delete(table).where(table.c.round_id.in_(round_ids)))
            session.execute(table.insert(), rows)
