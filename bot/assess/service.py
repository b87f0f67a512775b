"""The self-assessment's use cases, one transaction each: store a submission, read a
person's latest result, accept a week of the growth plan. Each returns plain values; the
result is scored from the stored answers every time (bot/assess/scoring.py).

Every read is by the person themselves: no function here takes someone else's user id to
show them a result, and no other feature reads these tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.assess import plan, store
from bot.assess.plan_progress import StepProgress, progress_of, stop_earlier_plans
from bot.assess.plan_weeks import next_week, zone_of
from bot.assess.scoring import Scores, score
from bot.bank import Assessment
from bot.platform.refusals import PulseRefusal
from bot.platform.services import Services


class NotAvailable(PulseRefusal):
    def __init__(self) -> None:
        super().__init__(
            "The self-assessment is not available: this install's content has no "
            "assessment.yaml. Tell whoever runs lvm."
        )


class NoSuchAssessment(PulseRefusal):
    def __init__(self) -> None:
        super().__init__(
            "I can't find that self-assessment of yours. Your App Home shows your latest "
            "result, or take it again with `/lvm assess`."
        )


class NotTheLatest(PulseRefusal):
    def __init__(self) -> None:
        super().__init__(
            "You have retaken the self-assessment since this result: add steps from your "
            "latest one (your App Home shows it)."
        )


class PracticeGone(PulseRefusal):
    def __init__(self) -> None:
        super().__init__(
            "That practice is no longer in the bank. Your App Home shows your plan as it is."
        )


@dataclass(frozen=True)
class PlanStep:
    week: int  # 1 for the plan's first week
    practice_id: str
    accepted: bool
    # How the accepted step is going (bot/assess/plan_steps.py); None until it is accepted.
    progress: StepProgress | None = None


@dataclass(frozen=True)
class AssessmentResult:
    assessment_id: int
    taken_at: datetime
    scores: Scores
    plan: tuple[PlanStep, ...]
    # The person's assessment before this one, scored with today's statements.
    previous: Scores | None = None
    previous_taken_at: datetime | None = None


@dataclass(frozen=True)
class Recorded:
    result: AssessmentResult
    created: bool  # False: this view was stored already (a retry, a second Submit)
    stopped: int = 0  # steps of an earlier plan still to come, stopped by this retake


def content_of(services: Services) -> Assessment:
    if services.bank.assessment is None:
        raise NotAvailable()
    return services.bank.assessment


def record_assessment(
    services: Services, *, team_id: str, user_id: str, view_id: str, answers: dict[str, int]
) -> Recorded:
    """Store a submitted assessment once per view, with the growth plan its result offers."""
    assessment = content_of(services)
    scores = score(assessment, answers)
    with services.database.transaction() as session:
        accepted_before = store.accepted_practices(session, team_id, user_id)
        offered = plan.offer(services.bank, scores.to_develop, accepted_before)
        row, created = store.add(
            session,
            team_id=team_id,
            user_id=user_id,
            view_id=view_id,
            taken_at=services.now(),
            answers=answers,
            offered=offered,
        )
        if row.user_id != user_id:  # a view id is one person's: this one is not theirs
            raise NoSuchAssessment()
        stopped = stop_earlier_plans(session, row, services.now()) if created else 0
        return Recorded(_result_of(assessment, session, row), created, stopped)


def latest_result(services: Services, team_id: str, user_id: str) -> AssessmentResult | None:
    """This person's latest result, for their own App Home."""
    assessment = services.bank.assessment
    if assessment is None:
        return None
    with services.database.reading() as session:
        row = store.latest(session, team_id, user_id)
        return None if row is None else _result_of(assessment, session, row)


def result_for(
    services: Services, *, team_id: str, user_id: str, assessment_id: int
) -> AssessmentResult:
    """One of this person's own results."""
    assessment = content_of(services)
    with services.database.reading() as session:
        row = _own(session, team_id, user_id, assessment_id)
        return _result_of(assessment, session, row)


def accept_step(
    services: Services,
    *,
    team_id: str,
    user_id: str,
    assessment_id: int,
    week: int,
    zone: str | None = None,
) -> AssessmentResult:
    """Add a week of the latest result's plan to the person's growth plan (once), its week
    planned after the steps accepted before it, in the person's time `zone`."""
    assessment = content_of(services)
    with services.database.transaction() as session:
        row = _own(session, team_id, user_id, assessment_id)
        latest = store.latest(session, team_id, user_id)
        if latest is None or latest.id != row.id:
            raise NotTheLatest()
        if not 1 <= week <= len(row.offered):
            raise ValueError(f"week {week} is not in this plan")
        practice_id = row.offered[week - 1]
        if practice_id not in services.bank.practice_by_id:
            raise PracticeGone()
        now = services.now()
        starts = [s.starts_at for s in store.live_steps(session, row.id) if s.starts_at]
        its_week = next_week(starts, now, zone_of(zone))
        store.add_step(
            session,
            assessment_id=row.id,
            practice_id=practice_id,
            week_index=week,
            accepted_at=now,
            starts_at=its_week.starts_at,
            checkin_at=its_week.checkin_at,
        )
        return _result_of(assessment, session, row)


def _own(session: Session, team_id: str, user_id: str, assessment_id: int) -> store.TakenAssessment:
    row = store.find(session, team_id, assessment_id)
    if row is None or row.user_id != user_id:
        raise NoSuchAssessment()
    return row


def _result_of(
    assessment: Assessment, session: Session, row: store.TakenAssessment
) -> AssessmentResult:
    accepted = {step.week_index: step for step in store.steps_of(session, row.id)}
    before = store.previous(session, row)
    return AssessmentResult(
        assessment_id=row.id,
        taken_at=row.taken_at,
        scores=score(assessment, row.answers),
        plan=tuple(
            PlanStep(
                week,
                practice_id,
                week in accepted,
                progress_of(accepted[week]) if week in accepted else None,
            )
            for week, practice_id in enumerate(row.offered, start=1)
        ),
        previous=None if before is None else score(assessment, before.answers),
        previous_taken_at=None if before is None else before.taken_at,
    )
