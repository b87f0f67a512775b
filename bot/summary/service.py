"""Summaries as a person asks for them: one team's (`/lvm summary`, the Home tab's button),
and a glance at each team they manage for App Home. Reads only: no write lock is taken."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.platform.services import Services
from bot.pulse import teams as pulse_teams
from bot.pulse.schedule import next_opening
from bot.pulse.store import ACTIVE
from bot.summary.access import team_for_viewer
from bot.summary.blocks import TeamGlance, home_view_for_manager
from bot.summary.build import build_summary
from bot.summary.self_view import own_ratings_of
from bot.summary.trends import TeamSummary

HOME_WEEKS = 8


def summary_of(
    services: Services,
    team_id: str,
    channel_id: str,
    user_id: str,
    weeks: int,
    is_workspace_admin: Callable[[str], bool],
    *,
    with_own: bool = True,
) -> TeamSummary:
    """`with_own`: a manager's own self-ratings may sit beside the team's (not in an export)."""
    with services.database.reading() as session:
        team = team_for_viewer(session, team_id, channel_id, user_id, is_workspace_admin)
        is_manager = user_id in team.managers
        return build_summary(
            session,
            services.bank,
            team,
            weeks=weeks,
            now=services.now(),
            rng=services.rng,
            for_admin=not is_manager,
            own=own_ratings_of(services, session, team_id, user_id)
            if with_own and is_manager
            else None,
        )


def glances_for(services: Services, team_id: str, user_id: str) -> list[dict[str, Any]]:
    """App Home blocks for the teams this person manages (none for everyone else)."""
    with services.database.reading() as session:
        teams = pulse_teams.teams_managed_by(session, team_id, user_id)
        if not teams:
            return []
        now = services.now()
        own = own_ratings_of(services, session, team_id, user_id)  # the Home is their own
        glances = [
            TeamGlance(
                summary=build_summary(
                    session,
                    services.bank,
                    team,
                    weeks=HOME_WEEKS,
                    now=now,
                    rng=services.rng,
                    own=own,
                ),
                next_round=next_opening(pulse_teams.schedule_of(team), now)
                if team.status == ACTIVE
                else None,
            )
            for team in teams
        ]
    return home_view_for_manager(glances)
