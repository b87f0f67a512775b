"""How an accepted growth-plan step is going, read from its row, and the retake rule: a new
result's plan replaces the old one, so the old plan's steps still to come stop."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.assess import store
from bot.assess.store import GrowthPlanStep, TakenAssessment


@dataclass(frozen=True)
class StepProgress:
    step_id: int
    starts_at: datetime | None  # None: accepted before weeks were planned, never sent
    checkin_at: datetime | None
    nudged: bool  # its practice was sent (planned into the outbox)
    asked: bool  # its check-in was sent
    answer: str | None
    reflection: str | None
    stopped_why: str | None  # REMOVED, STOPPED or RETAKEN; None while it runs

    @property
    def running(self) -> bool:
        return self.stopped_why is None and not self.asked


def progress_of(step: GrowthPlanStep) -> StepProgress:
    return StepProgress(
        step_id=step.id,
        starts_at=step.starts_at,
        checkin_at=step.checkin_at,
        nudged=step.nudge_planned_at is not None,
        asked=step.checkin_planned_at is not None,
        answer=step.answer,
        reflection=step.reflection,
        stopped_why=step.stopped_why,
    )


def still_to_come(session: Session, assessment_ids: list[int]) -> list[GrowthPlanStep]:
    """Steps of these plans whose check-in has not been sent and that nobody stopped."""
    if not assessment_ids:
        return []
    return list(
        session.scalars(
            select(GrowthPlanStep).where(
                GrowthPlanStep.assessment_id.in_(assessment_ids),
                GrowthPlanStep.stopped_at.is_(None),
                GrowthPlanStep.checkin_planned_at.is_(None),
            )
        )
    )


def stop(session: Session, steps: list[GrowthPlanStep], now: datetime, why: str) -> int:
    """Stop these steps (a step the clock planned meanwhile is left as it is); how many."""
    stopped = 0
    for step in steps:
        stopped += session.execute(
            update(GrowthPlanStep)
            .where(
                GrowthPlanStep.id == step.id,
                GrowthPlanStep.stopped_at.is_(None),
                GrowthPlanStep.checkin_planned_at.is_(None),
            )
            .values(stopped_at=now, stopped_why=why)
            .execution_options(synchronize_session=False)
        ).rowcount
    session.expire_all()
    return stopped


def stop_earlier_plans(session: Session, latest: TakenAssessment, now: datetime) -> int:
    """A retake: the person's earlier plans send nothing more; how many steps stopped."""
    earlier = list(
        session.scalars(
            select(TakenAssessment.id).where(
                TakenAssessment.team_id == latest.team_id,
                TakenAssessment.user_id == latest.user_id,
                TakenAssessment.id != latest.id,
            )
        )
    )
    return stop(session, still_to_come(session, earlier), now, store.RETAKEN)
