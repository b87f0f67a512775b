"""Tip subscriptions: scheduled nudges for a channel or a person.

One subscription per channel or person; subscribing again replaces it. What was sent is
recorded by the outbox (one dedupe key per subscription and occurrence), not here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    delete,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.platform.column_types import UtcDateTime
from bot.platform.forgetting import FORGOTTEN
from bot.platform.tables import Base

CHANNEL = "channel"
PERSON = "person"
DAILY = "daily"
WEEKLY = "weekly"


class TipSubscription(Base):
    __tablename__ = "tip_subscriptions"
    __table_args__ = (UniqueConstraint("team_id", "target_id", name="uq_tip_subscriptions_target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    target_kind: Mapped[str] = mapped_column(String(16))  # channel | person
    target_id: Mapped[str] = mapped_column(String(32))  # a channel id, or a user id for DMs
    cadence: Mapped[str] = mapped_column(String(16))  # daily (weekdays) | weekly
    weekday: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    local_time: Mapped[str] = mapped_column(String(5))
    timezone: Mapped[str] = mapped_column(String(64))
    query: Mapped[str] = mapped_column(String(100))  # what `/lvm tip <query>` would take
    active: Mapped[bool] = mapped_column(Boolean)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


def find(session: Session, team_id: str, target_id: str) -> TipSubscription | None:
    return session.scalar(
        select(TipSubscription).where(
            TipSubscription.team_id == team_id, TipSubscription.target_id == target_id
        )
    )


def active(session: Session) -> list[TipSubscription]:
    return list(session.scalars(select(TipSubscription).where(TipSubscription.active.is_(True))))


def forget_person(session: Session, team_id: str, user_id: str, now: datetime) -> int:
    """`/lvm forget me`: the person's own nudges are deleted; a channel's nudge they set up
    stays with the channel, whose people rely on it, without their name."""
    mine = session.execute(
        delete(TipSubscription).where(
            TipSubscription.team_id == team_id, TipSubscription.target_id == user_id
        )
    )
    unnamed = session.execute(
        update(TipSubscription)
        .where(TipSubscription.team_id == team_id, TipSubscription.created_by == user_id)
        .values(created_by=FORGOTTEN)
        .execution_options(synchronize_session=False)
    )
    return int(mine.rowcount) + int(unnamed.rowcount)  # type: ignore[attr-defined]


def pause_workspace(session: Session, team_id: str) -> int:
    """Stop every nudge of a workspace that removed lvm; how many were active."""
    paused = session.execute(
        update(TipSubscription)
        .where(TipSubscription.team_id == team_id, TipSubscription.active.is_(True))
        .values(active=False)
        .execution_options(synchronize_session=False)
    )
    return int(paused.rowcount)  # type: ignore[attr-defined]
