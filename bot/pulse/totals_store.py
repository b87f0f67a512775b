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
    """The sum and count of one question's scores in a closed round."""

    __tablename__ = "pulse_question_totals"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("pulse_rounds.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    question_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    score_sum: Mapped[int] = mapped_column(Integer)
    answers: Mapped[int] = mapped_column(Integer)
