"""The team's focus as stored: a manager's choice, or the suggestion carried between closes.

One row per pulse team. `chosen_by` is the manager who chose the area, and `chosen_at`
when; a row whose `chosen_by` is NULL is the pulse's own suggestion, remembered when a round
closes so the next suggestion holds still (bot/summary/focus.py). It holds no answers and
nothing about team members.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.platform.column_types import UtcDateTime
from bot.platform.tables import Base


class PulseFocus(Base):
    __tablename__ = "pulse_focus"

    pulse_team_id: Mapped[int] = mapped_column(
        ForeignKey("pulse_teams.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[str] = mapped_column(String(32))
    dimension_id: Mapped[str] = mapped_column(String(80))
    chosen_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    chosen_at: Mapped[datetime] = mapped_column(UtcDateTime)


def focus_of(session: Session, pulse_team_id: int) -> PulseFocus | None:
    return session.get(PulseFocus, pulse_team_id)


def choose(
    session: Session,
    *,
    team_id: str,
    pulse_team_id: int,
    dimension_id: str,
    user_id: str,
    now: datetime,
) -> bool:
    """Store a manager's choice (the caller holds the team's lock); False when that area was
    already the chosen focus, which is left as it was (a retried click changes nothing)."""
    row = session.get(PulseFocus, pulse_team_id)
    if row is not None and row.chosen_by is not None and row.dimension_id == dimension_id:
        return False
    if row is None:
        row = PulseFocus(pulse_team_id=pulse_team_id, team_id=team_id)
        session.add(row)
    row.dimension_id, row.chosen_by, row.chosen_at = dimension_id, user_id, now
    session.flush()
    return True


def carry(
    session: Session,
    *,
    team_id: str,
    pulse_team_id: int,
    dimension_id: str,
    replacing: str | None,
    now: datetime,
) -> None:
    """Remember the suggested focus at a round's close. It replaces the pulse's own earlier
    suggestion, or the choice of `replacing` (a manager's choice that no longer stands), but
    never a choice made meanwhile: the condition is checked in the UPDATE itself."""
    kept = PulseFocus.chosen_by.is_(None)
    if replacing is not None:
        kept = or_(kept, PulseFocus.chosen_by == replacing)
    updated = session.execute(
        update(PulseFocus)
        .where(PulseFocus.pulse_team_id == pulse_team_id, kept)
        .values(dimension_id=dimension_id, chosen_by=None, chosen_at=now)
        .execution_options(synchronize_session=False)
    )
    if updated.rowcount or session.get(PulseFocus, pulse_team_id) is not None:
        return
    try:
        with session.begin_nested():
            session.add(
                PulseFocus(
                    pulse_team_id=pulse_team_id,
                    team_id=team_id,
                    dimension_id=dimension_id,
                    chosen_by=None,
                    chosen_at=now,
                )
            )
    except IntegrityError:
        pass  # a manager's click stored a choice meanwhile: it wins


def forget_person(session: Session, team_id: str, user_id: str, now: datetime) -> int:
    """`/lvm forget me`: a focus the person chose stays the team's focus, without their
    name; from then on it holds like the pulse's own suggestion (`carry` may move it at a
    close once the results point elsewhere)."""
    unnamed = session.execute(
        update(PulseFocus)
        .where(PulseFocus.team_id == team_id, PulseFocus.chosen_by == user_id)
        .values(chosen_by=None)
        .execution_options(synchronize_session=False)
    )
    return int(unnamed.rowcount)  # type: ignore[attr-defined]
