"""The situation forms already answered, so a form submitted twice (a second press of Submit
after a slow answer, or Slack sending it again) is answered once.

A row holds the workspace, Slack's id of the form and when it was answered: nothing of what
was chosen, nor who chose it. Rows older than `KEPT` are deleted by the workspace's next
answer (never another workspace's: a request touches only its own workspace's rows).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import String, Table, delete
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.platform.column_types import UtcDateTime
from bot.platform.dialect import insert_unless_present
from bot.platform.tables import Base

# A form is submitted again within seconds; a day leaves room for any delay.
KEPT = timedelta(days=1)


class SituationAnswer(Base):
    __tablename__ = "situation_answers"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    view_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


def claim_answer(session: Session, team_id: str, view_id: str, now: datetime) -> bool:
    """Record that this form is being answered; False if it was already."""
    session.execute(
        delete(SituationAnswer).where(
            SituationAnswer.team_id == team_id, SituationAnswer.answered_at < now - KEPT
        )
    )
    return insert_unless_present(
        session,
        cast(Table, SituationAnswer.__table__),
        {"team_id": team_id, "view_id": view_id, "answered_at": now},
        key=("team_id", "view_id"),
    )
