"""Scheduled tips ("nudges") for a channel or a person: parsing, timing and planning.

`/lvm nudge weekly mon 09:00 delegation` in a channel posts a delegation practice there every
Monday at 09:00; in a DM with the bot it nudges that person. `daily` means working days.
`focus` instead of a topic aims each nudge at the area the pulse suggests working on (the
summary's focus, from shown results only): the channel's team, or the teams a person manages.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session

from bot.bank import Bank
from bot.nudges import store as nudge_store
from bot.nudges.blocks import channel_nudge_message, person_nudge_message
from bot.nudges.store import CHANNEL, DAILY, PERSON, WEEKLY, TipSubscription
from bot.platform import outbox
from bot.platform.local_time import WEEKDAYS, latest_moment, parse_local_time, zone_or_error
from bot.platform.mrkdwn import escape
from bot.platform.refusals import NotTheChannelsNudgeManager, PulseRefusal
from bot.platform.services import Services
from bot.platform.subcommands import closest_name
from bot.pulse.store import PulseTeam
from bot.pulse.teams import find_team, teams_managed_by
from bot.summary.build import DEFAULT_WEEKS, build_summary
from bot.tips import service as tips

logger = logging.getLogger(__name__)

KIND = "nudge"
FOCUS = "focus"
ACCEPTED_FORMS = (
    "`/lvm nudge weekly mon 09:00 [leadership | management | topic | focus]` (or `monday 9am`), "
    "`/lvm nudge daily 09:00 [leadership | management | topic | focus]` (working days), "
    "`/lvm nudge` to see it, `/lvm nudge off` to stop"
)


# A query longer than this matches nothing (every word must appear in one practice), and its
# description would push the confirmation and each post past Slack's 3,000 characters.
MAX_QUERY_CHARACTERS = 100
DAILY_WORDS = frozenset({"daily", "weekdays", "workdays", "weekday", "workday"})
# `every day`, `every weekday`, `every working day`: the words after "every" that mean daily.
EVERY_DAY_WORDS = frozenset({"day", "weekday", "workday", "working"})
SPOKEN_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?(am|pm|a\.m\.|p\.m\.)?$")
COMPACT_TIME = re.compile(r"^(\d{2})(\d{2})$")

# Daily tips skip the weekend.
WORKING_DAYS = frozenset(range(5))


class NudgeFormError(ValueError):
    def __init__(self, problem: str, *, with_forms: bool = True) -> None:
        super().__init__(f"{problem} Accepted forms: {ACCEPTED_FORMS}." if with_forms else problem)


@dataclass(frozen=True)
class NudgeRequest:
    cadence: str
    weekday: int | None
    at: time
    query: str


def weekday_of(word: str) -> int | None:
    """`mon`, `Monday`, `mondays`, `tues`, `thurs`: the weekday a word names, if it names one."""
    stem = word.lower().rstrip(".,")
    stem = stem[:-1] if stem.endswith("s") and len(stem) > 4 else stem
    if len(stem) < 3:
        return None
    for index, name in enumerate(WEEKDAYS):
        if name.lower().startswith(stem):
            return index
    return None


def read_time(words: list[str]) -> tuple[time, int]:
    """A time of day as people type it, and how many words it took.

    `09:00`, `9:30`, `17.45`, `9am`, `9 am`, `9:30pm`, `0900`, `noon`, or a bare hour (`9`).
    """
    if not words:
        raise NudgeFormError("It needs a time, like `09:00` or `9am`.")
    word = words[0].lower()
    used = 1
    if len(words) > 1 and words[1].lower() in ("am", "pm", "a.m.", "p.m."):
        word, used = word + words[1].lower(), 2
    if word in ("noon", "midday"):
        return time(12, 0), used
    found = SPOKEN_TIME.match(word) or COMPACT_TIME.match(word)
    if found:
        hours, minutes = int(found.group(1)), int(found.group(2) or 0)
        half = found.group(3) if found.re is SPOKEN_TIME else None
        if half and 1 <= hours <= 12:
            hours = hours % 12 + (12 if half.startswith("p") else 0)
        elif half:
            hours = 24  # `13pm` is no time of day
        if hours < 24 and minutes < 60:
            return time(hours, minutes), used
    raise NudgeFormError(f"`{words[0][:10]}` is not a time of day: use `09:00`, `9am` or `17:30`.")


def _read_cadence(words: list[str]) -> tuple[str, int | None, list[str]]:
    """The cadence and weekday at the start of `words`, and the words after them."""
    first = words[0].lower() if words else ""
    if first == "every" and len(words) > 1:
        if words[1].lower() in EVERY_DAY_WORDS:
            rest = words[2:]
            if words[1].lower() == "working" and rest and rest[0].lower() == "day":
                rest = rest[1:]
            return DAILY, None, rest
        words, first = words[1:], words[1].lower()
    if first in DAILY_WORDS:
        return DAILY, None, words[1:]
    if first == WEEKLY:
        rest = words[1:]
        if rest and rest[0].lower() == "on":
            rest = rest[1:]
        weekday = weekday_of(rest[0]) if rest else None
        if weekday is None:
            raise NudgeFormError("A weekly nudge needs a day, like `mon` or `friday`.")
        return WEEKLY, weekday, rest[1:]
    weekday = weekday_of(first) if first else None
    if weekday is not None:  # `/lvm nudge monday 9am` means weekly
        return WEEKLY, weekday, words[1:]
    meant = closest_name(first, (DAILY, WEEKLY)) if first else None
    hint = f" Did you mean `{meant}`?" if meant else ""
    raise NudgeFormError(f"I can't read `{' '.join(words)[:60]}` as a schedule.{hint}")


def parse_request(args: str, bank: Bank) -> NudgeRequest:
    """A schedule, then a time, then what to send: `weekly mon 09:00 delegation`,
    `monday 9am`, `every weekday 8:30 leadership`. Anything else explains the forms."""
    cadence, weekday, rest = _read_cadence(args.split())
    if rest and rest[0].lower() == "at":
        rest = rest[1:]
    at, used = read_time(rest)
    query = " ".join(rest[used:])
    if len(query) > MAX_QUERY_CHARACTERS:
        raise NudgeFormError(
            f"What to send is {len(query):,} characters long; keep it to a topic, `leadership`, "
            f"`management`, `focus` or a few words (up to {MAX_QUERY_CHARACTERS} characters). "
            "`/lvm topics` lists the topics.",
            with_forms=False,
        )
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


def latest_occurrence(subscription: TipSubscription, now: datetime) -> datetime:
    """The most recent scheduled moment at or before `now`, in the subscription's zone."""
    weekdays = WORKING_DAYS if subscription.cadence == DAILY else {subscription.weekday}
    return latest_moment(
        weekdays,
        parse_local_time(subscription.local_time),
        zone_or_error(subscription.timezone),
        now,
    )


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
