"""Pulse work that sends messages: opening rounds, reminding, closing.

The clock and the slash commands call the same functions, so a manager's `/lvm pulse start`
does exactly what the schedule does. Each planned message is an outbox row with a dedupe key
(round, person, kind): however many clocks run, or however often a tick repeats, a person
gets each message once.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.platform import outbox
from bot.platform.delivery import OnSent
from bot.platform.directory import ChannelMembers, Directory, is_transient
from bot.platform.refusals import ChannelUnreadable, PulseRefusal
from bot.platform.services import Services
from bot.platform.workspaces import NotInstalled
from bot.pulse import delivery_report, rounds
from bot.pulse.anonymity import respondent_key
from bot.pulse.blocks import PulseDm, pulse_dm
from bot.pulse.closed_dms import on_dm_sent, plan_closed_dms
from bot.pulse.schedule import next_opening, period_of, window_from
from bot.pulse.store import PulseRound, PulseTeam
from bot.pulse.teams import find_team, lock_team, schedule_of

logger = logging.getLogger(__name__)

# Missed openings already logged by this process (per database, team and week), so a
# week-long gap is reported once rather than on every tick.
_reported_missed: set[tuple[str, int, str]] = set()

DM = "pulse.dm"
REMINDER = "pulse.reminder"


@dataclass(frozen=True)
class RoundOpened:
    round_id: int
    period: str
    closes_at: datetime
    recipients: int
    unreachable: list[str] = field(default_factory=list)  # members Slack would not look up
    # Started by hand: closing early so next week's scheduled round still opens at this time.
    gives_way_to: datetime | None = None
    # Started by hand before this week's scheduled opening, which it stands in for.
    stands_in_for: datetime | None = None
    # The outbox rows the opening planned (its DMs), for `/lvm pulse start` to send at once.
    planned: tuple[str, ...] = ()


def _enqueue_dm(
    services: Services,
    session: Session,
    team: PulseTeam,
    pulse_round: PulseRound,
    user_id: str,
    *,
    kind: str,
    now: datetime,
) -> bool:
    message = pulse_dm(PulseDm.of(services.bank, team, pulse_round, reminder=kind == REMINDER))
    reminder = kind == REMINDER
    person = reminder_key(services.secret, pulse_round, user_id) if reminder else user_id
    return outbox.enqueue(
        session,
        team_id=team.team_id,
        dedupe_key=f"{kind}:{pulse_round.id}:{person}",
        kind=kind,
        payload=outbox.post_payload(user_id, message),
        due_at=now,
        now=now,
        private=reminder,
    )


def reminder_key(secret: str, pulse_round: PulseRound, user_id: str) -> str:
    """Who a reminder is for, as only the server can tell: not the respondent key itself,
    which would join the reminder to that person's answers."""
    return respondent_key(secret, pulse_round.team_id, pulse_round.id, f"reminder:{user_id}")


def open_round_now(
    services: Services,
    directory: Directory,
    *,
    team_id: str,
    channel_id: str,
    opened_by: str = rounds.SCHEDULE,
) -> RoundOpened:
    """Open the team's round now and plan its DMs; refusals raise PulseRefusal."""
    members = _read_members(directory, channel_id)  # Slack reads stay outside the transaction
    now = services.now()
    with services.database.transaction() as session:
        team = find_team(session, team_id, channel_id)
        if team is None:
            raise PulseRefusal("This channel has no pulse yet. Set one up with `/lvm pulse setup`.")
        lock_team(session, team)  # two starts at once: the second finds the round open
        opened = rounds.open_round(
            session, services.bank, team, members=members.people, now=now, opened_by=opened_by
        )
        for step in services.round_open_steps:  # e.g. a commitment's one-off statement
            step(services, session, team, opened.round, now)
        for user_id in opened.recipients:
            _enqueue_dm(services, session, team, opened.round, user_id, kind=DM, now=now)
        delivery_report.plan_unreachable_notice(session, team, members.unreachable, now)
        pulse_round = opened.round
        schedule = schedule_of(team)
        usual = window_from(now, schedule).closes_at
        upcoming = next_opening(schedule, now)
        manual = opened_by != rounds.SCHEDULE
        return RoundOpened(
            pulse_round.id,
            pulse_round.period,
            pulse_round.closes_at,
            len(opened.recipients),
            members.unreachable,
            gives_way_to=pulse_round.closes_at
            if manual and pulse_round.closes_at < usual
            else None,
            stands_in_for=upcoming
            if manual and period_of(upcoming, schedule.zone) == pulse_round.period
            else None,
            planned=outbox.planned_in(session),
        )


def _read_members(directory: Directory, channel_id: str) -> ChannelMembers:
    try:
        return directory.members_of(channel_id)
    except SlackApiError as error:
        raise ChannelUnreadable(
            str(error.response.get("error") or "no answer"), transient=is_transient(error)
        ) from error
    except OSError as error:  # the connection failed, after the client's own retries
        raise ChannelUnreadable("no answer", transient=True) from error


def open_due_rounds(services: Services, now: datetime) -> int:
    """Open every scheduled round that is due (within the grace window)."""
    # After downtime, a round that fell due within the grace window still opens; older ones
    # are skipped (and logged), never sent late in a burst.
    grace = timedelta(hours=services.settings.LVM_GRACE_HOURS)
    with services.database.transaction() as session:
        openings = rounds.teams_due_to_open(session, now, grace)
        due = [(team.team_id, team.channel_id) for team in openings.due]
        for team, period in openings.missed:
            memo = (services.database.display_url(), team.id, period)
            if memo not in _reported_missed:
                _reported_missed.add(memo)
                logger.warning(
                    "skipped the %s pulse round for %s (%s/%s): it fell due more than %s ago",
                    period,
                    team.name,
                    team.team_id,
                    team.channel_id,
                    grace,
                )
    opened = 0
    for team_id, channel_id in due:
        try:
            open_round_now(
                services, services.directory_for(team_id), team_id=team_id, channel_id=channel_id
            )
            opened += 1
        except ChannelUnreadable as reason:
            # Nothing was opened, so the next tick tries again (within the grace window).
            logger.warning(
                "pulse round for %s/%s not opened: Slack error %s while reading the channel",
                team_id,
                channel_id,
                reason.code,
            )
        except (PulseRefusal, IntegrityError, NotInstalled) as reason:
            # Another clock opened it first, the team changed meanwhile, or lvm was removed
            # from the workspace: nothing to do.
            logger.info("pulse round for %s/%s not opened: %s", team_id, channel_id, reason)
        except Exception:
            logger.exception("opening the pulse round for %s/%s failed", team_id, channel_id)
    return opened


def plan_reminders(services: Services, now: datetime) -> int:
    """One reminder to each person who has not answered, planned once however many clocks run.

    The outbox row names its recipient only until it is sent: its key is an HMAC under the
    secret (`reminder_key`), and its payload is forgotten once it has gone (`private`), so
    the outbox does not keep, for 30 days, a list of who had not answered by then.
    """
    planned = 0
    with services.database.transaction() as session:
        for pulse_round, quiet in rounds.take_due_reminders(
            session, secret=services.secret, now=now
        ):
            team = session.get(PulseTeam, pulse_round.pulse_team_id)
            assert team is not None
            for user_id in quiet:
                planned += _enqueue_dm(
                    services, session, team, pulse_round, user_id, kind=REMINDER, now=now
                )
    return planned


def report_deliveries(services: Services, now: datetime) -> int:
    """Once a round's DMs all have an outcome, tell its managers which did not arrive."""
    with services.database.transaction() as session:
        return delivery_report.plan_delivery_reports(session, now)


# Rounds closed per transaction. A round's close (its totals, digests and closed DMs) takes
# tens of milliseconds, holding SQLite's one write lock: 300 rounds due at the same tick,
# closed in one transaction, held up every answer for seconds (bench/closing_load.py).
CLOSE_BATCH = 1


def close_due_rounds(services: Services, now: datetime) -> int:
    """Close every due round, each in a transaction of its own."""
    closed_count = 0
    while True:
        started = time.monotonic()
        with services.database.transaction() as session:
            closed = rounds.take_due_closings(session, now, limit=CLOSE_BATCH)
            _finish_closing(services, session, closed, now)
            round_ids = [pulse_round.id for pulse_round in closed]
        forget_write_order(services, round_ids)
        closed_count += len(round_ids)
        if len(round_ids) < CLOSE_BATCH:
            return closed_count
        if services.database.is_sqlite:
            # Leave the write lock free for as long as this close held it, so answers waiting
            # on SQLite's busy handler (in this process or another) get in between closes.
            time.sleep(time.monotonic() - started)


def forget_write_order(services: Services, round_ids: list[int]) -> None:
    """Rewrite closed rounds' answers in key order, in a transaction that writes nothing
    else (`rounds.forget_write_order`): its xmin then joins them to nothing either."""
    if not round_ids:
        return
    try:
        with services.database.transaction() as session:
            rounds.forget_write_order(session, round_ids)
    except Exception:  # the rounds are closed and their totals final whatever happens here
        logger.exception("rewriting the answers of closed rounds %s failed", round_ids)


def close_round_now(services: Services, session: Session, pulse_round: PulseRound) -> None:
    """A manager's early close: the same closing, and the same digests, as the schedule's.

    The caller found the round with `rounds.open_round_of(..., to_close=True)`: it holds
    the round's lock, so no answer commits into it once this transaction has. After the
    commit the caller calls `forget_write_order`.
    """
    now = services.now()
    rounds.close_round(session, pulse_round, now)
    _finish_closing(services, session, [pulse_round], now)


def _finish_closing(
    services: Services, session: Session, closed: list[PulseRound], now: datetime
) -> None:
    """Let the other features act on the closed rounds (the summary stores their final
    totals and plans digests that read exactly those), then plan the closed DMs' rewrite."""
    session.flush()
    for step in services.round_close_steps:
        step(services, session, closed, now)
    plan_closed_dms(services.bank, session, closed, now)


def on_sent_hooks(services: Services) -> dict[str, OnSent]:
    """What to do once a pulse DM is sent: rewrite it if its round has closed. Reminders
    have no hook: rewriting one would name, in the outbox, who had not answered."""
    return {DM: on_dm_sent(services.bank, services.now)}


# Closing first: a round started by hand closes at the moment next week's round opens
# (schedule.before_next_week), and an open round would keep that one from opening.
WORK_KINDS = (close_due_rounds, open_due_rounds, report_deliveries, plan_reminders)
