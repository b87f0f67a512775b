"""Tables. Every row carries the Slack workspace (team_id) it belongs to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.store.types import UtcDateTime


class Base(DeclarativeBase):
    pass


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
