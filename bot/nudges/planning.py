"""The clock's side of nudges: each due occurrence becomes one outbox row with a tip."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.nudges import store as nudge_store
from bot.nudges.blocks import channel_nudge_message, person_nudge_message
from bot.nudges.request import FOCUS
from bot.nudges.service import focus_team
from bot.nudges.store import DAILY, PERSON, TipSubscription
from bot.platform import outbox
from bot.platform.local_time import latest_moment, parse_local_time, zone_or_error
from bot.platform.mrkdwn import escape
from bot.platform.services import Services
from bot.summary.build import DEFAULT_WEEKS, build_summary
from bot.tips import service as tips

KIND = "nudge"
# Daily tips skip the weekend.
WORKING_DAYS = frozenset(range(5))


def latest_occurrence(subscription: TipSubscription, now: datetime) -> datetime:
    """The most recent scheduled moment at or before `now`, in the subscription's zone."""
    weekdays = WORKING_DAYS if subscription.cadence == DAILY else {subscription.weekday}
    return latest_moment(
        weekdays,
        parse_local_time(subscription.local_time),
        zone_or_error(subscription.timezone),
        now,
    )


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
            payload=outbox.post_payload(subscription.target_id, message),
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
    """A query for the pool of the subscription's team's focus dimension, and how to
    describe it."""
    team = focus_team(
        session, subscription.team_id, subscription.target_kind, subscription.target_id
    )
    if team is not None:
        summary = build_summary(
            session, services.bank, team, weeks=DEFAULT_WEEKS, now=now, rng=services.rng
        )
        focus = summary.focus
        dimension = services.bank.dimension_by_id.get(focus.dimension_id) if focus else None
        if focus is not None and dimension is not None:
            about = f"{focus.name}, the area {escape(team.name)}'s pulse suggests working on"
            return tips.area_query(dimension), about
    return tips.TipQuery(), "all practices (no pulse results to aim at yet)"
