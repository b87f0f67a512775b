"""Outbox rows of a conversation: to the comment's author, sealed; to the team's managers.

A row to the author never holds their user id in the open: it carries the comment's sealed
author link, and the renderer opens it with the server secret just before the Sender posts
(outside any transaction). The row is private (bot/platform/outbox.py): once sent or failed
it forgets its payload and Slack's answer (the author's DM channel). Its dedupe key names the
thread and the message, nobody. Rows to managers are ordinary DMs. No row is planned to an
author whose link opens to nobody (they asked lvm to forget them): the managers' messages
then reach nobody, as in a muted conversation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.platform import outbox
from bot.platform.messages import Message
from bot.platform.sealing import SealBroken, unseal
from bot.platform.services import OutboxRenderer
from bot.pulse.store import PulseTeam, link_bound_to
from bot.threads.store import CommentRow

TO_AUTHOR = "threads.to_author"
TO_MANAGER = "threads.to_manager"
# In a row to the author: the sealed link and what it is bound to, instead of a channel.
SEALED_TO = "sealed_to"


def plan_to_author(
    session: Session,
    *,
    secret: str,
    team_id: str,
    round_id: int,
    comment: CommentRow,
    thread_id: int,
    message_id: int,
    message: Message,
    now: datetime,
) -> bool:
    """Plan the DM to the comment's author; False when the comment has no link any more,
    or one that opens to nobody (its author asked lvm to forget them: bot/threads/forgetting.py).
    The link is opened here only to know that it opens."""
    if comment.author_link is None:
        return False
    sealed = {
        "link": comment.author_link,
        "bound_to": link_bound_to(team_id, round_id, comment.reference),
    }
    try:
        unseal(secret, sealed["link"], bound_to=sealed["bound_to"])
    except SealBroken:
        return False
    return outbox.enqueue(
        session,
        team_id=team_id,
        dedupe_key=f"{TO_AUTHOR}:{team_id}:{thread_id}:{message_id}",
        kind=TO_AUTHOR,
        payload={"method": "chat.postMessage", "args": {**message, SEALED_TO: sealed}},
        due_at=now,
        now=now,
        private=True,
    )


def plan_to_managers(
    session: Session,
    team: PulseTeam,
    *,
    message_id: int,
    message_for: Callable[[str], Message],
    now: datetime,
) -> int:
    """Plan one DM per current manager of the team; how many were planned."""
    planned = 0
    for manager in team.managers:
        planned += outbox.enqueue(
            session,
            team_id=team.team_id,
            dedupe_key=f"{TO_MANAGER}:{team.team_id}:{message_id}:{manager}",
            kind=TO_MANAGER,
            payload=outbox.post_payload(manager, message_for(manager)),
            due_at=now,
            now=now,
        )
    return planned


def author_renderer(secret: str) -> OutboxRenderer:
    """The renderer of rows to authors: opens the sealed link into the DM's channel."""

    def render(args: dict[str, Any]) -> dict[str, Any]:
        sealed = args.pop(SEALED_TO)
        channel = unseal(secret, sealed["link"], bound_to=sealed["bound_to"])
        return {**args, "channel": channel}

    return render


def outbox_renderers(secret: str) -> dict[str, OutboxRenderer]:
    """Given to the outbox's senders by the composition root (bot/bootstrap.py)."""
    return {TO_AUTHOR: author_renderer(secret)}
