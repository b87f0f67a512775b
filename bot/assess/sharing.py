"""A person shows their growth plan to someone they choose: their manager or a mentor.

The chosen person is told only what `plan_blocks.SharedPlan` holds: the areas to develop and
each step with how far along it is, the person's note, and their overall balance only if
they ticked the box. Never the answers, the check-ins, the reflections or the scores per
contrast. Each submitted form is shared once (`store.add_share`), so Slack's retries and a
double Submit send one DM.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from sqlalchemy.orm import Session

from bot.assess import plan, store
from bot.assess.plan_blocks import NOTE_LIMIT, SharedPlan, SharedStep
from bot.assess.plan_progress import progress_of
from bot.assess.scoring import one_decimal, score
from bot.assess.service import NoSuchAssessment, content_of
from bot.platform.directory import UserKind
from bot.platform.refusals import PulseRefusal
from bot.platform.services import Services


class CannotShareWith(PulseRefusal):
    """The chosen person cannot be shown the plan; the message says whom to pick instead."""


REFUSED = {
    UserKind.BOT: "That is an app, not a person: pick your manager or a mentor.",
    UserKind.DEACTIVATED: "That account is deactivated, so they would never see it. Pick "
    "someone active.",
    UserKind.UNKNOWN: "Slack doesn't know that person in this workspace. Pick someone from "
    "the list.",
}


@dataclass(frozen=True)
class Shared:
    message: SharedPlan
    created: bool  # False: this form was shared already (Slack's retry, a second Submit)


def check_recipient(owner: str, chosen: str, kind: UserKind) -> None:
    if chosen == owner:
        raise CannotShareWith("That's you: pick your manager or a mentor to share it with.")
    if kind in REFUSED:
        raise CannotShareWith(REFUSED[kind])


def share_plan(
    services: Services,
    *,
    team_id: str,
    user_id: str,
    view_id: str,
    assessment_id: int,
    shared_with: str,
    with_balance: bool,
    note: str | None,
) -> Shared:
    assessment = content_of(services)
    with services.database.transaction() as session:
        row = store.find(session, team_id, assessment_id)
        if row is None or row.user_id != user_id:
            raise NoSuchAssessment()
        scores = score(assessment, row.answers)
        created = store.add_share(
            session,
            team_id=team_id,
            view_id=view_id,
            assessment_id=row.id,
            shared_with=shared_with,
            with_balance=with_balance,
            shared_at=services.now(),
        )
        steps = _steps(services, session, row, scores.to_develop, services.now())
    areas = tuple(
        dimension.name if (dimension := services.bank.dimension_by_id.get(a)) else a
        for a in scores.to_develop
    )
    balance = None
    if with_balance:
        balance = (
            f"{scores.lean} (leading {_number(scores.leading)}, managing {_number(scores.managing)}, "
            "on a 1 to 5 scale)"
        )
    cleaned = " ".join((note or "").split())[:NOTE_LIMIT] or None
    return Shared(SharedPlan(user_id, areas, steps, cleaned, balance), created)


def _number(value: Fraction | None) -> str:
    return "–" if value is None else str(one_decimal(value))


def _steps(
    services: Services,
    session: Session,
    row: store.TakenAssessment,
    areas: tuple[str, ...] | list[str],
    now: datetime,
) -> tuple[SharedStep, ...]:
    shown = []
    for week, step in enumerate(store.in_accepted_order(session, row.id), start=1):
        progress = progress_of(step)
        area = plan.area_of(services.bank, step.practice_id, areas)
        dimension = services.bank.dimension_by_id.get(area) if area else None
        if progress.stopped_why is not None:
            status = "stopped"
        elif progress.asked:
            status = "week over"
        elif progress.starts_at is not None and progress.starts_at <= now:
            status = "this week"
        else:
            status = "to come"
        shown.append(
            SharedStep(
                week,
                services.bank.practice_title(step.practice_id),
                dimension.name if dimension else None,
                status,
            )
        )
    return tuple(shown)
