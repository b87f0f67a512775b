"""Retention: a round's raw answers and comments are deleted once they are old enough and
its totals are stored.

A summary reads a closed round's stored totals (`pulse_question_totals` and the counts on
`pulse_rounds`, bot/summary/stored_totals.py), never its answers, so summaries, trends, the
chart and the CSV stay the same. A round whose totals are not stored yet keeps its answers
however old it is, and so does a round with a conversation about one of its comments still
open (bot/threads/), until it closes. Comments are shown for the latest shown round only, so a team's
comments disappear from its summary only when its latest round is older than the setting.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select, update

from bot.platform.services import Services
from bot.pulse.store import PulseAnswer, PulseComment, PulseRound
from bot.threads.store import OPEN, CommentThread

BATCH = 50  # rounds a tick clears at most: short transactions, whatever the backlog


def purge_old_answers(services: Services, now: datetime) -> int:
    """The clock's work: delete the answers and comments of up to BATCH rounds closed more
    than LVM_RETAIN_ANSWERS_WEEKS ago whose totals are stored; how many rounds."""
    cutoff = now - timedelta(weeks=services.settings.LVM_RETAIN_ANSWERS_WEEKS)
    with services.database.transaction() as session:
        due = list(
            session.scalars(
                # Through ix_pulse_rounds_answers_due: only rounds not cleared yet are read.
                select(PulseRound.id)
                .where(
                    PulseRound.answers_deleted_at.is_(None),
                    PulseRound.closed_at < cutoff,
                    PulseRound.totals_stored_at.is_not(None),
                    # A conversation about one of its comments runs until either side (or
                    # its own retention, bot/threads/relay.py) closes it: the comment stays.
                    ~exists().where(
                        CommentThread.round_id == PulseRound.id, CommentThread.status == OPEN
                    ),
                )
                .order_by(PulseRound.closed_at, PulseRound.id)
                .limit(BATCH)
                .with_for_update(skip_locked=True)  # a second clock clears other rounds
            )
        )
        if not due:
            return 0
        session.execute(delete(PulseAnswer).where(PulseAnswer.round_id.in_(due)))
        session.execute(delete(PulseComment).where(PulseComment.round_id.in_(due)))
        session.execute(
            update(PulseRound)
            .where(PulseRound.id.in_(due))
            .values(answers_deleted_at=now)
            .execution_options(synchronize_session=False)
        )
    return len(due)
