"""What `/lvm pulse` does to a team: its status, a pause or stop, opting out, and the checks
and close a manager's command needs. Each use case is one transaction; the listener renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bot.platform import outbox
from bot.platform.refusals import NoOpenRound, NoTeamHere, PulseRefusal, TeamOff
from bot.platform.services import Services
from bot.pulse import automation, delivery_report, rounds
from bot.pulse import blocks as pulse_blocks
from bot.pulse import questions as question_sets
from bot.pulse import schedule as schedules
from bot.pulse import teams as pulse_teams
from bot.pulse.store import ACTIVE, OFF, PulseTeam


@dataclass(frozen=True)
class Closed:
    """A round closed by a manager: its final numbers, and the outbox rows the close planned."""

    answered: int
    asked: int
    planned: tuple[str, ...]


@dataclass(frozen=True)
class StatusChanged:
    name: str
    already: bool
    closed: Closed | None = None  # `off` closes the open round


def _team_here(session: Session, team_id: str, channel_id: str) -> PulseTeam:
    """The team of the channel the command was typed in, or a refusal saying how to start one."""
    team = pulse_teams.find_team(session, team_id, channel_id)
    if team is None:
        raise NoTeamHere()
    return team


def status_of(
    services: Services, *, team_id: str, channel_id: str, user_id: str
) -> pulse_blocks.TeamStatus:
    with services.database.reading() as session:
        team = _team_here(session, team_id, channel_id)
        schedule = pulse_teams.schedule_of(team)
        open_round = rounds.open_round_of(session, team)
        progress = None
        if open_round is not None:
            answered, asked = rounds.participation(session, open_round)
            progress = (open_round.closes_at, answered, asked)
        return pulse_blocks.TeamStatus(
            name=team.name,
            channel_id=team.channel_id,
            managers=list(team.managers),
            status=team.status,
            schedule=schedules.describe(schedule),
            next_opening=schedules.next_opening(schedule, services.now())
            if team.status == ACTIVE
            else None,
            open_round=progress,
            question_count=_question_count(services, team),
            threshold=team.anonymity_threshold,
            opted_out=user_id in pulse_teams.opted_out(session, team),
            manager_not_asked=user_id in team.managers and not team.managers_answer,
        )


def _question_count(services: Services, team: PulseTeam) -> str:
    default = f"the rotating default, {question_sets.describe_default(services.bank)}"
    if not team.question_ids:
        return default
    if not question_sets.pinned_still_valid(services.bank, team.question_ids):
        return (
            f"{default}, because the {len(team.question_ids)} statements pinned earlier "
            "include some no longer asked: pick a set again in `/lvm pulse setup`"
        )
    return f"{len(team.question_ids)} pinned"


def set_status(
    services: Services, *, team_id: str, channel_id: str, user_id: str, status: str
) -> StatusChanged:
    """A manager pauses, resumes or switches off the pulse; `off` closes the open round."""
    with services.database.transaction() as session:
        team = _team_here(session, team_id, channel_id)
        pulse_teams.require_manager(team, user_id)
        name = team.name
        if team.status == status:
            return StatusChanged(name, already=True)
        pulse_teams.set_status(session, team, status, user_id, services.now())
        open_round = rounds.open_round_of(session, team, to_close=True) if status == OFF else None
        if open_round is None:
            return StatusChanged(name, already=False)
        closed = _close(services, session, open_round)
    automation.forget_write_order(services, [open_round.id])
    return StatusChanged(name, already=False, closed=closed)


def set_opt_out(
    services: Services, *, team_id: str, channel_id: str, user_id: str, out: bool
) -> tuple[str, bool]:
    """Opt this person out of (or back into) the team's pulse; (team name, already so)."""
    with services.database.transaction() as session:
        team = _team_here(session, team_id, channel_id)
        if (user_id in pulse_teams.opted_out(session, team)) == out:
            return team.name, True
        pulse_teams.set_opt_out(session, team, user_id, out)
        return team.name, False


def check_can_start(services: Services, *, team_id: str, channel_id: str, user_id: str) -> None:
    with services.database.reading() as session:
        team = _team_here(session, team_id, channel_id)
        pulse_teams.require_manager(team, user_id)
        if team.status != ACTIVE:
            raise TeamOff(team.status)


def close_early(services: Services, *, team_id: str, channel_id: str, user_id: str) -> Closed:
    """A manager closes the open round now: the same closing, and digests, as the schedule's."""
    with services.database.transaction() as session:
        team = _team_here(session, team_id, channel_id)
        pulse_teams.require_manager(team, user_id)
        open_round = rounds.open_round_of(session, team, to_close=True)
        if open_round is None:
            raise NoOpenRound()
        closed = _close(services, session, open_round)
    automation.forget_write_order(services, [open_round.id])
    return closed


def _close(services: Services, session: Session, open_round: Any) -> Closed:
    automation.close_round_now(services, session, open_round)
    # The final numbers, as stored at the close (and as the digest shows them).
    return Closed(open_round.answered or 0, open_round.asked or 0, outbox.planned_in(session))


def delivery_so_far(services: Services, round_id: int) -> delivery_report.Tally:
    """Who a round asked, and what Slack has delivered of its DMs so far."""
    with services.database.reading() as session:
        return delivery_report.tally(session, round_id)


def check_can_set_up(services: Services, *, team_id: str, channel_id: str, user_id: str) -> None:
    if channel_id.startswith("D"):
        raise PulseRefusal(
            "A pulse belongs to a team's channel. Run `/lvm pulse setup` in that channel."
        )
    with services.database.reading() as session:
        team = pulse_teams.find_team(session, team_id, channel_id)
        if team is not None:
            pulse_teams.require_manager(team, user_id)


def setup_defaults(
    services: Services,
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    channel_name: str | None,
) -> tuple[pulse_blocks.SetupDefaults, set[str]]:
    """What the setup form shows first, and who a round would not ask (opted out, managers)."""
    with services.database.reading() as session:
        team = pulse_teams.find_team(session, team_id, channel_id)
        if team is not None:
            return pulse_blocks.SetupDefaults(
                channel_id=channel_id,
                name=team.name,
                managers=list(team.managers),
                weekday=team.weekday,
                local_time=team.local_time,
                timezone=team.timezone,
                open_days=team.open_days,
                remind_after_hours=team.remind_after_hours,
                question_ids=team.question_ids,
                threshold=team.anonymity_threshold,
                admins_may_view=team.admins_may_view,
                managers_answer=team.managers_answer,
            ), pulse_teams.not_asked(session, team)
    # A new team's only manager is the person setting it up, and nobody opted out yet.
    return pulse_blocks.SetupDefaults(
        channel_id=channel_id,
        name=channel_name or "Our team",
        managers=[user_id],
        timezone=services.directory_for(team_id).timezone_of(user_id) or "UTC",
    ), {user_id}
