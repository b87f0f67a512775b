"""The outbox: every message the bot sends on its own, durable and sent exactly once.

A feature never calls Slack from the clock. It writes an outbox row with a unique dedupe key
(`enqueue`), and senders (`bot.platform.delivery.Sender`) claim due rows atomically (`claim_due`) and
record how each send ended (`mark_sent`, `mark_retry`, `mark_failed`).

Why this gives "exactly once":
- Two clocks deciding the same thing is due write the same dedupe key; the second insert is an
  `ON CONFLICT DO NOTHING`, so one row exists and nothing raises. Keys are unique across all
  workspaces, so a feature puts the team in its key (e.g. "pulse.dm:T1:round-7:U42").
- A row is claimed by one sender at a time: PostgreSQL claims with SELECT ... FOR UPDATE SKIP
  LOCKED and the UPDATE in one transaction; SQLite transactions start with BEGIN IMMEDIATE
  (one writer at a time), so the same select-then-update is atomic there too.
- A sender that dies leaves its rows `sending`; once their lease has passed, another sender
  claims them again. A message that was in flight when it died (sent to Slack, not yet
  marked sent) has an unknown outcome: before sending it again the sender looks for it in
  the conversation's recent history, by the metadata every outbox message carries
  (`bot.platform.delivery`), and records it sent if it is there.
- Marking is fenced: a row is only marked by the worker that still holds its claim, so a slow
  sender whose lease expired cannot overwrite what the new holder recorded.

Finished rows (sent or failed) are the memory of which dedupe keys were already handled, so
they are kept for RETENTION: far longer than any planner looks back (the grace window, at most
72 hours), so a key is never planned again once its row is gone. Then the clock purges them
(`purge_finished`): the table holds weeks of messages, not years of DMs and digests.
Every function takes an explicit `now`; nothing here reads the wall clock.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import cast as sql_cast
from sqlalchemy.sql.expression import false

from bot.platform.column_types import UtcDateTime
from bot.platform.database import Database
from bot.platform.dialect import insert_unless_present
from bot.platform.services import Services
from bot.platform.tables import Base
from bot.platform.uninstalls import WorkspaceUninstall, is_uninstalled

RETENTION = timedelta(days=30)
# How a retried row's last_error starts when its attempt may have reached Slack anyway.
UNKNOWN_OUTCOME = "outcome unknown: "
PURGE_BATCH = 1000  # rows a tick deletes at most: short transactions, whatever the backlog

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
STATUSES = (PENDING, SENDING, SENT, FAILED)


class OutboxMessage(Base):
    """One Web API call the bot will make on its own, and how it went."""

    __tablename__ = "outbox"
    __table_args__ = (
        # The claim query: pending rows by due time, and `sending` rows by claim age.
        UniqueConstraint("dedupe_key", name="uq_outbox_dedupe_key"),
        Index("ix_outbox_status_due", "status", "due_at"),
        Index("ix_outbox_status_claimed", "status", "claimed_at"),
        Index("ix_outbox_team_status", "team_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    dedupe_key: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(64))  # e.g. "pulse.dm": selects the on_sent hook
    # {"method": "chat.postMessage", "args": {...}}: exactly what is sent to the Web API.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)  # counted when claimed, so crashes count
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Forget the payload and the result (who it went to) once the row is finished: e.g. a
    # reminder must not tell a database reader, for RETENTION, who had not answered yet.
    private: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    # Set by claim_due, not stored: whether an earlier attempt may have reached Slack without
    # its outcome being recorded (its sender stopped, or the connection broke mid-call).
    outcome_unknown = False

    @property
    def method(self) -> str:
        return str(self.payload["method"])

    @property
    def args(self) -> dict[str, Any]:
        return dict(self.payload.get("args") or {})

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.dedupe_key!r} {self.status}>"


# ------------------------------------------------------------------ writing


def post_payload(channel: str, message: Mapping[str, Any]) -> dict[str, Any]:
    """The payload of a row that posts `message` to `channel` (a user id: their DM)."""
    return {"method": "chat.postMessage", "args": {"channel": channel, **message}}


def enqueue(
    session: Session,
    *,
    team_id: str,
    dedupe_key: str,
    kind: str,
    payload: dict[str, Any],
    due_at: datetime,
    now: datetime,
    private: bool = False,
) -> bool:
    """Add a message unless one with this dedupe key exists; True when a row was inserted.

    `private`: once sent or failed, the row keeps its key and status but not its payload
    or result. Its dedupe key must then name nobody either.

    Nothing is planned for a workspace that removed lvm (bot.platform.uninstalls).
    """
    _check_payload(payload)
    if is_uninstalled(session, team_id):
        return False
    values = {
        "team_id": team_id,
        "dedupe_key": dedupe_key,
        "kind": kind,
        "payload": payload,
        "due_at": due_at,
        "status": PENDING,
        "attempts": 0,
        "created_at": now,
        "private": private,
    }
    # A Core insert on the table (not the ORM unit of work): a duplicate is a no-op, not an error.
    inserted = insert_unless_present(
        session, cast(Table, OutboxMessage.__table__), values, key=["dedupe_key"]
    )
    if inserted:
        session.info.setdefault(_PLANNED, []).append(dedupe_key)
    return inserted


# Where a session keeps the dedupe keys of the rows it inserted (`planned_in`).
_PLANNED = "outbox_planned"


def planned_in(session: Session) -> tuple[str, ...]:
    """The rows this session's transaction inserted, by dedupe key: what a command planned,
    and may send itself right after its commit (`Sender.send_due(only=...)`), leaving the
    rest to the clock."""
    return tuple(session.info.get(_PLANNED, ()))


def _check_payload(payload: dict[str, Any]) -> None:
    method = payload.get("method")
    args = payload.get("args", {})
    if not isinstance(method, str) or not method or not isinstance(args, dict):
        raise ValueError('outbox payload must be {"method": "<api method>", "args": {...}}')


# ------------------------------------------------------------------ claiming


def claimable(now: datetime, lease: timedelta) -> ColumnElement[bool]:
    """Rows a sender may take: pending and due, or `sending` by a sender that stopped."""
    due = and_(
        OutboxMessage.status == PENDING,
        OutboxMessage.due_at <= now,
        or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
    )
    abandoned = and_(OutboxMessage.status == SENDING, OutboxMessage.claimed_at < now - lease)
    # A row planned just before its workspace removed lvm, in a race with the canceling.
    removed = exists().where(WorkspaceUninstall.team_id == OutboxMessage.team_id)
    return and_(or_(due, abandoned), ~removed)


def claim_due(
    database: Database,
    *,
    now: datetime,
    limit: int,
    worker_id: str,
    lease: timedelta,
    only: Collection[str] | None = None,
    skip_teams: Collection[str] = (),
) -> list[OutboxMessage]:
    """Claim up to `limit` due rows for `worker_id` (given `only`, among the rows of those
    dedupe keys; none of the workspaces in `skip_teams`); returns them detached, oldest due
    first.

    Each claim counts as an attempt, so a message that kills its sender every time still
    reaches max_attempts instead of looping forever.
    """
    query = select(OutboxMessage).where(claimable(now, lease))
    if only is not None:
        query = query.where(OutboxMessage.dedupe_key.in_(only))
    if skip_teams:
        query = query.where(OutboxMessage.team_id.not_in(sorted(skip_teams)))
    with database.transaction() as session:
        rows = list(
            session.scalars(
                query.order_by(OutboxMessage.due_at, OutboxMessage.id)
                .limit(limit)
                # PostgreSQL: other senders skip these rows instead of waiting for them.
                # SQLite ignores the clause; BEGIN IMMEDIATE already made us the only writer.
                .with_for_update(skip_locked=True)
            )
        )
        for row in rows:
            row.outcome_unknown = row.status == SENDING or (row.last_error or "").startswith(
                UNKNOWN_OUTCOME
            )
            row.status = SENDING
            row.claimed_at = now
            row.claimed_by = worker_id
            row.attempts += 1
    # expire_on_commit is off, so the rows keep their values after the session closes.
    return rows


def renew_claim(database: Database, message_id: int, *, worker_id: str, now: datetime) -> bool:
    """Restart the lease on a row this worker still holds; False when it was taken over."""
    with database.transaction() as session:
        return _update_claimed(session, message_id, worker_id, claimed_at=now)


def payload_if_claimed(database: Database, message_id: int, *, worker_id: str) -> Any | None:
    """The row's payload as it is now, while this worker still holds its claim; None once
    it was deleted, taken over or given an outcome (`forget_person` deletes or rewrites
    rows a sender holds: it reads the row again just before the call)."""
    with database.reading() as session:
        row = session.execute(
            select(OutboxMessage.payload).where(
                OutboxMessage.id == message_id,
                OutboxMessage.status == SENDING,
                OutboxMessage.claimed_by == worker_id,
            )
        ).first()
    return None if row is None else row[0]


# ------------------------------------------------------------------ outcomes


def record_sent(
    session: Session,
    message_id: int,
    *,
    now: datetime,
    result: dict[str, Any],
    worker_id: str | None = None,
) -> bool:
    """Mark sent inside the caller's transaction (so an on_sent hook can share it)."""
    marked = _update_claimed(
        session,
        message_id,
        worker_id,
        status=SENT,
        sent_at=now,
        result=result,
        last_error=None,
        next_attempt_at=None,
    )
    if marked:
        _forget_if_private(session, message_id)
    return marked


def mark_sent(
    database: Database,
    message_id: int,
    *,
    now: datetime,
    result: dict[str, Any],
    worker_id: str | None = None,
) -> bool:
    with database.transaction() as session:
        return record_sent(session, message_id, now=now, result=result, worker_id=worker_id)


def mark_retry(
    database: Database,
    message_id: int,
    *,
    now: datetime,
    error: str,
    retry_at: datetime,
    worker_id: str | None = None,
) -> bool:
    """Put the row back in the queue, not to be claimed again before `retry_at`."""
    if retry_at < now:
        raise ValueError("retry_at is before now")
    with database.transaction() as session:
        return _update_claimed(
            session,
            message_id,
            worker_id,
            status=PENDING,
            next_attempt_at=retry_at,
            last_error=error,
            claimed_at=None,
            claimed_by=None,
        )


def mark_failed(
    database: Database,
    message_id: int,
    *,
    now: datetime,
    error: str,
    worker_id: str | None = None,
) -> bool:
    """Give up on the row for good; claimed_at keeps when the last attempt started."""
    with database.transaction() as session:
        marked = _update_claimed(
            session, message_id, worker_id, status=FAILED, last_error=error, next_attempt_at=None
        )
        if marked:
            _forget_if_private(session, message_id)
        return marked


FORGOTTEN: dict[str, Any] = {"method": "forgotten", "args": {}}


def _forget_if_private(session: Session, message_id: int) -> None:
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.private.is_(True))
        .values(payload=FORGOTTEN, result=None)
        .execution_options(synchronize_session=False)
    )


CANCELED = "canceled: "


def cancel_unsent(
    session: Session, team_id: str, *, why: str, created_since: datetime | None = None
) -> int:
    """Give up on the workspace's rows not sent yet (those created since `created_since`,
    when given), as failed with `why`; how many. A sender holding one cannot mark it sent
    any more: marking is fenced on `sending`."""
    conditions = [
        OutboxMessage.team_id == team_id,
        OutboxMessage.status.in_((PENDING, SENDING)),
    ]
    if created_since is not None:
        conditions.append(OutboxMessage.created_at >= created_since)
    ids = list(session.scalars(select(OutboxMessage.id).where(*conditions)))
    if not ids:
        return 0
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids))
        .values(status=FAILED, last_error=CANCELED + why, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.private.is_(True))
        .values(payload=FORGOTTEN, result=None)
        .execution_options(synchronize_session=False)
    )
    return len(ids)


# What a message still waiting for someone else says in place of a forgotten person.
FORGOTTEN_NAME = "someone"


def forget_person(session: Session, team_id: str, user_id: str, now: datetime) -> int:
    """`/lvm forget me`: the workspace's rows that name the person; how many were changed.

    Messages to them (waiting or sent) and the record of messages sent that name them are
    deleted: their dedupe keys name a round, a commitment or a subscription that is closed
    or forgotten too. A message still waiting for someone else (a co-manager's digest, a
    channel's announcement) is not taken from them: it goes out naming "someone" instead,
    even one a sender has claimed (it reads the row again just before sending it, and does
    not send a deleted one: bot/platform/delivery.py). An id is matched whole: U0123 is not
    part of U01234."""
    whole_id = re.compile(rf"(?<![A-Za-z0-9]){re.escape(user_id)}(?![A-Za-z0-9])")
    may_name = or_(
        OutboxMessage.dedupe_key.contains(user_id, autoescape=True),
        sql_cast(OutboxMessage.payload, Text).contains(user_id, autoescape=True),
        sql_cast(OutboxMessage.result, Text).contains(user_id, autoescape=True),
    )
    changed = 0
    for row in session.scalars(
        select(OutboxMessage).where(OutboxMessage.team_id == team_id, may_name)
    ):
        payload, result = json.dumps(row.payload), json.dumps(row.result)
        if not any(whole_id.search(text) for text in (row.dedupe_key, payload, result)):
            continue
        addressed = (row.payload or {}).get("args", {}).get("channel") == user_id
        if (
            row.status in (PENDING, SENDING)
            and not addressed
            and not whole_id.search(row.dedupe_key)
        ):
            unnamed = payload.replace(f"<@{user_id}>", FORGOTTEN_NAME)
            row.payload = json.loads(whole_id.sub(FORGOTTEN_NAME, unnamed))
        else:
            session.delete(row)
        changed += 1
    session.flush()
    return changed


def _update_claimed(
    session: Session, message_id: int, worker_id: str | None, **values: Any
) -> bool:
    """Update a row that is still `sending` (and, given worker_id, still ours)."""
    conditions = [OutboxMessage.id == message_id, OutboxMessage.status == SENDING]
    if worker_id is not None:
        conditions.append(OutboxMessage.claimed_by == worker_id)
    statement = (
        update(OutboxMessage)
        .where(*conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return session.execute(statement).rowcount == 1  # type: ignore[attr-defined]


# ------------------------------------------------------------------ reading


def purge_finished(session: Session, now: datetime, *, limit: int = PURGE_BATCH) -> int:
    """Delete up to `limit` sent or failed rows due more than RETENTION ago; how many."""
    # Through ix_outbox_status_due; a subquery because SQLite's DELETE takes no LIMIT.
    old = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status.in_((SENT, FAILED)),
            OutboxMessage.due_at < now - RETENTION,
        )
        .limit(limit)
        .with_for_update(skip_locked=True)  # a second clock purges other rows (PostgreSQL)
    )
    ids = list(session.scalars(old))
    if not ids:
        return 0
    deleted = session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
    return int(deleted.rowcount)


def counts_by_status(session: Session, team_id: str | None = None) -> dict[str, int]:
    """How many rows are in each status (every status present, zero when none)."""
    query = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    if team_id is not None:
        query = query.where(OutboxMessage.team_id == team_id)
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({status: count for status, count in session.execute(query)})
    return counts


def find(session: Session, dedupe_key: str) -> OutboxMessage | None:
    return session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
    ).one_or_none()


def messages(
    session: Session, *, team_id: str | None = None, status: str | None = None
) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if team_id is not None:
        query = query.where(OutboxMessage.team_id == team_id)
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    return list(session.scalars(query))


def purge_finished_messages(services: Services, now: datetime) -> int:
    """The clock's work: forget messages finished long ago (RETENTION), a batch a tick."""
    with services.database.transaction() as session:
        return purge_finished(session, now)
