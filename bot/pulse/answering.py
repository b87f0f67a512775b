"""A person answers their pulse DM: a score, or a comment. Each is one transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.platform.services import Services
from bot.pulse import rounds
from bot.pulse.blocks import PulseDm
from bot.pulse.store import PulseRound, PulseTeam


def record_answer(
    services: Services,
    *,
    team_id: str,
    round_id: int,
    user_id: str,
    question_id: str,
    score: int | None,
) -> PulseDm:
    """Store one score, or "didn't come up" (None) where the statement offers it; returns
    what the person's DM shows now (render it after the commit: on SQLite the transaction
    holds the one write lock)."""
    question = services.bank.question_by_id.get(question_id)
    with services.database.transaction() as session:
        pulse_round = rounds.record_answer(
            session,
            secret=services.secret,
            team_id=team_id,
            round_id=round_id,
            user_id=user_id,
            question_id=question_id,
            score=score,
            now=services.now(),
            conditional=question is not None and question.conditional,
        )
        return _dm_for(services, session, pulse_round, user_id)


def comment_to_edit(services: Services, *, team_id: str, round_id: int, user_id: str) -> str:
    """The person's comment so far, once it is clear they may still comment."""
    with services.database.transaction() as session:
        pulse_round = rounds.find_round(session, team_id, round_id)
        rounds.check_can_answer(session, pulse_round, user_id, services.now())
        return rounds.comment_of(
            session, secret=services.secret, pulse_round=pulse_round, user_id=user_id
        )


def record_comment(
    services: Services, *, team_id: str, round_id: int, user_id: str, text: str
) -> PulseDm:
    """Store (or, when empty, remove) the person's comment; returns what their DM shows now."""
    with services.database.transaction() as session:
        pulse_round = rounds.record_comment(
            session,
            secret=services.secret,
            team_id=team_id,
            round_id=round_id,
            user_id=user_id,
            text=text,
            now=services.now(),
        )
        return _dm_for(services, session, pulse_round, user_id)


def _dm_for(services: Services, session: Session, pulse_round: PulseRound, user_id: str) -> PulseDm:
    """What this person's pulse DM shows now (plain values, usable after the session)."""
    team = session.get_one(PulseTeam, pulse_round.pulse_team_id)
    return PulseDm.of(
        services.bank,
        team,
        pulse_round,
        answers=rounds.answers_of(
            session, secret=services.secret, pulse_round=pulse_round, user_id=user_id
        ),
        comment=rounds.comment_of(
            session, secret=services.secret, pulse_round=pulse_round, user_id=user_id
        ),
    )
