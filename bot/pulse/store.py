"""Pulse check-ins: teams, rounds, recipients and anonymous answers.

Who was asked (`pulse_recipients`) is stored apart from what was said (`pulse_answers`,
`pulse_comments`). Answers carry a respondent key, an HMAC of the person under a server
secret that differs for every round, and no timestamps, so the tables alone cannot join an
answer to a person or to the same person's answers in another round.

Nor can the order rows were written in (docs/privacy.md, "What a database reader learns"):
- no per-person "answered" or "reminded" flag: whether someone answered is known only to
  the server, which can compute their key (`bot.pulse.rounds.has_answered`); participation
  is counted from distinct keys;
- answers and comments have no surrogate id: their primary key starts with the round and
  ends with the respondent key, and on SQLite they are WITHOUT ROWID tables, so rows are
  stored in key order, not in the order they were written;
- an answer's transaction writes nothing else, so PostgreSQL's xmin joins it to nothing;
  when a round closes its answers and comments are rewritten in key order
  (`bot.pulse.rounds.forget_write_order`), so their xmin and ctid no longer tell when each
  was written.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import false

from bot.platform.column_types import UtcDateTime
from bot.platform.tables import Base

ACTIVE = "active"
PAUSED = "paused"
OFF = "off"

OPEN = "open"
CLOSED = "closed"

# How a recipient's user id starts once the person asked lvm to forget them: a random mark
# stands in its place (bot/pulse/forgetting.py). Slack user ids never hold a hyphen.
FORGOTTEN_RECIPIENT = "forgotten-"


class PulseTeam(Base):
    """A Slack channel whose members answer a weekly pulse."""

    __tablename__ = "pulse_teams"
    __table_args__ = (UniqueConstraint("team_id", "channel_id", name="uq_pulse_teams_channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(80))
    managers: Mapped[list[str]] = mapped_column(JSON)
    weekday: Mapped[int] = mapped_column(SmallInteger)  # 0 = Monday
    local_time: Mapped[str] = mapped_column(String(5))  # "HH:MM" in `timezone`
    timezone: Mapped[str] = mapped_column(String(64))
    open_days: Mapped[int] = mapped_column(SmallInteger)
    remind_after_hours: Mapped[int] = mapped_column(SmallInteger)
    question_ids: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)  # None: rotate
    anonymity_threshold: Mapped[int] = mapped_column(SmallInteger)
    # Whether workspace admins and owners may see this team's summaries (managers always may).
    admins_may_view: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Whether the managers are asked too. Off by default: a manager who answered knows their
    # own scores, so at the threshold they could work out the sum of the others'.
    managers_answer: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PulseOptOut(Base):
    __tablename__ = "pulse_optouts"
    __table_args__ = (UniqueConstraint("pulse_team_id", "user_id", name="uq_pulse_optouts"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pulse_team_id: Mapped[int] = mapped_column(ForeignKey("pulse_teams.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))


class PulseRound(Base):
    """One week's poll for one team; `period` (ISO week) makes it one round a week."""

    __tablename__ = "pulse_rounds"
    __table_args__ = (
        UniqueConstraint("pulse_team_id", "period", name="uq_pulse_rounds_period"),
        Index("ix_pulse_rounds_status", "status", "closes_at"),
        # The clock's search for closed rounds whose totals are not stored yet.
        Index("ix_pulse_rounds_totals_due", "totals_stored_at", "status", "closed_at"),
        # Retention's search for old rounds whose answers are still there.
        Index("ix_pulse_rounds_answers_due", "answers_deleted_at", "closed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    pulse_team_id: Mapped[int] = mapped_column(ForeignKey("pulse_teams.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(10))  # e.g. "2026-W48"
    question_ids: Mapped[list[str]] = mapped_column(JSON)
    opens_at: Mapped[datetime] = mapped_column(UtcDateTime)
    remind_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closes_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16))
    # The team's threshold when the round opened: lowering it later must not uncover answers
    # given under a higher one.
    anonymity_threshold: Mapped[int] = mapped_column(SmallInteger)
    # Likewise whether workspace admins could see results then: turning that on later does
    # not open rounds answered under "managers only".
    admins_may_view: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    opened_by: Mapped[str] = mapped_column(String(32))  # "schedule" or the manager's user id
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # Once the round can no longer change, the clock stores its totals for summaries
    # (`bot.summary.stored_totals`): these counts, and each question's in pulse_question_totals.
    totals_stored_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    respondents: Mapped[int | None] = mapped_column(Integer, nullable=True)  # distinct keys
    answered: Mapped[int | None] = mapped_column(Integer, nullable=True)
    asked: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Stored with the totals: the fewest people a difference with an earlier round of another
    # team in the same week mixes (bot.summary.overlap); None when they share nobody.
    people_apart: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # When retention deleted the round's answers and comments (bot/rights/retention.py),
    # long after its totals were stored; None while they are kept.
    answers_deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class PulseRecipient(Base):
    """Who was asked: never whether, when or what they answered."""

    __tablename__ = "pulse_recipients"
    __table_args__ = (
        UniqueConstraint("round_id", "user_id", name="uq_pulse_recipients"),
        # Who else asked the same people (bot/summary/overlap.py): a count, joined by user.
        Index("ix_pulse_recipients_user", "user_id", "round_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))


class PulseAnswer(Base):
    """One answer to one question in one round, keyed by an unlinkable respondent key: a
    score, or none when the person said the statement "didn't come up" (offered only for
    conditional statements; it counts in participation and in no average)."""

    __tablename__ = "pulse_answers"
    __table_args__ = (
        PrimaryKeyConstraint("round_id", "question_id", "respondent_key", name="pk_pulse_answers"),
        {"sqlite_with_rowid": False},  # stored in key order: no rowid telling write order
    )

    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(100))
    respondent_key: Mapped[str] = mapped_column(String(64))
    score: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)


class PulseComment(Base):
    """A comment under its respondent key. `reference` (random) is how summaries and their
    buttons name it; `author_link` is its author's user id sealed under the server secret
    (bot/platform/sealing.py, bound to the workspace, round and reference), so a manager can
    reply without anyone learning who wrote it (bot/threads). Both are set when the comment
    is written (NULL for comments written before replies existed); the link is deleted when
    its conversation closes or at the retention age, and made unopenable (random bytes in its
    place) when its author asks lvm to forget them (bot/threads/forgetting.py)."""

    __tablename__ = "pulse_comments"
    __table_args__ = (
        PrimaryKeyConstraint("round_id", "respondent_key", name="pk_pulse_comments"),
        Index("uq_pulse_comments_reference", "reference", unique=True),
        {"sqlite_with_rowid": False},
    )

    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id", ondelete="CASCADE"))
    respondent_key: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(String(32), nullable=True)
    author_link: Mapped[str | None] = mapped_column(Text, nullable=True)


def link_bound_to(team_id: str, round_id: int, reference: str) -> str:
    """What a comment's author link is sealed to: it opens on no other comment's row."""
    return f"{team_id}:{round_id}:{reference}"
