"""Scheduled tips ("nudges") for a channel or a person: parsing, timing and planning.

`/lvm nudge weekly mon 09:00 delegation` in a channel posts a delegation practice there every
Monday at 09:00; in a DM with the bot it nudges that person. `daily` means working days.
`focus` instead of a topic aims each nudge at the area the pulse suggests working on (the
summary's focus, from shown results only): the channel's team, or the teams a person manages.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session

from bot import tips
from bot.bank import Bank
from bot.blocks.mrkdwn import escape
from bot.blocks.nudge import channel_nudge_message, person_nudge_message
from bot.local_time import WEEKDAYS, ScheduleError, local_moment, parse_local_time, zone_or_error
from bot.pulse.refusals import PulseRefusal
from bot.pulse.teams import find_team, require_manager, teams_managed_by
from bot.services import Services
from bot.store import nudges as nudge_store
from bot.store import outbox
from bot.store.nudges import CHANNEL, DAILY, PERSON, WEEKLY, TipSubscription
from bot.store.pulse import PulseTeam
from bot.summary.build import DEFAULT_WEEKS, build_summary

logger = logging.getLogger(__name__)

KIND = "nudge"
DAY_WORDS = {name[:3].lower(): index for index, name in enumerate(WEEKDAYS)}
FOCUS = "focus"
ACCEPTED_FORMS = (
    "`/lvm nudge weekly mon 09:00 [leadership | management | topic | focus]`, "
    "`/lvm nudge daily 09:00 [leadership | management | topic | focus]` (working days), "
    "`/lvm nudge` to see it, `/lvm nudge off` to stop"
)


class NudgeFormError(ValueError):
    def __init__(self, problem: str) -> None:
        super().__init__(f"{problem} Accepted forms: {ACCEPTED_FORMS}.")


@dataclass(frozen=True)
class NudgeRequest:
    cadence: str
    weekday: int | None
    at: time
    query: str


def parse_request(args: str, bank: Bank) -> NudgeRequest:
    """`weekly mon 09:00 [query]` or `daily 09:00 [query]`; anything else explains the forms."""
    words = args.split()
    if not words or words[0].lower() not in (DAILY, WEEKLY):
        raise NudgeFormError(f"I can't read `{args[:60]}` as a schedule.")
    cadence = words[0].lower()
    rest = words[1:]
    weekday = None
    if cadence == WEEKLY:
        if not rest or rest[0][:3].lower() not in DAY_WORDS:
            raise NudgeFormError("A weekly nudge needs a day, like `mon` or `friday`.")
        weekday = DAY_WORDS[rest[0][:3].lower()]
        rest = rest[1:]
    if not rest:
        raise NudgeFormError("It needs a time, like `09:00`.")
    try:
        at = parse_local_time(rest[0])
    except ScheduleError:
        raise NudgeFormError(
            f"`{rest[0][:10]}` is not a time of day (use 24-hour HH:MM)."
        ) from None
    query = " ".join(rest[1:])
    if query.lower() == FOCUS:
        return NudgeRequest(cadence, weekday, at, FOCUS)
    found = tips.read_query(bank, query)
    if isinstance(found, tips.NoMatch):
        close = ", ".join(t.id for t in found.suggestions) or "see `/lvm topics`"
        raise NudgeFormError(f'No practice matches "{query[:60]}" (closest: {close}).')
    return NudgeRequest(cadence, weekday, at, query)


def describe(subscription: TipSubscription) -> str:
    when = (
        f"every {WEEKDAYS[subscription.weekday]}"
        if subscription.cadence == WEEKLY and subscription.weekday is not None
        else "every working day"
    )
    if subscription.query == FOCUS:
        about = ", aimed at the area the pulse suggests working on"
    else:
        about = f" on {subscription.query}" if subscription.query else ""
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
    require_manager(team, actor)


def latest_occurrence(subscription: TipSubscription, now: datetime) -> datetime:
    """The most recent scheduled moment at or before `now`, in the subscription's zone."""
    zone = zone_or_error(subscription.timezone)
    at = parse_local_time(subscription.local_time)
    today = now.astimezone(zone).date()
    for back in range(0, 8):
        day = today - timedelta(days=back)
        if subscription.cadence == WEEKLY and day.weekday() != subscription.weekday:
            continue
        if subscription.cadence == DAILY and day.weekday() >= 5:
            continue
        moment = local_moment(day, at, zone)
        if moment <= now:
            return moment
    raise AssertionError("a weekly schedule repeats within eight days")


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
) -> TipSubscription:
    """Create or replace the target's subscription."""
    zone_or_error(timezone)
    if request.query == FOCUS:
        check_focus(session, team_id, target_kind, target_id, actor)
    subscription = nudge_store.find(session, team_id, target_id)
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
    return subscription


def stop(session: Session, team_id: str, target_id: str) -> bool:
    subscription = nudge_store.find(session, team_id, target_id)
    if subscription is None or not subscription.active:
        return False
    subscription.active = False
    return True


def dedupe_key(subscription: TipSubscription, occurrence: datetime) -> str:
    return f"{KIND}:{subscription.team_id}:{subscription.id}:{occurrence:%Y%m%dT%H%M}"


def plan_nudges(services: Services, now: datetime) -> int:
    """Turn every due nudge (within the grace window) into one outbox row."""
    grace = timedelta(hours=services.settings.LVM_GRACE_HOURS)
    planned = 0
    with services.database.transaction() as session:
        for subscription in nudge_store.active(session):
            occurrence = latest_occurrence(subscription, now)
            if occurrence < subscription.created_at or now - occurrence > grace:
                continue
            key = dedupe_key(subscription, occurrence)
            if outbox.find(session, key) is not None:
                continue
            planned += _plan_one(services, session, subscription, key, now)
    return planned


def _plan_one(
    services: Services, session: Session, subscription: TipSubscription, key: str, now: datetime
) -> int:
    if subscription.query == FOCUS:
        query, about = _focus_query(services, session, subscription, now)
    else:
        found = tips.read_query(services.bank, subscription.query)
        # A NoMatch: the bank changed under a saved query.
        query = found if isinstance(found, tips.TipQuery) else tips.TipQuery()
        about = query.describe(services.bank)
    # A savepoint, so that if another clock planned this occurrence first, the pick and its
    # "shown" record are undone with the insert that lost.
    with session.begin_nested() as savepoint:
        practice = tips.choose_tip(
            session,
            services.bank,
            team_id=subscription.team_id,
            user_id=subscription.target_id,
            query=query,
            now=now,
            rng=services.rng,
        )
        message = (
            person_nudge_message(practice, services.bank, query.text, about)
            if subscription.target_kind == PERSON
            else channel_nudge_message(practice, services.bank, about)
        )
        added = outbox.enqueue(
            session,
            team_id=subscription.team_id,
            dedupe_key=key,
            kind=KIND,
            payload={
                "method": "chat.postMessage",
                "args": {"channel": subscription.target_id, **message},
            },
            due_at=now,
            now=now,
        )
        if not added:
            savepoint.rollback()
            return 0
    return 1


def _focus_query(
    services: Services, session: Session, subscription: TipSubscription, now: datetime
) -> tuple[tips.TipQuery, str]:
    """A query for the focus topic of the subscription's team, and how to describe it."""
    team = focus_team(
        session, subscription.team_id, subscription.target_kind, subscription.target_id
    )
    if team is not None:
        summary = build_summary(
            session, services.bank, team, weeks=DEFAULT_WEEKS, now=now, rng=services.rng
        )
        focus = summary.focus
        topic = services.bank.topic_by_id.get(focus.topic_id) if focus is not None else None
        if focus is not None and topic is not None:
            about = f"{focus.name}, the area {escape(team.name)}'s pulse suggests working on"
            return tips.TipQuery(text=topic.id, topic=topic), about
    return tips.TipQuery(), "all practices (no pulse results to aim at yet)"


__all__ = ["CHANNEL", "FOCUS", "PERSON", "NudgeFormError", "NudgeRequest", "plan_nudges"]
