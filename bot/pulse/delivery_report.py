"""What a team's managers are told about a round reaching its people.

Two things can keep a person from being asked, and the managers hear about both:
- Slack would not look a channel member up (a guest from another organization, say): that
  member is skipped and the managers get one DM naming who (again only if the set changes,
  or after the outbox's retention has passed);
- a DM could not be delivered (deactivated account, DMs closed, the app's token revoked...):
  once every DM of the round has an outcome, the managers get one DM saying how many were
  delivered, and who was not reached and why.

Both are outbox rows with dedupe keys, so any number of clocks plan each one once. The tally
reads the round's own outbox rows (`pulse.dm:<round>:<person>`): who was asked and whether
the message reached them, never whether or what they answered.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.platform import notices, outbox
from bot.platform.mrkdwn import escape
from bot.platform.outbox import OutboxMessage
from bot.pulse.blocks import slack_date
from bot.pulse.store import OPEN, PulseRound, PulseTeam

DM = "pulse.dm"  # the round's question DMs (bot.pulse.automation plans them)
UNREACHABLE = "pulse.unreachable"
DELIVERY = "pulse.delivery"

# Why a DM was not delivered, by Slack's error code, in words a manager can act on.
REASONS = {
    "user_disabled": "their account is deactivated",
    "account_inactive": "their account is deactivated",
    "user_not_found": "Slack could not find them",
    "users_not_found": "Slack could not find them",
    "channel_not_found": "Slack would not open a DM with them",
    "is_archived": "their DM with lvm is archived",
    "messages_tab_disabled": "they have turned off messages from apps",
    "cannot_dm_bot": "they are a bot",
    "restricted_action": "a workspace setting stops lvm from messaging them",
}
TOKEN_ERRORS = frozenset(
    {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive_token"}
)
TOKEN_REASON = "Slack refused lvm's token (the app may have been removed or needs reinstalling)"
SHOWN = 20  # people named in one message at most; the rest are counted
# How far back to look for failed question DMs: longer than any round stays open.
FAILURES_LOOKBACK = timedelta(days=14)


@dataclass(frozen=True)
class Tally:
    """How a round's question DMs went, from the outbox."""

    asked: int
    delivered: int
    pending: int
    failed: list[tuple[str, str]] = field(default_factory=list)  # (person, reason)

    @property
    def settled(self) -> bool:
        return self.pending == 0


def reason_of(last_error: str | None) -> str:
    code = (last_error or "").split(" ", 1)[0].rstrip(";")
    if code in TOKEN_ERRORS:
        return TOKEN_REASON
    if code in REASONS:
        return REASONS[code]
    return f"Slack kept answering `{code or 'no answer'}`"


def tally(session: Session, round_id: int) -> Tally:
    rows = session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key.like(f"{DM}:{round_id}:%"))
    ).all()
    delivered = sum(1 for row in rows if row.status == outbox.SENT)
    failed = [
        (str(row.args.get("channel")), reason_of(row.last_error))
        for row in rows
        if row.status == outbox.FAILED
    ]
    return Tally(len(rows), delivered, len(rows) - delivered - len(failed), failed)


def people_text(user_ids: list[str]) -> str:
    named = ", ".join(f"<@{user_id}>" for user_id in user_ids[:SHOWN])
    more = len(user_ids) - SHOWN
    return f"{named} and {more} more" if more > 0 else named


def failures_text(failed: list[tuple[str, str]]) -> str:
    by_reason: dict[str, list[str]] = {}
    for user_id, reason in failed:
        by_reason.setdefault(reason, []).append(user_id)
    return "; ".join(f"{people_text(users)}: {reason}" for reason, users in by_reason.items())


def unreachable_text(team_name: str, channel_id: str, unreachable: list[str]) -> str:
    count = len(unreachable)
    who = "member" if count == 1 else "members"
    return (
        f":bust_in_silhouette: {count} {who} of <#{channel_id}> ({people_text(unreachable)}) "
        f"could not be looked up in Slack (often a guest from another organization), so the "
        f"*{escape(team_name)}* pulse does not ask them. Everyone else is asked as usual. If "
        "they should take part, ask your Slack admin to make them a full member of the workspace."
    )


def delivery_text(team_name: str, opened: datetime, result: Tally) -> str:
    lines = [
        f":incoming_envelope: *{escape(team_name)}*, the round that opened "
        f"{slack_date(opened)}: the questions reached "
        f"{result.delivered} of {result.asked} people."
    ]
    if result.failed:
        lines.append(f"Not delivered to {len(result.failed)}: {failures_text(result.failed)}.")
        if any(reason == TOKEN_REASON for _, reason in result.failed):
            lines.append("Ask whoever runs lvm to check its Slack token, then reinstall the app.")
        else:
            lines.append("They were not asked this week; everyone else can answer as usual.")
    return "\n".join(lines)


def plan_unreachable_notice(
    session: Session, team: PulseTeam, unreachable: list[str], now: datetime
) -> int:
    """Tell the managers who could not be looked up; once for the same people."""
    if not unreachable:
        return 0
    people = hashlib.sha256(",".join(sorted(unreachable)).encode()).hexdigest()[:16]
    message = notices.notice(unreachable_text(team.name, team.channel_id, unreachable))
    return sum(
        outbox.enqueue(
            session,
            team_id=team.team_id,
            dedupe_key=f"{UNREACHABLE}:{team.id}:{people}:{manager}",
            kind=UNREACHABLE,
            payload=outbox.post_payload(manager, message),
            due_at=now,
            now=now,
        )
        for manager in team.managers
    )


def plan_delivery_reports(session: Session, now: datetime) -> int:
    """For open rounds whose DMs all have an outcome and some failed: tell the managers.

    Runs on every tick, so it starts from the few failed question DMs of the last weeks
    (through the outbox's status index), not from every open round.
    """
    planned = 0
    for pulse_round in _open_rounds_with_failures(session, now):
        team = session.get(PulseTeam, pulse_round.pulse_team_id)
        if team is None or not team.managers:
            continue
        keys = [f"{DELIVERY}:{pulse_round.id}:{manager}" for manager in team.managers]
        if all(outbox.find(session, key) is not None for key in keys):
            continue  # told already
        result = tally(session, pulse_round.id)
        if not result.settled:
            continue
        message = notices.notice(delivery_text(team.name, pulse_round.opens_at, result))
        for manager, key in zip(team.managers, keys, strict=True):
            planned += outbox.enqueue(
                session,
                team_id=team.team_id,
                dedupe_key=key,
                kind=DELIVERY,
                payload=outbox.post_payload(manager, message),
                due_at=now,
                now=now,
            )
    return planned


def _open_rounds_with_failures(session: Session, now: datetime) -> list[PulseRound]:
    keys = session.scalars(
        select(OutboxMessage.dedupe_key).where(
            OutboxMessage.status == outbox.FAILED,
            OutboxMessage.due_at >= now - FAILURES_LOOKBACK,
            OutboxMessage.kind == DM,
        )
    )
    round_ids = {int(part) for part in (key.split(":")[1] for key in keys) if part.isdigit()}
    if not round_ids:
        return []
    return list(
        session.scalars(
            select(PulseRound).where(
                PulseRound.id.in_(sorted(round_ids)), PulseRound.status == OPEN
            )
        )
    )
