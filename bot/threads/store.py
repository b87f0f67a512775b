"""Anonymous conversations about pulse comments: the threads and their messages.

A thread is about one comment (by its opaque `reference`, see bot.pulse.store.PulseComment)
and is shared by the team's managers. Nothing here names its author: the only link to them
is the comment's `author_link`, sealed under the server secret and deleted when the thread
closes. A message from the author's side holds no time, only its day (for the daily cap),
and whether the clock has relayed it to the managers yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.expression import false

from bot.platform.column_types import UtcDateTime
from bot.platform.dialect import insert_unless_present
from bot.platform.tables import Base
from bot.pulse.store import PulseComment, PulseRound, PulseTeam

OPEN = "open"
CLOSED = "closed"

MANAGER = "manager"
AUTHOR = "author"
RETENTION = "retention"  # who closed a thread whose link reached the retention age

REPLY = "reply"
CLOSE = "close"  # a message that closes the thread (from either side)


class CommentThread(Base):
    """One conversation about one comment, open until either side (or retention) closes it."""

    __tablename__ = "comment_threads"
    __table_args__ = (
        UniqueConstraint("comment_reference", name="uq_comment_threads_comment"),
        Index("ix_comment_threads_team", "pulse_team_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    pulse_team_id: Mapped[int] = mapped_column(ForeignKey("pulse_teams.id", ondelete="CASCADE"))
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id", ondelete="CASCADE"))
    comment_reference: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    # The author asked for no more DMs in it: the managers are not told.
    muted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)  # by a manager's first message
    closed_by: Mapped[str | None] = mapped_column(String(16), nullable=True)


class ThreadMessage(Base):
    """A reply, a one-click acknowledgment or a close, from one side of a thread."""

    __tablename__ = "thread_messages"
    __table_args__ = (
        # A request Slack sends again adds no second message.
        UniqueConstraint("thread_id", "request_key", name="uq_thread_messages_request"),
        Index("ix_thread_messages_relay", "relayed", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("comment_threads.id", ondelete="CASCADE"))
    side: Mapped[str] = mapped_column(String(16))  # MANAGER or AUTHOR
    manager_id: Mapped[str | None] = mapped_column(String(32), nullable=True)  # manager side only
    kind: Mapped[str] = mapped_column(String(16))  # REPLY, an acknowledgment, or CLOSE
    text: Mapped[str | None] = mapped_column(Text, nullable=True)  # a reply's words
    # The day it was sent in the team's time zone: the daily cap counts by it. No time of day.
    day: Mapped[str] = mapped_column(String(10))
    # Whether the managers have it: the author's messages reach them with the clock's next
    # tick (bot/threads/relay.py), so the managers learn nothing of when they were written.
    relayed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    request_key: Mapped[str] = mapped_column(String(64))


@dataclass(frozen=True)
class CommentRow:
    """What a conversation reads of its comment: never the respondent key."""

    round_id: int
    reference: str
    text: str
    author_link: str | None  # sealed; None once deleted


def comment_of(session: Session, team_id: str, reference: str) -> CommentRow | None:
    """The workspace's comment with this reference, if it still exists."""
    row = session.execute(
        select(
            PulseComment.round_id,
            PulseComment.reference,
            PulseComment.text,
            PulseComment.author_link,
        )
        .join(PulseRound, PulseRound.id == PulseComment.round_id)
        .where(PulseComment.reference == reference, PulseRound.team_id == team_id)
    ).one_or_none()
    return None if row is None else CommentRow(*row)


def forget_author(session: Session, reference: str) -> None:
    """Delete the comment's author link: nobody can reach its author through lvm again."""
    session.execute(
        update(PulseComment)
        .where(PulseComment.reference == reference)
        .values(author_link=None)
        .execution_options(synchronize_session=False)
    )


def thread_of(
    session: Session, reference: str, *, for_update: bool = False
) -> CommentThread | None:
    query = select(CommentThread).where(CommentThread.comment_reference == reference)
    if for_update:
        query = query.with_for_update()  # messages to one thread queue here (PostgreSQL)
    return session.scalar(query)


def start_thread(
    session: Session, comment: CommentRow, pulse_round: PulseRound, now: datetime
) -> CommentThread:
    """The comment's thread, started now unless it exists (two managers at once get one)."""
    insert_unless_present(
        session,
        cast(Table, CommentThread.__table__),
        {
            "team_id": pulse_round.team_id,
            "pulse_team_id": pulse_round.pulse_team_id,
            "round_id": pulse_round.id,
            "comment_reference": comment.reference,
            "status": OPEN,
            "muted": False,
            "started_at": now,
        },
        key=["comment_reference"],
    )
    thread = thread_of(session, comment.reference, for_update=True)
    assert thread is not None
    return thread


def add_message(session: Session, values: dict[str, object]) -> int | None:
    """Insert a message unless its request was seen already; its id, or None."""
    statement_values = {"relayed": False, **values}
    inserted = insert_unless_present(
        session,
        cast(Table, ThreadMessage.__table__),
        statement_values,
        key=["thread_id", "request_key"],
    )
    if not inserted:
        return None
    return session.scalar(
        select(ThreadMessage.id).where(
            ThreadMessage.thread_id == values["thread_id"],
            ThreadMessage.request_key == values["request_key"],
        )
    )


def sent_on(session: Session, thread_id: int, side: str, day: date) -> int:
    """How many replies and acknowledgments `side` sent in the thread on `day`."""
    return int(
        session.scalar(
            select(func.count()).where(
                ThreadMessage.thread_id == thread_id,
                ThreadMessage.side == side,
                ThreadMessage.kind != CLOSE,
                ThreadMessage.day == day.isoformat(),
            )
        )
        or 0
    )


def messages_of(session: Session, thread_id: int, *, relayed_only: bool) -> list[ThreadMessage]:
    """A thread's messages in the order they were sent; `relayed_only` leaves out the
    author's messages the clock has not relayed yet (what the managers may see)."""
    query = select(ThreadMessage).where(ThreadMessage.thread_id == thread_id)
    if relayed_only:
        query = query.where((ThreadMessage.side == MANAGER) | ThreadMessage.relayed.is_(True))
    return list(session.scalars(query.order_by(ThreadMessage.id)))


def open_threads_of_teams(session: Session, pulse_team_ids: list[int]) -> list[CommentThread]:
    if not pulse_team_ids:
        return []
    return list(
        session.scalars(
            select(CommentThread)
            .where(CommentThread.pulse_team_id.in_(pulse_team_ids), CommentThread.status == OPEN)
            .order_by(CommentThread.id.desc())
        )
    )


def team_of(session: Session, thread: CommentThread) -> PulseTeam:
    return session.get_one(PulseTeam, thread.pulse_team_id)


def forget_person(session: Session, team_id: str, user_id: str, now: datetime) -> int:
    """`/lvm forget me`: messages the person sent as a manager stay in their conversations,
    shown as from "a manager"."""
    workspace_threads = select(CommentThread.id).where(CommentThread.team_id == team_id)
    unnamed = session.execute(
        update(ThreadMessage)
        .where(ThreadMessage.manager_id == user_id, ThreadMessage.thread_id.in_(workspace_threads))
        .values(manager_id=None)
        .execution_options(synchronize_session=False)
    )
    return int(unnamed.rowcount)  # type: ignore[attr-defined]
