"""Outbox rows to send, and what the fake Slack received of them (outbox, delivery, pacing)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from bot.platform import outbox
from bot.platform.database import Database
from slack_standin import TEAM_ID, FakeSlackServer

TEAM = TEAM_ID
LEASE = timedelta(minutes=2)


def add_people(slack: FakeSlackServer, count: int) -> list[str]:
    user_ids = [f"U{index:05d}" for index in range(count)]
    for user_id in user_ids:
        slack.workspace.add_user(user_id, f"person.{user_id.lower()}")
    return user_ids


def dm_payload(user_id: str, text: str = "How was your week?") -> dict[str, Any]:
    return {"method": "chat.postMessage", "args": {"channel": user_id, "text": text}}


def enqueue_dm(
    database: Database,
    user_id: str,
    *,
    now: datetime,
    due_at: datetime | None = None,
    key: str | None = None,
    kind: str = "pulse.dm",
) -> bool:
    with database.transaction() as session:
        return outbox.enqueue(
            session,
            team_id=TEAM,
            dedupe_key=key or f"{kind}:{TEAM}:round-1:{user_id}",
            kind=kind,
            payload=dm_payload(user_id),
            due_at=due_at or now,
            now=now,
        )


def posts_per_channel(slack: FakeSlackServer) -> Counter[str]:
    """Messages Slack accepted through chat.postMessage, per DM channel."""
    return Counter(
        call.response["channel"]
        for call in slack.workspace.calls_to("chat.postMessage")
        if call.ok and isinstance(call.response, dict)
    )


def posts_to(slack: FakeSlackServer, user_id: str) -> int:
    return posts_per_channel(slack)[slack.workspace.dm_channel_id(user_id)]


def attempts_to(slack: FakeSlackServer, user_id: str) -> int:
    """chat.postMessage requests for this person, whatever Slack answered."""
    return sum(
        1
        for call in slack.workspace.calls_to("chat.postMessage")
        if call.params.get("channel") == user_id
    )


def stored(database: Database, key: str) -> outbox.OutboxMessage:
    with database.transaction() as session:
        message = outbox.find(session, key)
    assert message is not None, key
    return message
