"""Scheduled tips ("nudges") for a channel or a person: who may set them, saving, stopping.

`/lvm nudge weekly mon 09:00 delegation` in a channel posts a delegation practice there every
Monday at 09:00; in a DM with the bot it nudges that person. `focus` instead of a topic aims
each nudge at the area the pulse suggests working on (the summary's focus, from shown results
only): the channel's team, or the teams a person manages. The clock's side is
bot/nudges/planning.py; reading the typed schedule, bot/nudges/request.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.nudges import store as nudge_store
from bot.nudges.request import FOCUS, MAX_QUERY_CHARACTERS, NudgeRequest
from bot.nudges.store import CHANNEL, WEEKLY, TipSubscription
from bot.platform.local_time import WEEKDAYS, zone_or_error
from bot.platform.mrkdwn import escape
from bot.platform.refusals import NotTheChannelsNudgeManager, PulseRefusal
from bot.platform.services import Services
from bot.pulse.store import PulseTeam
from bot.pulse.teams import find_team, teams_managed_by


def describe(subscription: TipSubscription) -> str:
    when = (
        f"every {WEEKDAYS[subscription.weekday]}"
        if subscription.cadence == WEEKLY and subscription.weekday is not None
        else "every working day"
    )
    if subscription.query == FOCUS:
        about = ", aimed at the area the pulse suggests working on"
    else:
        # Queries saved before MAX_QUERY_CHARACTERS may be long: show their start.
        query = subscription.query[:MAX_QUERY_CHARACTERS]
        about = f" on {escape(query)}" if query else ""
    return f"{when} at {subscription.local_time} ({subscription.timezone}){about}"


def focus_team(
    session: Session, team_id: str, target_kind: str, target_id: str
) -> PulseTeam | None:
    """The pulse team a focus nudge aims at: the channel's, or the first a person manages."""
    if target_kind == CHANNEL:
        return find_team(session, team_id, target_id)
    managed = teams_managed_by(session, team_id, target_id)
    return managed[0] if managed else None


def check_focus(
    session: Session, team_id: str, target_kind: str, target_id: str, actor: str
) -> None:
    """Focus nudges show a team's results' direction, so only its managers set them up."""
    team = focus_team(session, team_id, target_kind, target_id)
    if team is None:
        raise PulseRefusal(
            "A `focus` nudge aims at the area a pulse suggests working on, and "
            + (
                "this channel has no pulse yet: set one up with `/lvm pulse setup`."
                if target_kind == CHANNEL
                else "you manage no pulse team yet. Pick a topic instead (`/lvm topics`)."
            )
        )
    if actor not in team.managers:
        raise NotTheChannelsNudgeManager(team.managers, focus=True)


def check_may_change(
    session: Session, team_id: str, target_kind: str, target_id: str, actor: str
) -> None:
    """A pulse team's channel has its scheduled tips set by the team's managers: anyone else
    could otherwise stop them, or replace them without a word. Other channels stay open."""
    if target_kind != CHANNEL:
        return
    team = find_team(session, team_id, target_id)
    if team is not None and actor not in team.managers:
        raise NotTheChannelsNudgeManager(team.managers)


def save(
    session: Session,
    *,
    team_id: str,
    target_kind: str,
    target_id: str,
    request: NudgeRequest,
    timezone: str,
    actor: str,
    now: datetime,
) -> tuple[TipSubscription, str | None]:
    """Create or replace the target's subscription; returns it, and a description of the
    active one it replaced (None if there was none)."""
    zone_or_error(timezone)
    if request.query == FOCUS:
        check_focus(session, team_id, target_kind, target_id, actor)
    check_may_change(session, team_id, target_kind, target_id, actor)
    subscription = nudge_store.find(session, team_id, target_id)
    replaced = describe(subscription) if subscription is not None and subscription.active else None
    if subscription is None:
        subscription = TipSubscription(team_id=team_id, target_id=target_id)
        session.add(subscription)
    subscription.target_kind = target_kind
    subscription.cadence = request.cadence
    subscription.weekday = request.weekday
    subscription.local_time = f"{request.at:%H:%M}"
    subscription.timezone = timezone
    subscription.query = request.query
    subscription.active = True
    subscription.created_by = actor
    # Counting from now means a new schedule never owes a nudge from before it existed.
    subscription.created_at = now
    session.flush()
    return subscription, replaced


def stop(session: Session, team_id: str, target_kind: str, target_id: str, actor: str) -> bool:
    check_may_change(session, team_id, target_kind, target_id, actor)
    subscription = nudge_store.find(session, team_id, target_id)
    if subscription is None or not subscription.active:
        return False
    subscription.active = False
    return True


def schedule_of(services: Services, team_id: str, target_id: str) -> str | None:
    """The target's active schedule, described; None when it has none."""
    with services.database.reading() as session:
        subscription = nudge_store.find(session, team_id, target_id)
        return describe(subscription) if subscription is not None and subscription.active else None


def stop_schedule(
    services: Services, *, team_id: str, target_kind: str, target_id: str, actor: str
) -> bool:
    """`/lvm nudge off`: True if there was a schedule to stop."""
    with services.database.transaction() as session:
        return stop(session, team_id, target_kind, target_id, actor)


def check_request(
    services: Services,
    *,
    team_id: str,
    target_kind: str,
    target_id: str,
    actor: str,
    request: NudgeRequest,
) -> None:
    """Refuse, before the ack, a schedule this person may not set here."""
    with services.database.reading() as session:
        if request.query == FOCUS:
            check_focus(session, team_id, target_kind, target_id, actor)
        check_may_change(session, team_id, target_kind, target_id, actor)


def save_schedule(
    services: Services,
    *,
    team_id: str,
    target_kind: str,
    target_id: str,
    request: NudgeRequest,
    timezone: str,
    actor: str,
) -> tuple[str, str | None]:
    """Save the schedule; returns it described, and the one it replaced (None if none)."""
    with services.database.transaction() as session:
        subscription, replaced = save(
            session,
            team_id=team_id,
            target_kind=target_kind,
            target_id=target_id,
            request=request,
            timezone=timezone,
            actor=actor,
            now=services.now(),
        )
        return describe(subscription), replaced
