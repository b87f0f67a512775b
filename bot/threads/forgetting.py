"""`/lvm forget me` for anonymous conversations: every link that seals the person's id.

A comment's author link (`PulseComment.author_link`) is its author's user id sealed under
the server secret, so no query can find a person's links by id. This step opens every live
link of the workspace in the forgetting transaction and compares; what it opens is never
logged, returned or kept.

- Each of the person's links is replaced by random bytes of its length
  (`sealing.unopenable_like`): it opens to nobody, under any secret. Messages waiting in the
  outbox for them (each carries a copy of a link) are deleted.
- Every other link of the workspace is sealed again with a fresh nonce, and one already
  unopenable gets new random bytes, so two copies of the database, before and after, show
  every link changed rather than the person's (and, on PostgreSQL, every comment row with a
  link carries the forgetting transaction's xmin, not the person's alone). Their words in a
  conversation stay, as the author's: relayed, or relayed with the next tick like any other.

The managers see nothing change: the comment keeps its menu and its conversation stays on
their Home; what they send reaches nobody (`addressing.plan_to_author` plans no DM on a link
that does not open), as when an author mutes a conversation, and it closes with the link at
the retention age like every other (bot/threads/relay.py). Ending it for them or deleting the
link would tell them which comment's author asked lvm to forget them: a menu gone from one
comment, or a conversation ending long before its round's retention age. For the person,
the conversations end: nothing reaches them, and their buttons find no conversation of theirs.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.orm import Session

from bot.platform.outbox import PENDING, SENDING, OutboxMessage
from bot.platform.sealing import SealBroken, seal, unopenable_like, unseal
from bot.pulse.store import PulseComment, PulseRound, link_bound_to
from bot.threads.addressing import SEALED_TO, TO_AUTHOR

ForgetRun = Callable[[Session, str, str, datetime], int]


def _opens_to(secret: str, sealed: str, bound_to: str) -> str | None:
    try:
        return unseal(secret, sealed, bound_to=bound_to)
    except SealBroken:
        return None


def _is(opened: str | None, user_id: str) -> bool:
    return opened is not None and hmac.compare_digest(opened.encode(), user_id.encode())


def _reseal_links(session: Session, secret: str, team_id: str, user_id: str) -> int:
    """Make the person's links unopenable and seal every other one again; how many were theirs."""
    rows = session.execute(
        select(
            PulseComment.round_id,
            PulseComment.respondent_key,
            PulseComment.reference,
            PulseComment.author_link,
        )
        .join(PulseRound, PulseRound.id == PulseComment.round_id)
        .where(PulseRound.team_id == team_id, PulseComment.author_link.is_not(None))
    ).all()
    theirs = 0
    changes: list[dict[str, Any]] = []
    for round_id, key, reference, link in rows:
        bound_to = link_bound_to(team_id, round_id, reference)
        opened = _opens_to(secret, link, bound_to)
        if opened is None:  # unopenable already (a person forgotten before)
            replacement = unopenable_like(link)
        elif _is(opened, user_id):
            theirs += 1
            replacement = unopenable_like(link)
        else:
            replacement = seal(secret, opened, bound_to=bound_to)
        changes.append({"b_round": round_id, "b_key": key, "b_old": link, "b_new": replacement})
    if changes:
        comments = cast(Table, PulseComment.__table__)
        # Only where the link is still the one opened: a conversation closed meanwhile keeps
        # its link deleted.
        session.execute(
            update(comments)
            .where(
                comments.c.round_id == bindparam("b_round"),
                comments.c.respondent_key == bindparam("b_key"),
                comments.c.author_link == bindparam("b_old"),
            )
            .values(author_link=bindparam("b_new")),
            changes,
        )
    return theirs


def _delete_waiting_messages(session: Session, secret: str, team_id: str, user_id: str) -> int:
    """Delete the DMs to the person still waiting in the outbox (a sent or failed one has
    forgotten its link already); how many."""
    waiting = session.execute(
        select(OutboxMessage.id, OutboxMessage.payload).where(
            OutboxMessage.team_id == team_id,
            OutboxMessage.kind == TO_AUTHOR,
            OutboxMessage.status.in_((PENDING, SENDING)),
        )
    ).all()
    theirs = []
    for message_id, payload in waiting:
        sealed = ((payload or {}).get("args") or {}).get(SEALED_TO) or {}
        link, bound_to = sealed.get("link"), sealed.get("bound_to")
        if link and bound_to and _is(_opens_to(secret, link, bound_to), user_id):
            theirs.append(message_id)
    if theirs:
        session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(theirs)))
    return len(theirs)


def forget_author(secret: str) -> ForgetRun:
    """The step's work, with the server secret that opens the links (bot/bootstrap.py)."""

    def run(session: Session, team_id: str, user_id: str, now: datetime) -> int:
        return _reseal_links(session, secret, team_id, user_id) + _delete_waiting_messages(
            session, secret, team_id, user_id
        )

    return run
