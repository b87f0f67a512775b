"""Retention: a round's raw answers and comments, and who it asked, are deleted once they are
old enough and its totals are stored.

A summary reads a closed round's stored totals (`pulse_question_totals` and the counts on
`pulse_rounds`, bot/summary/stored_totals.py), never its answers, so summaries, trends, the
chart and the CSV stay the same. A round whose totals are not stored yet keeps its answers
however old it is, and so does a round with a conversation about one of its comments still
open (bot/threads/), until it closes. Comments are shown for the latest shown round only, so a team's
comments disappear from its summary only when its latest round is older than the setting.

Who a round asked (`pulse_recipients`) goes with its answers. Nothing reads it once the round
is closed and its totals stored (how many were asked is stored with them; reminders and the
rewrite of its DMs were done at its close), but for one thing: telling apart rounds of two
teams that asked the same people in the same week (bot/summary/overlap.py), which joins the
recipients of every round of that week not stored yet, or stored before that figure was kept.
So a round waits until every round of its week in the workspace has its totals stored, and
until that week is over everywhere (WEEK_OVER), so that no round of it can still open; and a
round that shares its week with another team's round stored before the figure was kept
(`people_apart` empty: those are worked out from the recipients at each summary) keeps its
recipients.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, exists, or_, select, update
from sqlalchemy.orm import aliased
from sqlalchemy.orm.util import AliasedClass

from bot.platform.services import Services
from bot.pulse.store import PulseAnswer, PulseComment, PulseRecipient, PulseRound
from bot.threads.store import OPEN, CommentThread

BATCH = 50  # rounds a tick clears at most: short transactions, whatever the backlog
# A round's week (its `period`, the ISO week of its opening in its team's time zone) is over
# in every time zone, and no round of it can open any more, this long after it opened: seven
# days, and a day for the widest gap between two zones' weeks, and some.
WEEK_OVER = timedelta(days=9)


def _same_week_of_another_team(other: AliasedClass[PulseRound]) -> ColumnElement[bool]:
    return and_(
        other.team_id == PulseRound.team_id,
        other.period == PulseRound.period,
        other.pulse_team_id != PulseRound.pulse_team_id,
    )


def purge_old_answers(services: Services, now: datetime) -> int:
    """The clock's work: delete the answers, comments and recipients of up to BATCH rounds
    closed more than LVM_RETAIN_ANSWERS_WEEKS ago whose totals are stored; how many rounds."""
    cutoff = now - timedelta(weeks=services.settings.LVM_RETAIN_ANSWERS_WEEKS)
    other = aliased(PulseRound)
    with services.database.transaction() as session:
        due = list(
            session.scalars(
                # Through ix_pulse_rounds_answers_due: only rounds not cleared yet are read.
                select(PulseRound.id)
                .where(
                    PulseRound.answers_deleted_at.is_(None),
                    PulseRound.closed_at < cutoff,
                    PulseRound.totals_stored_at.is_not(None),
                    PulseRound.opens_at < now - WEEK_OVER,
                    # A conversation about one of its comments runs until either side (or
                    # its own retention, bot/threads/relay.py) closes it: the comment stays.
                    ~exists().where(
                        CommentThread.round_id == PulseRound.id, CommentThread.status == OPEN
                    ),
                    # Another team's round of the same week still to be stored reads this
                    # round's recipients when it is (bot/summary/overlap.py).
                    ~exists().where(
                        _same_week_of_another_team(other), other.totals_stored_at.is_(None)
                    ),
                )
                .order_by(PulseRound.closed_at, PulseRound.id)
                .limit(BATCH)
                .with_for_update(skip_locked=True)  # a second clock clears other rounds
            )
        )
        if not due:
            return 0
        # Rounds whose week a summary still works out from the recipients: kept for good.
        read_by_summaries = set(
            session.scalars(
                select(PulseRound.id).where(
                    PulseRound.id.in_(due),
                    exists().where(
                        _same_week_of_another_team(other),
                        or_(other.people_apart.is_(None), PulseRound.people_apart.is_(None)),
                    ),
                )
            )
        )
        session.execute(delete(PulseAnswer).where(PulseAnswer.round_id.in_(due)))
        session.execute(delete(PulseComment).where(PulseComment.round_id.in_(due)))
        session.execute(
            delete(PulseRecipient).where(
                PulseRecipient.round_id.in_([i for i in due if i not in read_by_summaries])
            )
        )
        session.execute(
            update(PulseRound)
            .where(PulseRound.id.in_(due))
            .values(answers_deleted_at=now)
            .execution_options(synchronize_session=False)
        )
    return len(due)
