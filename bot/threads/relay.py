"""The clock's part in conversations: relay the authors' words, and let old links go.

An author's answer (or close) is stored when they send it and reaches the team's managers
only when the clock next ticks: the managers learn what the author wrote, not when, nor
anything of their reading or typing. A comment's author link is deleted, and its
conversation closed, once its round closed LVM_RETAIN_ANSWERS_WEEKS ago: the age at which
retention deletes the comment itself (bot/rights/retention.py, which waits for the
conversation to close, so the comment goes with a later tick). A link never outlives its
comment.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from bot.platform.services import Services
from bot.pulse.store import PulseComment, PulseRound, PulseTeam
from bot.threads import store
from bot.threads.addressing import plan_to_managers
from bot.threads.blocks import Said, manager_dm
from bot.threads.service import conversation_of_thread
from bot.threads.store import AUTHOR, OPEN, RETENTION, CommentThread, ThreadMessage

# Messages relayed, and links deleted, a tick at most: short transactions, whatever the backlog.
BATCH = 200


def relay_author_messages(services: Services, now: datetime) -> int:
    """Plan a DM to each current manager for every author's message not relayed yet."""
    with services.database.transaction() as session:
        waiting = list(
            session.scalars(
                select(ThreadMessage)
                .where(ThreadMessage.relayed.is_(False), ThreadMessage.side == AUTHOR)
                .order_by(ThreadMessage.id)
                .limit(BATCH)
                .with_for_update(skip_locked=True)  # a second clock relays other messages
            )
        )
        for message in waiting:
            message.relayed = True
            thread = session.get_one(CommentThread, message.thread_id)
            team = session.get_one(PulseTeam, thread.pulse_team_id)
            conversation = conversation_of_thread(services, session, thread)
            if conversation is None:
                continue  # the comment is gone: nobody to tell about it
            said = Said(AUTHOR, None, message.kind, message.text)
            plan_to_managers(
                session,
                team,
                message_id=message.id,
                message_for=lambda manager, c=conversation, s=said: manager_dm(c, s, manager),
                now=now,
            )
        return len(waiting)


def expire_links(services: Services, now: datetime) -> int:
    """Delete the author links of comments whose round closed LVM_RETAIN_ANSWERS_WEEKS
    ago (the comments' own retention age), and close their conversations; how many links went."""
    cutoff = now - timedelta(weeks=services.settings.LVM_RETAIN_ANSWERS_WEEKS)
    old_rounds = select(PulseRound.id).where(
        PulseRound.closed_at.is_not(None), PulseRound.closed_at < cutoff
    )
    with services.database.transaction() as session:
        references = list(
            session.scalars(
                select(PulseComment.reference)
                .where(PulseComment.author_link.is_not(None), PulseComment.round_id.in_(old_rounds))
                .limit(BATCH)
            )
        )
        if not references:
            return 0
        session.execute(
            update(CommentThread)
            .where(CommentThread.comment_reference.in_(references), CommentThread.status == OPEN)
            .values(status=store.CLOSED, closed_by=RETENTION)
        )
        session.execute(
            update(PulseComment)
            .where(PulseComment.reference.in_(references))
            .values(author_link=None)
        )
        return len(references)


WORK_KINDS = (relay_author_messages, expire_links)
