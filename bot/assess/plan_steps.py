"""A person's own growth-plan steps once accepted: answer a step's check-in, add a line of
reflection, remove a step, stop the whole plan. One transaction each; every one acts only on
the person's own steps (`store.own_step`), so nobody else can read or change them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.assess import plan, store
from bot.assess.plan_progress import still_to_come, stop
from bot.assess.scoring import score
from bot.assess.store import GrowthPlanStep, TakenAssessment
from bot.bank import Bank
from bot.platform import checkin_form
from bot.platform.refusals import PulseRefusal
from bot.platform.services import Services


class StepNotYours(PulseRefusal):
    def __init__(self) -> None:
        super().__init__(
            "I can't find that step in your growth plan. Your App Home shows your plan as it is."
        )


class CheckInNotOpen(PulseRefusal):
    def __init__(self) -> None:
        super().__init__(
            "That step's check-in hasn't started yet: I'll DM you at the end of its week."
        )


class AlreadyFinished(PulseRefusal):
    def __init__(self) -> None:
        super().__init__(
            "That step's week is over and its check-in was sent, so there is nothing to stop. "
            "Your App Home shows your plan."
        )


@dataclass(frozen=True)
class StepView:
    """One accepted step as its DMs show it."""

    step_id: int
    week: int  # its place in the plan: 1 for the first step accepted
    of_weeks: int
    practice_title: str
    try_this: str
    area_name: str | None
    answer: str | None = None
    reflection: str | None = None


def view_of(bank: Bank, session: Session, step: GrowthPlanStep, row: TakenAssessment) -> StepView:
    order = [s.id for s in store.in_accepted_order(session, row.id)]
    practice = bank.practice_by_id.get(step.practice_id)
    to_develop = _areas_of(bank, row)
    area = plan.area_of(bank, step.practice_id, to_develop)
    dimension = bank.dimension_by_id.get(area) if area else None
    return StepView(
        step_id=step.id,
        week=order.index(step.id) + 1,
        of_weeks=len(order),
        practice_title=practice.title if practice else step.practice_id,
        try_this=practice.try_this if practice else "",
        area_name=dimension.name if dimension else None,
        answer=step.answer,
        reflection=step.reflection,
    )


def _areas_of(bank: Bank, row: TakenAssessment) -> tuple[str, ...]:
    if bank.assessment is None:
        return ()
    return tuple(score(bank.assessment, row.answers).to_develop)


def _own(
    session: Session, team_id: str, user_id: str, step_id: int
) -> tuple[GrowthPlanStep, TakenAssessment]:
    found = store.own_step(session, team_id, user_id, step_id)
    if found is None:
        raise StepNotYours()
    return found


def record_answer(
    services: Services, *, team_id: str, user_id: str, step_id: int, answer: str
) -> StepView:
    """Store (or change) the person's check-in answer; returns what the check-in DM shows now."""
    if answer not in checkin_form.ANSWERS:
        raise ValueError(f"{answer!r} is not a check-in answer")
    with services.database.transaction() as session:
        step, row = _own(session, team_id, user_id, step_id)
        if step.checkin_planned_at is None:
            raise CheckInNotOpen()
        step.answer = answer
        step.answered_at = services.now()
        session.flush()
        return view_of(services.bank, session, step, row)


def reflection_to_edit(services: Services, *, team_id: str, user_id: str, step_id: int) -> str:
    with services.database.reading() as session:
        step, _ = _own(session, team_id, user_id, step_id)
        if step.checkin_planned_at is None:
            raise CheckInNotOpen()
        return step.reflection or ""


def record_reflection(
    services: Services, *, team_id: str, user_id: str, step_id: int, text: str
) -> StepView:
    """Store (or, when empty, remove) the one-line reflection; returns what the DM shows now."""
    with services.database.transaction() as session:
        step, row = _own(session, team_id, user_id, step_id)
        if step.checkin_planned_at is None:
            raise CheckInNotOpen()
        step.reflection = checkin_form.one_line(text)
        step.answered_at = services.now()
        session.flush()
        return view_of(services.bank, session, step, row)


def remove_step(services: Services, *, team_id: str, user_id: str, step_id: int) -> None:
    """The person takes a step out of their plan: it sends nothing more."""
    with services.database.transaction() as session:
        step, _ = _own(session, team_id, user_id, step_id)
        if step.stopped_at is not None:
            return  # removed already: a second click, a stale Home
        if not stop(session, [step], services.now(), store.REMOVED):
            raise AlreadyFinished()


def stop_plan(services: Services, *, team_id: str, user_id: str, assessment_id: int) -> int:
    """The person stops their plan: its steps still to come send nothing; how many stopped."""
    with services.database.transaction() as session:
        row = store.find(session, team_id, assessment_id)
        if row is None or row.user_id != user_id:
            raise StepNotYours()
        return stop(session, still_to_come(session, [row.id]), services.now(), store.STOPPED)
