"""Manager summaries: commitments a manager makes to a focus practice, and their check-ins.

A commitment records who (a manager of the pulse team) chose which practice for which
dimension, when, and until when; later summaries compare that dimension before and after.
Its check-ins hold the manager's own answers ("done", "partly", "not yet") and reflections,
which only that manager reads (their App Home). Neither holds anything about team members.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    delete,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.platform import checkin_form
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
    # The lifecycle (None on commitments made before it): the manager's chosen length, the
    # check-ins' times, and the one-off statement the team is asked once it is due.
    weeks: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    midpoint_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    followup_question_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    followup_round_id: Mapped[int | None] = mapped_column(
        ForeignKey(
            "pulse_rounds.id", ondelete="SET NULL", name="fk_pulse_commitments_followup_round"
        ),
        nullable=True,
    )


MIDPOINT = "midpoint"
DUE = "due"
STAGES = (MIDPOINT, DUE)
ANSWERS = checkin_form.ANSWERS


class CommitmentCheckIn(Base):
    """A check-in DM planned for a commitment (one per stage), and the manager's answer.

    The row is written with the DM's outbox row, so however many clocks run a stage is
    planned once; `answer` and `reflection` stay empty until the manager gives them.
    """

    __tablename__ = "pulse_commitment_checkins"
    __table_args__ = (
        UniqueConstraint("commitment_id", "stage", name="uq_pulse_commitment_checkins"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("pulse_commitments.id", ondelete="CASCADE")
    )
    stage: Mapped[str] = mapped_column(String(16))  # MIDPOINT or DUE
    planned_at: Mapped[datetime] = mapped_column(UtcDateTime)
    answer: Mapped[str | None] = mapped_column(String(16), nullable=True)
    reflection: Mapped[str | None] = mapped_column(String(200), nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


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


def checkins_of(session: Session, commitment_ids: list[int]) -> dict[int, list[CommitmentCheckIn]]:
    """The check-ins of these commitments, midpoint first."""
    found: dict[int, list[CommitmentCheckIn]] = {i: [] for i in commitment_ids}
    if not commitment_ids:
        return found
    rows = session.scalars(
        select(CommitmentCheckIn)
        .where(CommitmentCheckIn.commitment_id.in_(commitment_ids))
        .order_by(CommitmentCheckIn.planned_at, CommitmentCheckIn.id)
    )
    for row in rows:
        found[row.commitment_id].append(row)
    return found


def of_manager(session: Session, team_id: str, user_id: str, limit: int) -> list[PulseCommitment]:
    """One manager's own commitments in a workspace, newest first."""
    return list(
        session.scalars(
            select(PulseCommitment)
            .where(PulseCommitment.team_id == team_id, PulseCommitment.user_id == user_id)
            .order_by(PulseCommitment.committed_at.desc(), PulseCommitment.id.desc())
            .limit(limit)
        )
    )


def forget_person(session: Session, team_id: str, user_id: str, now: datetime) -> int:
    """`/lvm forget me`: the person's commitments, with their check-ins and reflections."""
    mine = select(PulseCommitment.id).where(
        PulseCommitment.team_id == team_id, PulseCommitment.user_id == user_id
    )
    checkins = session.execute(
        delete(CommitmentCheckIn).where(CommitmentCheckIn.commitment_id.in_(mine))
    )
    commitments = session.execute(
        delete(PulseCommitment).where(
            PulseCommitment.team_id == team_id, PulseCommitment.user_id == user_id
        )
    )
    return int(checkins.rowcount) + int(commitments.rowcount)  # type: ignore[attr-defined]
