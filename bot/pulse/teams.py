"""A team's pulse settings: create, edit, pause, resume, switch off, and opting out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from bot.platform.dialect import insert_unless_present
from bot.platform.local_time import parse_local_time
from bot.platform.refusals import NotAManager, NotAViewer
from bot.pulse.schedule import Schedule, validate
from bot.pulse.store import ACTIVE, PulseOptOut, PulseTeam

DEFAULT_THRESHOLD = 5
MIN_THRESHOLD = 3


@dataclass(frozen=True)
class TeamSettings:
    """Validated settings, as the setup modal collects them."""

    name: str
    managers: list[str]
    schedule: Schedule
    question_ids: list[str] | None
    anonymity_threshold: int = DEFAULT_THRESHOLD
    admins_may_view: bool = False
    managers_answer: bool = False

    def __post_init__(self) -> None:
        validate(self.schedule)
        if not self.name.strip():
            raise ValueError("The team needs a name.")
        if not self.managers:
            raise ValueError("A team needs at least one manager.")
        if self.anonymity_threshold < MIN_THRESHOLD:
            raise ValueError(
                f"The anonymity threshold is at least {MIN_THRESHOLD}: fewer answers could "
                "point to one person."
            )


def schedule_of(team: PulseTeam) -> Schedule:
    return Schedule(
        weekday=team.weekday,
        local_time=parse_local_time(team.local_time),
        timezone=team.timezone,
        open_days=team.open_days,
        remind_after_hours=team.remind_after_hours,
    )


def find_team(session: Session, team_id: str, channel_id: str) -> PulseTeam | None:
    return session.scalar(
        select(PulseTeam).where(PulseTeam.team_id == team_id, PulseTeam.channel_id == channel_id)
    )


def team_by_id(session: Session, team_id: str, pulse_team_id: int) -> PulseTeam | None:
    """The team a button or form names by id, if it still exists in this workspace."""
    team = session.get(PulseTeam, pulse_team_id)
    return team if team is not None and team.team_id == team_id else None


def require_manager(team: PulseTeam, user_id: str) -> None:
    if user_id not in team.managers:
        raise NotAManager(team.managers)


def require_viewer(
    team: PulseTeam, user_id: str, is_workspace_admin: Callable[[str], bool]
) -> None:
    """Managers may see the team's summaries; workspace admins too, if the team allows it.

    `is_workspace_admin` asks Slack, so it is only called when its answer matters.
    """
    if user_id in team.managers:
        return
    if team.admins_may_view and is_workspace_admin(user_id):
        return
    raise NotAViewer(team.managers, team.admins_may_view)


def save_team(
    session: Session,
    *,
    team_id: str,
    channel_id: str,
    settings: TeamSettings,
    actor: str,
    now: datetime,
) -> tuple[PulseTeam, bool]:
    """Create the channel's team, or edit it if `actor` manages it; returns (team, created)."""
    team = find_team(session, team_id, channel_id)
    created = team is None
    if team is None:
        team = PulseTeam(
            team_id=team_id,
            channel_id=channel_id,
            status=ACTIVE,
            created_by=actor,
            created_at=now,
        )
        session.add(team)
    else:
        require_manager(team, actor)
    team.name = settings.name.strip()[:80]
    team.managers = list(dict.fromkeys(settings.managers))
    team.weekday = settings.schedule.weekday
    team.local_time = f"{settings.schedule.local_time:%H:%M}"
    team.timezone = settings.schedule.timezone
    team.open_days = settings.schedule.open_days
    team.remind_after_hours = settings.schedule.remind_after_hours
    team.question_ids = settings.question_ids
    team.anonymity_threshold = settings.anonymity_threshold
    team.admins_may_view = settings.admins_may_view
    team.managers_answer = settings.managers_answer
    team.updated_at = now
    session.flush()
    return team, created


def set_status(session: Session, team: PulseTeam, status: str, actor: str, now: datetime) -> None:
    require_manager(team, actor)
    team.status = status
    team.updated_at = now


def not_asked(session: Session, team: PulseTeam) -> set[str]:
    """Members a round skips: those who opted out, and the managers unless they answer too."""
    skipped = opted_out(session, team)
    if not team.managers_answer:
        skipped.update(team.managers)
    return skipped


def asked_count(members: Iterable[str], skipped: set[str]) -> int:
    """How many of the channel's members a round would ask."""
    return sum(1 for member in dict.fromkeys(members) if member not in skipped)


def opted_out(session: Session, team: PulseTeam) -> set[str]:
    return set(
        session.scalars(select(PulseOptOut.user_id).where(PulseOptOut.pulse_team_id == team.id))
    )


def set_opt_out(session: Session, team: PulseTeam, user_id: str, out: bool) -> None:
    if not out:
        session.execute(
            delete(PulseOptOut).where(
                PulseOptOut.pulse_team_id == team.id, PulseOptOut.user_id == user_id
            )
        )
        return
    # Opting out twice at once leaves one row, and neither click fails on the unique key.
    insert_unless_present(
        session,
        cast(Table, PulseOptOut.__table__),
        {"pulse_team_id": team.id, "user_id": user_id},
        key=["pulse_team_id", "user_id"],
    )


def lock_team(session: Session, team: PulseTeam) -> None:
    """Take the team's row lock: its rounds open, and its commitments are made, one at a time.

    PostgreSQL only (SQLite has one writer at a time): two `/lvm pulse start` at once, or
    twenty "I'll try this" clicks, then see each other's work instead of racing to insert.
    """
    session.execute(select(PulseTeam.id).where(PulseTeam.id == team.id).with_for_update())


def teams_managed_by(session: Session, team_id: str, user_id: str) -> list[PulseTeam]:
    """The workspace's teams this person manages, by name (managers are a JSON list)."""
    teams = session.scalars(
        select(PulseTeam).where(PulseTeam.team_id == team_id).order_by(PulseTeam.name, PulseTeam.id)
    )
    return [team for team in teams if user_id in team.managers]


def teams_of_person(session: Session, team_id: str, user_id: str) -> list[tuple[PulseTeam, bool]]:
    """Teams whose rounds reached this person, or that they opted out of: (team, opted out)."""
    from bot.pulse.store import PulseRecipient, PulseRound

    asked = (
        select(PulseRound.pulse_team_id)
        .join(PulseRecipient, PulseRecipient.round_id == PulseRound.id)
        .where(PulseRecipient.user_id == user_id)
    )
    out = select(PulseOptOut.pulse_team_id).where(PulseOptOut.user_id == user_id)
    teams = session.scalars(
        select(PulseTeam)
        .where(PulseTeam.team_id == team_id, PulseTeam.id.in_(asked.union(out)))
        .order_by(PulseTeam.name)
    )
    opted = set(session.scalars(out))
    return [(team, team.id in opted) for team in teams]
