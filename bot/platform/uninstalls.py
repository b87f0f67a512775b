"""Workspaces that removed lvm (`app_uninstalled`, or its bot token revoked), and since when.

A row stops every message to its workspace at once: the outbox plans nothing for it and
sends nothing of it (`bot.platform.outbox`). The rights feature (bot/rights/uninstall.py)
writes the row, removes it when the workspace comes back, and deletes the workspace's data
once it has stayed away for LVM_DELETE_UNINSTALLED_AFTER_DAYS.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.platform.column_types import UtcDateTime
from bot.platform.tables import Base

# Where a session remembers which workspaces it found uninstalled, so a round that plans
# three hundred DMs asks once.
_CHECKED = "uninstalled_workspaces"


class WorkspaceUninstall(Base):
    __tablename__ = "workspace_uninstalls"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    uninstalled_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The event: app_uninstalled | tokens_revoked | team_access_revoked (an organization
    # took lvm's access to the workspace away).
    reason: Mapped[str] = mapped_column(String(32))
    # Deleting the workspace's data failed this many times in a row; the clock tries it
    # again from `retry_deletion_at` and meanwhile deletes the other workspaces due.
    deletion_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    retry_deletion_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


def uninstall_of(session: Session, team_id: str) -> WorkspaceUninstall | None:
    return session.get(WorkspaceUninstall, team_id)


def is_uninstalled(session: Session, team_id: str) -> bool:
    """Whether lvm was removed from this workspace; asked once per transaction."""
    checked: dict[str, bool] = session.info.setdefault(_CHECKED, {})
    if team_id not in checked:
        checked[team_id] = (
            session.scalar(
                select(WorkspaceUninstall.team_id).where(WorkspaceUninstall.team_id == team_id)
            )
            is not None
        )
    return checked[team_id]
