"""Self-assessments and the growth-plan steps a person accepted from one.

An assessment row is the person's own answers ({statement id: 1..5}) and the practices its
result offered as a growth plan, one a week. Scores are never stored: they are worked out
from the answers and the bank whenever a result is shown, so the rules live in one place
(bot/assess/scoring.py). Nothing here is read by a summary, a digest or an export: only the
person who took an assessment sees anything of it.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Select,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
    delete,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.platform.column_types import UtcDateTime
from bot.platform.dialect import insert_unless_present
from bot.platform.forgetting import FORGOTTEN
from bot.platform.tables import Base


class TakenAssessment(Base):
    __tablename__ = "assessments"
    __table_args__ = (
        # A view is submitted once: Slack's retry or a second press of Submit finds this row.
        UniqueConstraint("team_id", "view_id", name="uq_assessments_view"),
        Index("ix_assessments_person", "team_id", "user_id", "taken_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    view_id: Mapped[str] = mapped_column(String(64))  # the modal it was submitted from
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime)
    answers: Mapped[dict[str, int]] = mapped_column(JSON)
    # The growth plan its result offers: practice ids, the first for week 1, and so on.
    offered: Mapped[list[str]] = mapped_column(JSON)


class GrowthPlanStep(Base):
    """A practice the person accepted into their growth plan, for one week of it."""

    __tablename__ = "growth_plan_steps"
    __table_args__ = (
        UniqueConstraint("assessment_id", "week_index", name="uq_growth_plan_steps_week"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    practice_id: Mapped[str] = mapped_column(String(100))
    week_index: Mapped[int] = mapped_column(SmallInteger)  # 1 for the plan's first week
    accepted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Its week (bot/assess/plan_weeks.py): the nudge DM at its start, the check-in at its end.
    # None for a step accepted before weeks were planned: it is never sent.
    starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    checkin_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # Set in the transaction that writes the DM's outbox row: planned once, however many clocks.
    nudge_planned_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    checkin_planned_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # The person's own check-in: done / partly / not yet, and one line for themselves.
    answer: Mapped[str | None] = mapped_column(String(16), nullable=True)
    reflection: Mapped[str | None] = mapped_column(String(200), nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # A stopped step sends nothing more: removed by the person, the plan stopped, or retaken.
    stopped_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    stopped_why: Mapped[str | None] = mapped_column(String(16), nullable=True)


REMOVED, STOPPED, RETAKEN = "removed", "stopped", "retaken"


class PlanShare(Base):
    """A person showed their growth plan to someone they chose (their manager, a mentor).

    Kept so a submission Slack repeats is sent once; it holds who was shown, never what the
    plan said beyond the choice to include the balance.
    """

    __tablename__ = "growth_plan_shares"
    __table_args__ = (UniqueConstraint("team_id", "view_id", name="uq_growth_plan_shares_view"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    view_id: Mapped[str] = mapped_column(String(64))  # the share form it was submitted from
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    shared_with: Mapped[str] = mapped_column(String(32))
    with_balance: Mapped[bool] = mapped_column(Boolean, default=False)
    shared_at: Mapped[datetime] = mapped_column(UtcDateTime)


def add(
    session: Session,
    *,
    team_id: str,
    user_id: str,
    view_id: str,
    taken_at: datetime,
    answers: dict[str, int],
    offered: list[str],
) -> tuple[TakenAssessment, bool]:
    """Store an assessment unless this view was stored already; (its row, whether new)."""
    created = insert_unless_present(
        session,
        cast(Table, TakenAssessment.__table__),
        {
            "team_id": team_id,
            "user_id": user_id,
            "view_id": view_id,
            "taken_at": taken_at,
            "answers": answers,
            "offered": offered,
        },
        key=("team_id", "view_id"),
    )
    row = by_view(session, team_id, view_id)
    assert row is not None  # inserted now, or by the submission this one repeats
    return row, created


def by_view(session: Session, team_id: str, view_id: str) -> TakenAssessment | None:
    return session.scalar(
        select(TakenAssessment).where(
            TakenAssessment.team_id == team_id, TakenAssessment.view_id == view_id
        )
    )


def find(session: Session, team_id: str, assessment_id: int) -> TakenAssessment | None:
    row = session.get(TakenAssessment, assessment_id)
    return row if row is not None and row.team_id == team_id else None


def _latest_first(team_id: str, user_id: str) -> Select[tuple[TakenAssessment]]:
    return (
        select(TakenAssessment)
        .where(TakenAssessment.team_id == team_id, TakenAssessment.user_id == user_id)
        .order_by(TakenAssessment.taken_at.desc(), TakenAssessment.id.desc())
    )


def latest(session: Session, team_id: str, user_id: str) -> TakenAssessment | None:
    return session.scalar(_latest_first(team_id, user_id).limit(1))


def previous(session: Session, row: TakenAssessment) -> TakenAssessment | None:
    """The person's assessment taken just before this one, if any."""
    earlier = (TakenAssessment.taken_at < row.taken_at) | (
        (TakenAssessment.taken_at == row.taken_at) & (TakenAssessment.id < row.id)
    )
    return session.scalar(_latest_first(row.team_id, row.user_id).where(earlier).limit(1))


def steps_of(session: Session, assessment_id: int) -> list[GrowthPlanStep]:
    return list(
        session.scalars(
            select(GrowthPlanStep)
            .where(GrowthPlanStep.assessment_id == assessment_id)
            .order_by(GrowthPlanStep.week_index)
        )
    )


def accepted_practices(session: Session, team_id: str, user_id: str) -> set[str]:
    """Every practice this person accepted into any of their growth plans."""
    return set(
        session.scalars(
            select(GrowthPlanStep.practice_id)
            .join(TakenAssessment, TakenAssessment.id == GrowthPlanStep.assessment_id)
            .where(TakenAssessment.team_id == team_id, TakenAssessment.user_id == user_id)
        )
    )


def add_step(
    session: Session,
    *,
    assessment_id: int,
    practice_id: str,
    week_index: int,
    accepted_at: datetime,
    starts_at: datetime | None = None,
    checkin_at: datetime | None = None,
) -> bool:
    """Accept a practice for a week of the plan; False if that week was accepted already."""
    return insert_unless_present(
        session,
        cast(Table, GrowthPlanStep.__table__),
        {
            "assessment_id": assessment_id,
            "practice_id": practice_id,
            "week_index": week_index,
            "accepted_at": accepted_at,
            "starts_at": starts_at,
            "checkin_at": checkin_at,
        },
        key=("assessment_id", "week_index"),
    )


def live_steps(session: Session, assessment_id: int) -> list[GrowthPlanStep]:
    """The plan's steps still running, in the order they were accepted (their weeks' order)."""
    return [step for step in in_accepted_order(session, assessment_id) if step.stopped_at is None]


def in_accepted_order(session: Session, assessment_id: int) -> list[GrowthPlanStep]:
    return list(
        session.scalars(
            select(GrowthPlanStep)
            .where(GrowthPlanStep.assessment_id == assessment_id)
            .order_by(GrowthPlanStep.accepted_at, GrowthPlanStep.id)
        )
    )


def own_step(
    session: Session, team_id: str, user_id: str, step_id: int
) -> tuple[GrowthPlanStep, TakenAssessment] | None:
    """A step of one of this person's own plans, with its assessment; None for anyone else's."""
    step = session.get(GrowthPlanStep, step_id)
    if step is None:
        return None
    row = find(session, team_id, step.assessment_id)
    return None if row is None or row.user_id != user_id else (step, row)


def add_share(
    session: Session,
    *,
    team_id: str,
    view_id: str,
    assessment_id: int,
    shared_with: str,
    with_balance: bool,
    shared_at: datetime,
) -> bool:
    """Record a share once per form submitted; False if Slack repeated this submission."""
    return insert_unless_present(
        session,
        cast(Table, PlanShare.__table__),
        {
            "team_id": team_id,
            "view_id": view_id,
            "assessment_id": assessment_id,
            "shared_with": shared_with,
            "with_balance": with_balance,
            "shared_at": shared_at,
        },
        key=("team_id", "view_id"),
    )


def forget_person(session: Session, team_id: str, user_id: str, now: datetime) -> int:
    """`/lvm forget me`: the person's self-assessments, with their growth plans' steps (the
    check-ins and reflections on them) and the record of whom they showed a plan to; and,
    where someone else showed them their plan, that record keeps the sharing without them."""
    mine = select(TakenAssessment.id).where(
        TakenAssessment.team_id == team_id, TakenAssessment.user_id == user_id
    )
    changed = 0
    for child in (GrowthPlanStep, PlanShare):
        result = session.execute(delete(child).where(child.assessment_id.in_(mine)))
        changed += int(result.rowcount)  # type: ignore[attr-defined]
    result = session.execute(
        delete(TakenAssessment).where(
            TakenAssessment.team_id == team_id, TakenAssessment.user_id == user_id
        )
    )
    changed += int(result.rowcount)  # type: ignore[attr-defined]
    shown = session.execute(
        update(PlanShare)
        .where(PlanShare.team_id == team_id, PlanShare.shared_with == user_id)
        .values(shared_with=FORGOTTEN)
        .execution_options(synchronize_session=False)
    )
    return changed + int(shown.rowcount)  # type: ignore[attr-defined]
