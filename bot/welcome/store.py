"""Who and where lvm has greeted, so that it greets each once: a channel it was added to, a
person's first visit to its Home tab. A row is claimed before greeting (its unique key makes a
second claim, from a redelivered event or another process, fail) and released if the greeting
could not be sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.platform.tables import Base

CHANNEL = "channel"
HOME = "home"


class Welcome(Base):
    __tablename__ = "welcomes"
    __table_args__ = (UniqueConstraint("team_id", "kind", "target_id", name="uq_welcomes_target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))  # channel | home
    target_id: Mapped[str] = mapped_column(String(32))  # a channel id, or a user id


def claim(session: Session, team_id: str, kind: str, target_id: str) -> bool:
    """Record the greeting; False if it was recorded already."""
    try:
        with session.begin_nested():
            session.add(Welcome(team_id=team_id, kind=kind, target_id=target_id))
    except IntegrityError:
        return False
    return True


def release(session: Session, team_id: str, kind: str, target_id: str) -> None:
    session.execute(
        delete(Welcome).where(
            Welcome.team_id == team_id, Welcome.kind == kind, Welcome.target_id == target_id
        )
    )


def forget_person(session: Session, team_id: str, user_id: str, now: datetime) -> int:
    """`/lvm forget me`: that lvm greeted the person on its Home tab (it greets them anew)."""
    deleted = session.execute(
        delete(Welcome).where(
            Welcome.team_id == team_id, Welcome.kind == HOME, Welcome.target_id == user_id
        )
    )
    return int(deleted.rowcount)  # type: ignore[attr-defined]
