"""`/lvm forget me`: what forgetting a person changes, and doing it, in one transaction.

Each feature's part is a `ForgetStep` handed in by the composition root
(`Services.forget_steps`, bot/bootstrap.py), so this module knows no feature's tables and a
feature added later is forgotten too once its step is listed. Deleting twice deletes nothing
the second time: a double click or Slack's retry is answered as the first was.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.nudges.store import CHANNEL, TipSubscription
from bot.platform.refusals import ManagesTeamsAlone
from bot.platform.services import Services
from bot.pulse.forgetting import managed_alone
from bot.pulse.store import PulseOptOut, PulseTeam
from bot.rights.blocks import ForgetPreview


def what_is_forgotten(services: Services) -> list[str]:
    """Each step's words: what `/lvm forget me` deletes, for the confirmation and /lvm privacy."""
    return [step.what for step in services.forget_steps]


def preview(services: Services, team_id: str, user_id: str) -> ForgetPreview:
    """What the confirmation must say before anything is deleted; refuses the only manager
    of a team (ManagesTeamsAlone), whose team's results would have nobody to go to."""
    with services.database.reading() as session:
        alone = managed_alone(session, team_id, user_id)
        if alone:
            raise ManagesTeamsAlone([team.channel_id for team in alone])
        teams = list(
            session.scalars(
                select(PulseTeam).where(PulseTeam.team_id == team_id).order_by(PulseTeam.name)
            )
        )
        opted = set(
            session.scalars(
                select(PulseOptOut.pulse_team_id).where(
                    PulseOptOut.user_id == user_id,
                    PulseOptOut.pulse_team_id.in_([team.id for team in teams]),
                )
            )
        )
        nudges = session.scalars(
            select(TipSubscription.target_id)
            .where(
                TipSubscription.team_id == team_id,
                TipSubscription.created_by == user_id,
                TipSubscription.target_kind == CHANNEL,
            )
            .order_by(TipSubscription.target_id)
        )
        return ForgetPreview(
            co_managed=tuple(team.channel_id for team in teams if user_id in team.managers),
            opted_out=tuple(team.channel_id for team in teams if team.id in opted),
            channel_nudges=tuple(nudges),
        )


def forget_person(services: Services, team_id: str, user_id: str) -> int:
    """Run every feature's step for this person in one transaction; how many rows changed."""
    now = services.now()
    with services.database.transaction() as session:
        return sum(step.run(session, team_id, user_id, now) for step in services.forget_steps)
