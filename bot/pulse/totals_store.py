"""Each question's totals in a closed round, stored once nothing can change them any more.

A summary needs per round only sums and counts; once a round has closed they are final, so
the clock keeps them here, and the round's counts in `pulse_rounds` (`bot.summary.
stored_totals` writes both), and a summary reads a few rows per round instead of every
answer. Like everything a summary reads, they are aggregates: no respondent key, no user id,
no single answer.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.platform.tables import Base


class PulseQuestionTotal(Base):
    """The sum and count of one question's scores in a closed round, how many of the scores
    were favorable (4 or 5), and how many said "didn't come up" (no score)."""

    __tablename__ = "pulse_question_totals"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("pulse_rounds.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    question_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    score_sum: Mapped[int] = mapped_column(Integer)
    answers: Mapped[int] = mapped_column(Integer)  # scored answers only
    # NULL: not known. Totals stored before favorable answers were counted got theirs from
    # their answers on upgrade (migration 0014); only rows whose answers were no longer all
    # there stay NULL, and percent favorable is then not shown for them.
    favorable: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Known for every row: before "didn't come up" existed no answer lacked a score.
    not_applicable: Mapped[int] = mapped_column(Integer, server_default="0")
