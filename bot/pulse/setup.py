"""Saving a team's pulse setup, and what the channel is told of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.platform.services import Services
from bot.pulse import schedule as schedules
from bot.pulse import teams as pulse_teams


@dataclass(frozen=True)
class SavedSetup:
    """What a saved setup form tells the channel, read inside the save's transaction."""

    team_id: str
    channel_id: str
    user_id: str
    created: bool
    name: str
    schedule: str
    next_opening: datetime
    threshold: int
    admins_may_view: bool
    managers_answer: bool
    asked: int | None  # counted when the form opened
    admins_changed: bool


def save_setup(
    services: Services,
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    settings: pulse_teams.TeamSettings,
    asked: int | None,
) -> SavedSetup:
    """Create the channel's team, or edit it if `user_id` manages it."""
    with services.database.transaction() as session:
        before = pulse_teams.find_team(session, team_id, channel_id)
        admins_before = before.admins_may_view if before is not None else False
        team, created = pulse_teams.save_team(
            session,
            team_id=team_id,
            channel_id=channel_id,
            settings=settings,
            actor=user_id,
            now=services.now(),
        )
        schedule = pulse_teams.schedule_of(team)
        return SavedSetup(
            team_id=team_id,
            channel_id=channel_id,
            user_id=user_id,
            created=created,
            name=team.name,
            schedule=schedules.describe(schedule),
            next_opening=schedules.next_opening(schedule, services.now()),
            threshold=team.anonymity_threshold,
            admins_may_view=team.admins_may_view,
            managers_answer=team.managers_answer,
            asked=asked,
            admins_changed=team.admins_may_view != admins_before,
        )


def admins_may_view_now(services: Services, team_id: str, channel_id: str) -> bool | None:
    """The team's setting as it stands (None once the team is gone)."""
    with services.database.reading() as session:
        team = pulse_teams.find_team(session, team_id, channel_id)
        return None if team is None else team.admins_may_view
