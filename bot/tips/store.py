"""Queries about tips: what a person has been shown, and what people thought of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from sqlalchemy import (
    Connection,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    bindparam,
    delete,
    func,
    insert,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.selectable import CompoundSelect

from bot.platform.column_types import UtcDateTime
from bot.platform.tables import Base

HELPFUL = "helpful"
NOT_FOR_ME = "not_for_me"
VERDICTS = (HELPFUL, NOT_FOR_ME)


class TipShown(Base):
    """One practice shown to one person (the basis for "no repeats until all seen")."""

    __tablename__ = "tips_shown"
    __table_args__ = (Index("ix_tips_shown_person", "team_id", "user_id", "practice_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    practice_id: Mapped[str] = mapped_column(String(100))
    shown_at: Mapped[datetime] = mapped_column(UtcDateTime)


class TipFeedback(Base):
    """A person's latest verdict on a practice; one row per person and practice."""

    __tablename__ = "tip_feedback"
    __table_args__ = (
        UniqueConstraint("team_id", "user_id", "practice_id", name="uq_tip_feedback_person"),
        Index("ix_tip_feedback_practice", "team_id", "practice_id", "verdict"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    practice_id: Mapped[str] = mapped_column(String(100))
    verdict: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


# The statements a tip runs are plain Core, so they run on a Session or a bare Connection.
Executor = Session | Connection

# Built once: these run on every tip, and building a statement costs more than running it.
_RECORD_SHOWN = insert(cast(Table, TipShown.__table__))


def record_shown(
    session: Executor, team_id: str, user_id: str, practice_id: str, now: datetime
) -> None:
    # A plain INSERT: no object for the session to track and flush.
    session.execute(
        _RECORD_SHOWN,
        {"team_id": team_id, "user_id": user_id, "practice_id": practice_id, "shown_at": now},
    )


@dataclass(frozen=True)
class TipHistory:
    """What choosing a tip for a person needs to know (absent keys mean none)."""

    verdicts: dict[str, str]  # practice -> this person's verdict
    shown: dict[str, int]  # practice -> times shown to this person
    helpful: dict[str, int]  # practice -> people in the workspace who found it helpful
    # practices shown to this person or channel at or after the `since` the caller gave
    recent: set[str] = field(default_factory=set)


def _history_query() -> CompoundSelect:
    feedback, shown = TipFeedback.__table__.c, TipShown.__table__.c
    team, user = bindparam("team_id", type_=String), bindparam("user_id", type_=String)
    since = bindparam("since", type_=UtcDateTime)
    return union_all(
        select(literal("verdict"), feedback.practice_id, feedback.verdict, literal(0)).where(
            feedback.team_id == team, feedback.user_id == user
        ),
        select(literal("shown"), shown.practice_id, null(), func.count())
        .where(shown.team_id == team, shown.user_id == user)
        .group_by(shown.practice_id),
        select(literal("helpful"), feedback.practice_id, null(), func.count())
        .where(feedback.team_id == team, feedback.verdict == HELPFUL)
        .group_by(feedback.practice_id),
        select(literal("recent"), shown.practice_id, null(), func.count())
        .where(shown.team_id == team, shown.user_id == user, shown.shown_at >= since)
        .group_by(shown.practice_id),
    )


_HISTORY = _history_query()


def history_of(session: Executor, team_id: str, user_id: str, since: datetime) -> TipHistory:
    """A person's verdicts, how often each practice was shown to them, helpful counts, and
    what they were shown since `since`, in one query."""
    history = TipHistory({}, {}, {})
    rows = session.execute(_HISTORY, {"team_id": team_id, "user_id": user_id, "since": since})
    for kind, practice_id, verdict, count in rows:
        if kind == "verdict":
            history.verdicts[practice_id] = verdict
        elif kind == "shown":
            history.shown[practice_id] = count
        elif kind == "recent":
            history.recent.add(practice_id)
        else:
            history.helpful[practice_id] = count
    return history


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


def forget_person(session: Session, team_id: str, user_id: str, now: datetime) -> int:
    """`/lvm forget me`: the practices shown to the person and their verdicts; how many rows."""
    deleted = 0
    for table in (TipShown, TipFeedback):
        result = session.execute(
            delete(table).where(table.team_id == team_id, table.user_id == user_id)
        )
        deleted += int(result.rowcount)  # type: ignore[attr-defined]
    return deleted
