"""Manager summaries: commitments a manager makes to a focus practice.

A commitment records who (a manager of the pulse team) chose which practice for which
dimension, and when; later summaries compare that dimension before and after. It holds no
answers and nothing about team members.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.platform.column_types import UtcDateTime
from bot.platform.tables import Base


class PulseCommitment(Base):
    __tablename__ = "pulse_commitments"
    __table_args__ = (Index("ix_pulse_commitments_team", "pulse_team_id", "committed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    pulse_team_id: Mapped[int] = mapped_column(ForeignKey("pulse_teams.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))  # the manager who committed
    dimension_id: Mapped[str] = mapped_column(String(80))
    practice_id: Mapped[str] = mapped_column(String(100))
    committed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    announced: Mapped[bool] = mapped_column(Boolean, default=False)


def recent_for_team(session: Session, pulse_team_id: int, limit: int) -> list[PulseCommitment]:
    """The team's latest commitments, newest first."""
    return list(
        session.scalars(
            select(PulseCommitment)
            .where(PulseCommitment.pulse_team_id == pulse_team_id)
            .order_by(PulseCommitment.committed_at.desc(), PulseCommitment.id.desc())
            .limit(limit)
        )
    )


def latest_matching(
    session: Session,
    *,
    pulse_team_id: int,
    user_id: str,
    dimension_id: str,
    practice_id: str,
    since: datetime,
) -> PulseCommitment | None:
    """The same manager's newest commitment to the same practice since `since`, if any."""
    return session.scalar(
        select(PulseCommitment)
        .where(
            PulseCommitment.pulse_team_id == pulse_team_id,
            PulseCommitment.user_id == user_id,
            PulseCommitment.dimension_id == dimension_id,
            PulseCommitment.practice_id == practice_id,
            PulseCommitment.committed_at >= since,
        )
        .order_by(PulseCommitment.committed_at.desc(), PulseCommitment.id.desc())
        .limit(1)
    )
