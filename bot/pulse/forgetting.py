"""`/lvm forget me` for the pulse: a person's opt-outs, and their id in teams and rounds.

Their answers and comments are not touched: they were stored under respondent keys that
name nobody, and the rounds' results (final once closed) stay as they are. What names them:
- `pulse_optouts`: deleted (the next round of that team asks them again, which the
  confirmation says);
- `pulse_teams`: removed from the managers of teams that keep another manager (the only
  manager is refused before: `managed_alone`), and unnamed as the one who set a team up;
- `pulse_rounds.opened_by`: unnamed;
- `pulse_recipients`: who was asked is kept as a count and for telling teams that share
  people apart (bot/summary/overlap.py), so their user id there becomes a random mark, the
  same in every round and derived from nothing: the counts and overlaps stay exactly as
  they were, and no row names them. A mark is never reminded (`rounds.take_due_reminders`).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.platform.forgetting import FORGOTTEN
from bot.platform.refusals import ManagesTeamsAlone
from bot.pulse.store import (
    ACTIVE,
    FORGOTTEN_RECIPIENT,
    PAUSED,
    PulseOptOut,
    PulseRecipient,
    PulseRound,
    PulseTeam,
)


def managed_alone(session: Session, team_id: str, user_id: str) -> list[PulseTeam]:
    """The workspace's teams whose only manager is this person."""
    teams = session.scalars(
        select(PulseTeam).where(PulseTeam.team_id == team_id).order_by(PulseTeam.name)
    )
    return [team for team in teams if list(team.managers) == [user_id]]


def forget_person(session: Session, team_id: str, user_id: str, now: datetime) -> int:
    """Delete the person's opt-outs and replace their id in teams and rounds; how many rows."""
    alone = managed_alone(session, team_id, user_id)
    if alone:
        raise ManagesTeamsAlone([team.channel_id for team in alone])
    workspace_teams = select(PulseTeam.id).where(PulseTeam.team_id == team_id)
    changed = _rowcount(
        session.execute(
            delete(PulseOptOut).where(
                PulseOptOut.user_id == user_id, PulseOptOut.pulse_team_id.in_(workspace_teams)
            )
        )
    )
    for team in session.scalars(select(PulseTeam).where(PulseTeam.team_id == team_id)):
        if user_id in team.managers or team.created_by == user_id:
            team.managers = [manager for manager in team.managers if manager != user_id]
            if team.created_by == user_id:
                team.created_by = FORGOTTEN
            team.updated_at = now
            changed += 1
    changed += _rowcount(
        session.execute(
            update(PulseRound)
            .where(PulseRound.team_id == team_id, PulseRound.opened_by == user_id)
            .values(opened_by=FORGOTTEN)
            .execution_options(synchronize_session=False)
        )
    )
    workspace_rounds = select(PulseRound.id).where(PulseRound.team_id == team_id)
    mark = f"{FORGOTTEN_RECIPIENT}{secrets.token_hex(8)}"
    changed += _rowcount(
        session.execute(
            update(PulseRecipient)
            .where(PulseRecipient.user_id == user_id, PulseRecipient.round_id.in_(workspace_rounds))
            .values(user_id=mark)
            .execution_options(synchronize_session=False)
        )
    )
    session.flush()
    return changed


def pause_workspace(session: Session, team_id: str, now: datetime) -> int:
    """Pause every running pulse of a workspace that removed lvm; how many. A round already
    open runs to its close, so its totals are stored; nothing is sent to the workspace."""
    paused = session.execute(
        update(PulseTeam)
        .where(PulseTeam.team_id == team_id, PulseTeam.status == ACTIVE)
        .values(status=PAUSED, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(paused)


def _rowcount(result: object) -> int:
    return int(result.rowcount)  # type: ignore[attr-defined]
