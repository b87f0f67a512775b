"""Queries about tips: what a person has been shown, and what people thought of them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.store.models import TipFeedback, TipShown

HELPFUL = "helpful"
NOT_FOR_ME = "not_for_me"
VERDICTS = (HELPFUL, NOT_FOR_ME)


def record_shown(
    session: Session, team_id: str, user_id: str, practice_id: str, now: datetime
) -> None:
    session.add(TipShown(team_id=team_id, user_id=user_id, practice_id=practice_id, shown_at=now))


def times_shown(
    session: Session, team_id: str, user_id: str, practice_ids: Iterable[str]
) -> dict[str, int]:
    """How often each of these practices was shown to this person (absent means never)."""
    rows = session.execute(
        select(TipShown.practice_id, func.count())
        .where(
            TipShown.team_id == team_id,
            TipShown.user_id == user_id,
            TipShown.practice_id.in_(list(practice_ids)),
        )
        .group_by(TipShown.practice_id)
    )
    return {practice_id: count for practice_id, count in rows}


def recently_shown(session: Session, team_id: str, user_id: str, limit: int = 5) -> list[str]:
    rows = session.scalars(
        select(TipShown.practice_id)
        .where(TipShown.team_id == team_id, TipShown.user_id == user_id)
        .order_by(TipShown.shown_at.desc(), TipShown.id.desc())
        .limit(limit)
    )
    return list(rows)


def set_verdict(
    session: Session, team_id: str, user_id: str, practice_id: str, verdict: str, now: datetime
) -> None:
    """Store a person's verdict, replacing any earlier one (so a double click counts once)."""
    if verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}")
    # Delete-then-insert is portable across SQLite and PostgreSQL and, inside one
    # transaction guarded by the unique constraint, cannot leave two rows.
    session.execute(
        delete(TipFeedback).where(
            TipFeedback.team_id == team_id,
            TipFeedback.user_id == user_id,
            TipFeedback.practice_id == practice_id,
        )
    )
    session.add(
        TipFeedback(
            team_id=team_id,
            user_id=user_id,
            practice_id=practice_id,
            verdict=verdict,
            updated_at=now,
        )
    )


def verdicts_of(session: Session, team_id: str, user_id: str) -> dict[str, str]:
    rows = session.execute(
        select(TipFeedback.practice_id, TipFeedback.verdict).where(
            TipFeedback.team_id == team_id, TipFeedback.user_id == user_id
        )
    )
    return {practice_id: verdict for practice_id, verdict in rows}


def helpful_counts(session: Session, team_id: str) -> dict[str, int]:
    """How many people in the workspace found each practice helpful."""
    rows = session.execute(
        select(TipFeedback.practice_id, func.count())
        .where(TipFeedback.team_id == team_id, TipFeedback.verdict == HELPFUL)
        .group_by(TipFeedback.practice_id)
    )
    return {practice_id: count for practice_id, count in rows}
