"""What a person's App Home shows: gathered from the store, rendered by bot.home.blocks."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.assess import blocks as assess_blocks
from bot.assess import service as assessments
from bot.home.blocks import HomeContent, PulseMembership, home_view
from bot.nudges import service as nudges
from bot.nudges import store as nudge_store
from bot.platform.refusals import PulseRefusal
from bot.platform.services import Services
from bot.pulse.teams import team_by_id, teams_of_person
from bot.summary.checkins import history_of
from bot.summary.commitment_blocks import history_blocks
from bot.summary.service import glances_for
from bot.threads.blocks import home_blocks as conversation_blocks
from bot.threads.service import conversations_on_home
from bot.tips import store as tip_store

RECENT_TIPS = 5


def home_content(
    services: Services, team_id: str, user_id: str, *, welcome: bool = False
) -> HomeContent:
    bank = services.bank
    with services.database.reading() as session:
        recent_ids = tip_store.recently_shown(session, team_id, user_id, limit=RECENT_TIPS)
        subscription = nudge_store.find(session, team_id, user_id)
        memberships = [
            PulseMembership(team.name, team.channel_id, opted_out)
            for team, opted_out in teams_of_person(session, team_id, user_id)
        ]
        nudge = nudges.describe(subscription) if subscription and subscription.active else None
    return HomeContent(
        # The person's own self-assessment: nobody else's Home ever reads it.
        balance_blocks=(
            assess_blocks.home_blocks(
                assessments.latest_result(services, team_id, user_id), bank, bank.assessment
            )
            if bank.assessment is not None
            else []
        ),
        # A manager's own commitments, check-ins and reflections: this person's alone.
        manager_blocks=[
            *glances_for(services, team_id, user_id),
            *conversation_blocks(conversations_on_home(services, team_id, user_id), user_id),
            *history_blocks(history_of(services, team_id, user_id)),
        ],
        recent=[bank.practice_by_id[i] for i in recent_ids if i in bank.practice_by_id],
        nudge=nudge,
        memberships=memberships,
        welcome=welcome,
    )


def publish_home(
    services: Services, client: WebClient, team_id: str, user_id: str, *, welcome: bool = False
) -> dict[str, Any]:
    """Build and publish the Home tab; publishing again is harmless, so retries are safe."""
    view = home_view(home_content(services, team_id, user_id, welcome=welcome))
    client.views_publish(user_id=user_id, view=view)
    return view


def channel_of_team(services: Services, team_id: str, pulse_team_id: int) -> str:
    """The channel of the pulse team a Home tab button names (it may have gone since)."""
    with services.database.reading() as session:
        team = team_by_id(session, team_id, pulse_team_id)
        if team is None:
            raise PulseRefusal("I can't find that team any more. Open the Home tab again.")
        return team.channel_id
