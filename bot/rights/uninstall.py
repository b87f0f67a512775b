"""A workspace that removes lvm: stop sending at once, and delete its data after a while.

`app_uninstalled` (or `tokens_revoked` with the bot's token) records the moment in
`workspace_uninstalls` (bot/platform/uninstalls.py), which stops the outbox for the
workspace: nothing new is planned, and nothing left is sent. In the same transaction the
messages not sent yet are canceled, the workspace's running pulses are paused, its
nudges stopped, and (installs by OAuth) its install record and bot token, which no longer
work, deleted. LVM_DELETE_UNINSTALLED_AFTER_DAYS later the clock deletes everything of the
workspace (`delete_removed_workspaces`).

lvm added back before then (a person's request from the workspace: a command, a click, a
form, opening its Home tab, a DM) removes the record: the data is kept, and nothing restarts by itself. The
workspace's managers resume their pulses (`/lvm pulse resume`) and people set their nudges
again when they want them: after weeks away, a team should not get a pulse it did not ask
for.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.nudges import store as nudge_store
from bot.platform import outbox
from bot.platform.dialect import insert_unless_present
from bot.platform.installations import delete_workspace_installs
from bot.platform.services import Services
from bot.platform.uninstalls import WorkspaceUninstall, uninstall_of
from bot.pulse.forgetting import pause_workspace
from bot.rights.archive import delete_workspace

logger = logging.getLogger(__name__)

APP_UNINSTALLED = "app_uninstalled"
TOKENS_REVOKED = "tokens_revoked"
REMOVAL_EVENTS = (APP_UNINSTALLED, TOKENS_REVOKED)
BATCH = 5  # workspaces deleted at most per tick: each in a transaction of its own


@dataclass(frozen=True)
class Removal:
    first: bool  # False: recorded already (Slack redelivered the event)
    canceled: int  # outbox rows
    paused_teams: int
    stopped_nudges: int
    installs: int  # install records and bot tokens deleted (installs by OAuth)


def record_removal(services: Services, team_id: str, reason: str) -> Removal:
    """Stop everything for the workspace; a redelivered event keeps the first moment."""
    now = services.now()
    with services.database.transaction() as session:
        first = insert_unless_present(
            session,
            WorkspaceUninstall.__table__,  # type: ignore[arg-type]
            {"team_id": team_id, "uninstalled_at": now, "reason": reason},
            key=["team_id"],
        )
        removal = Removal(
            first=first,
            canceled=outbox.cancel_unsent(session, team_id, why=f"{reason} in the workspace"),
            paused_teams=pause_workspace(session, team_id, now),
            stopped_nudges=nudge_store.pause_workspace(session, team_id),
            # Its tokens no longer work: a new install stores new ones.
            installs=delete_workspace_installs(session, team_id),
        )
    services.workspaces.forget(team_id)
    logger.info(
        "workspace %s removed lvm (%s): %d messages canceled, %d pulses paused, %d nudges "
        "stopped, %d install rows deleted; its data is deleted in %d days unless it comes back",
        team_id,
        reason,
        removal.canceled,
        removal.paused_teams,
        removal.stopped_nudges,
        removal.installs,
        services.settings.LVM_DELETE_UNINSTALLED_AFTER_DAYS,
    )
    return removal


def welcome_back(services: Services, team_id: str) -> bool:
    """A request from a workspace that had removed lvm: keep its data (the deletion is
    called off) and restart nothing. True when it had been removed."""
    with services.database.reading() as session:
        if uninstall_of(session, team_id) is None:
            return False
    with services.database.transaction() as session:
        removed = uninstall_of(session, team_id)
        if removed is None:
            return False  # another request got here first
        # Rows planned in a race with the removal waited, unsent: they are weeks late now.
        outbox.cancel_unsent(
            session,
            team_id,
            why="planned while lvm was removed",
            created_since=removed.uninstalled_at,
        )
        session.delete(removed)
    logger.info("workspace %s is back: its data is kept, nothing restarted by itself", team_id)
    return True


def delete_removed_workspaces(services: Services, now: datetime) -> int:
    """The clock's work: delete the data of workspaces gone for longer than the setting;
    how many workspaces. One failing is logged and tried again next tick; the others go on."""
    keep_for = timedelta(days=services.settings.LVM_DELETE_UNINSTALLED_AFTER_DAYS)
    with services.database.reading() as session:
        due = list(
            session.scalars(
                select(WorkspaceUninstall.team_id)
                .where(WorkspaceUninstall.uninstalled_at <= now - keep_for)
                .order_by(WorkspaceUninstall.uninstalled_at)
                .limit(BATCH)
            )
        )
    deleted = 0
    for team_id in due:
        try:
            with services.database.transaction() as session:
                # Still removed? A request may have brought the workspace back meanwhile.
                removed = session.scalar(
                    select(WorkspaceUninstall)
                    .where(WorkspaceUninstall.team_id == team_id)
                    .with_for_update()
                )
                if removed is None or removed.uninstalled_at > now - keep_for:
                    continue
                counts = delete_workspace(session, services.schema, team_id)
        except Exception:
            logger.exception("deleting the data of removed workspace %s failed", team_id)
            continue
        deleted += 1
        logger.info(
            "deleted the data of workspace %s, removed %s: %s",
            team_id,
            removed.uninstalled_at.date().isoformat(),
            ", ".join(f"{table} {count}" for table, count in sorted(counts.items())),
        )
    return deleted
