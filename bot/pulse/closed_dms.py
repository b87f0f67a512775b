"""When a round closes, every pulse DM of it is rewritten as closed.

Each rewrite is an outbox row (`chat.update` of the DM's channel and ts, which the outbox
recorded when the DM was sent), so it is durable, sent once and paced like any other message.
A DM still unsent when its round closes is rewritten by the on-sent hook once it goes out.
The rewrite shows no answers: outbox rows name the person's DM, so they must not hold what
the person said. Reminders are not rewritten: a rewrite row would name the reminded person's
DM, and so who had not answered by then (docs/privacy.md). A reminder's buttons still answer
"this round has closed".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.bank import Bank
from bot.platform import outbox
from bot.platform.delivery import OnSent
from bot.platform.messages import Message
from bot.platform.outbox import SENT, OutboxMessage
from bot.pulse.blocks import PulseDm, pulse_dm
from bot.pulse.store import CLOSED, PulseRecipient, PulseRound, PulseTeam

KIND = "pulse.closed_dm"
# The first DM of a round (bot.pulse.automation.DM); reminders are left as sent (see above).
DM_KIND = "pulse.dm"
CHUNK = 500  # keys per IN (...) list


def closed_message(bank: Bank, team: PulseTeam, pulse_round: PulseRound) -> Message:
    return pulse_dm(PulseDm.of(bank, team, pulse_round, closed=True))


def _plan_update(
    session: Session,
    sent: OutboxMessage,
    where: dict[str, Any],
    message: dict[str, Any],
    now: datetime,
) -> bool:
    """Rewrite the DM that `sent` posted; `where` is Slack's answer (its channel and ts)."""
    channel, ts = where.get("channel"), where.get("ts")
    if not channel or not ts:
        return False  # nothing recorded to edit
    return outbox.enqueue(
        session,
        team_id=sent.team_id,
        dedupe_key=f"{KIND}:{sent.dedupe_key}",
        kind=KIND,
        payload={"method": "chat.update", "args": {"channel": channel, "ts": ts, **message}},
        due_at=now,
        now=now,
    )


def _chunks(keys: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(keys), CHUNK):
        yield keys[start : start + CHUNK]


def plan_closed_dms(
    bank: Bank, session: Session, closed: Iterable[PulseRound], now: datetime
) -> int:
    """In the closing transaction: one rewrite per pulse DM already sent."""
    planned = 0
    for pulse_round in closed:
        team = session.get(PulseTeam, pulse_round.pulse_team_id)
        if team is None:
            continue
        message = closed_message(bank, team, pulse_round)
        users = list(
            session.scalars(
                select(PulseRecipient.user_id).where(PulseRecipient.round_id == pulse_round.id)
            )
        )
        keys = [f"{DM_KIND}:{pulse_round.id}:{user}" for user in users]
        for chunk in _chunks(keys):
            for sent in session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.dedupe_key.in_(chunk), OutboxMessage.status == SENT
                )
            ):
                planned += _plan_update(session, sent, sent.result or {}, message, now)
    return planned


def on_dm_sent(bank: Bank, now: Callable[[], datetime]) -> OnSent:
    """The on-sent hook for pulse DMs: a DM that went out after its round closed (it was
    waiting for a retry, say) is rewritten at once, like the others were at the close."""

    def hook(session: Session, message: OutboxMessage, response: dict[str, Any]) -> None:
        try:
            round_id = int(message.dedupe_key.split(":")[1])
        except (IndexError, ValueError):
            return
        pulse_round = session.get(PulseRound, round_id)
        if pulse_round is None or pulse_round.status != CLOSED:
            return
        team = session.get(PulseTeam, pulse_round.pulse_team_id)
        if team is None:
            return
        _plan_update(session, message, response, closed_message(bank, team, pulse_round), now())

    return hook
