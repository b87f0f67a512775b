"""A manager chooses the team's focus among the candidates; a round's close carries the
suggested focus to the next, so that it holds still (bot/summary/focus.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.platform.refusals import PulseRefusal
from bot.platform.services import Services
from bot.pulse.store import PulseTeam
from bot.pulse.teams import lock_team, team_by_id
from bot.summary import focus_store
from bot.summary.focus import FocusChoice, carried
from bot.summary.trends import TeamSummary


class FocusRefused(PulseRefusal):
    pass


@dataclass(frozen=True)
class ChoiceResult:
    dimension_name: str
    team_name: str
    changed: bool  # False: that area was already the chosen focus


def stored_choice(session: Session, team: PulseTeam) -> tuple[FocusChoice | None, str | None]:
    """(a manager's stored choice, the area that is the focus now) for `build_summary`."""
    row = focus_store.focus_of(session, team.id)
    if row is None:
        return None, None
    choice = None
    if row.chosen_by is not None:
        choice = FocusChoice(row.dimension_id, row.chosen_by, row.chosen_at)
    return choice, row.dimension_id


def choose_from_summary(
    services: Services, *, team_id: str, pulse_team_id: int, user_id: str, dimension_id: str
) -> ChoiceResult:
    """A click on a candidate's button, in one transaction."""
    dimension = services.bank.dimension_by_id.get(dimension_id)
    if dimension is None:
        raise FocusRefused(
            "That area is no longer in the content bank. Ask for a fresh `/lvm summary`."
        )
    with services.database.transaction() as session:
        team = team_by_id(session, team_id, pulse_team_id)
        if team is None:
            raise FocusRefused("I can't find that team any more. Ask for a fresh `/lvm summary`.")
        if user_id not in team.managers:
            managers = ", ".join(f"<@{m}>" for m in team.managers) or "nobody yet"
            raise FocusRefused(
                f"Only this team's managers ({managers}) can choose its focus. If you think "
                "another area matters more, tell one of them."
            )
        # Clicks at once queue here: a retried click finds the first one's choice.
        lock_team(session, team)
        changed = focus_store.choose(
            session,
            team_id=team.team_id,
            pulse_team_id=team.id,
            dimension_id=dimension.id,
            user_id=user_id,
            now=services.now(),
        )
        return ChoiceResult(dimension.name, team.name, changed)


def carry_focus(session: Session, team: PulseTeam, summary: TeamSummary, now: datetime) -> None:
    """At a round's close: remember the suggested focus (not a manager's standing choice, nor
    an area a commitment holds), replacing a choice that no longer stands."""
    dimension_id = carried(summary.focus)
    if dimension_id is None:
        return
    lapsed = summary.lapsed_choice
    focus_store.carry(
        session,
        team_id=team.team_id,
        pulse_team_id=team.id,
        dimension_id=dimension_id,
        replacing=lapsed.chosen_by if lapsed is not None else None,
        now=now,
    )
