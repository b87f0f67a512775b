"""The growth plan's weekly DMs, planned by the clock: each accepted step's practice at the
start of its week, and its check-in ("done / partly / not yet") at the end.

A step's DM is planned in one transaction that marks the step (only if it was unmarked) and
writes its outbox row under a unique dedupe key, so however many clocks run, each DM is sent
once. A stopped step (removed, the plan stopped, or a retake) is never planned again.
Within the grace window only: after downtime a DM a day late still helps, one from weeks ago
does not.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from bot.assess import plan_blocks
from bot.assess.plan_steps import StepView, view_of
from bot.assess.store import GrowthPlanStep, TakenAssessment
from bot.platform import outbox
from bot.platform.messages import Message
from bot.platform.services import Services

NUDGE = "assess.step_nudge"
CHECKIN = "assess.step_checkin"


def plan_step_dms(services: Services, now: datetime) -> int:
    """A clock work kind: plan the weekly DMs whose time has come."""
    grace = timedelta(hours=services.settings.LVM_GRACE_HOURS)
    planned = 0
    with services.database.transaction() as session:
        for kind, moment, marker, message in (
            (NUDGE, GrowthPlanStep.starts_at, GrowthPlanStep.nudge_planned_at, plan_blocks.nudge),
            (
                CHECKIN,
                GrowthPlanStep.checkin_at,
                GrowthPlanStep.checkin_planned_at,
                plan_blocks.checkin,
            ),
        ):
            due = session.execute(
                select(GrowthPlanStep, TakenAssessment)
                .join(TakenAssessment, TakenAssessment.id == GrowthPlanStep.assessment_id)
                .where(
                    moment.is_not(None),
                    moment <= now,
                    moment > now - grace,
                    marker.is_(None),
                    GrowthPlanStep.stopped_at.is_(None),
                )
                .order_by(moment, GrowthPlanStep.id)
            ).all()
            for step, row in due:
                if _claim(session, step, marker, now):
                    view = view_of(services.bank, session, step, row)
                    _enqueue(session, kind, row, view, message, now)
                    planned += 1
    return planned


def _claim(
    session: Session,
    step: GrowthPlanStep,
    marker: InstrumentedAttribute[datetime | None],
    now: datetime,
) -> bool:
    # Another clock may have planned it (or the person stopped it) since the query.
    unmarked: ColumnElement[bool] = marker.is_(None)
    claimed = session.execute(
        update(GrowthPlanStep)
        .where(GrowthPlanStep.id == step.id, unmarked, GrowthPlanStep.stopped_at.is_(None))
        .values({marker.key: now})
        .execution_options(synchronize_session=False)
    ).rowcount
    return claimed == 1


def _enqueue(
    session: Session,
    kind: str,
    row: TakenAssessment,
    view: StepView,
    message: Callable[[StepView], Message],
    now: datetime,
) -> None:
    outbox.enqueue(
        session,
        team_id=row.team_id,
        dedupe_key=f"{kind}:{row.team_id}:{view.step_id}",
        kind=kind,
        payload=outbox.post_payload(row.user_id, message(view)),
        due_at=now,
        now=now,
        private=True,  # the person's own practice and plan: forgotten once sent
    )
