"""Who may see a team's summaries: its managers, and workspace admins where the team allows."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from bot.platform.refusals import NotAViewer, PulseRefusal
from bot.platform.services import Services
from bot.pulse import teams as pulse_teams
from bot.pulse.store import PulseTeam

logger = logging.getLogger(__name__)


def team_for_viewer(
    session: Session,
    team_id: str,
    channel_id: str,
    user_id: str,
    is_workspace_admin: Callable[[str], bool] | None,
) -> PulseTeam:
    """The channel's team if this person may see its summaries (a manager, or a workspace
    admin where the team allows it); a refusal (and a log line) otherwise.

    With `is_workspace_admin` None, Slack is not asked: someone who is not a manager passes
    where the team lets admins see its summaries, to be asked about later."""
    team = pulse_teams.find_team(session, team_id, channel_id)
    if team is None:
        raise PulseRefusal(
            f"<#{channel_id}> has no pulse, so there is nothing to summarize. A lead can start "
            "one there with `/lvm pulse setup`."
        )
    try:
        pulse_teams.require_viewer(team, user_id, is_workspace_admin or _asked_later)
    except NotAViewer:
        logger.info("summary of %s/%s refused to %s: not a manager", team_id, channel_id, user_id)
        raise
    if is_workspace_admin is not None and user_id not in team.managers:
        # An admin: worth a line for the team's audit.
        logger.info("summary of %s/%s shown to workspace admin %s", team_id, channel_id, user_id)
    return team


def _asked_later(_user_id: str) -> bool:
    return True


def check_viewer(services: Services, team_id: str, channel_id: str, user_id: str) -> None:
    """Refuse, before the ack, someone the team's settings say may not see its summary
    (whether a workspace admin may is Slack's to say, asked after the ack)."""
    with services.database.reading() as session:
        team_for_viewer(session, team_id, channel_id, user_id, is_workspace_admin=None)
