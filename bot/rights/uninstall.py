"""A workspace that removes lvm: stop sending at once, and delete its data after a while.

`app_uninstalled` (or `tokens_revoked` with the bot's token) records the moment in
`workspace_uninstalls` (bot/platform/uninstalls.py), which stops the outbox for the
workspace: nothing new is planned, and nothing left is sent. In the same transaction the
messages not sent yet are canceled, the workspace's running pulses are paused, its
nudges stopped, and (installs by OAuth) its install record and bot token, which no longer
work, deleted. LVM_DELETE_UNINSTALLED_AFTER_DAYS later the clock deletes everything of the
workspace (`delete_removed_workspaces`); a workspace whose deletion fails waits before it is
tried again, and the others go on meanwhile.

On Enterprise Grid, an org-wide install removed (`app_uninstalled` or the bot's
`tokens_revoked` with an enterprise install's authorization) removes every workspace of the
organization lvm has heard from (`workspace_orgs`) and deletes the organization's install;
`team_access_revoked` removes the workspaces it names, and the org-wide install stays for
the others.

lvm added back before then (a person's request from the workspace: a command, a click, a
form, opening its Home tab, a DM; installing it again by OAuth; for an organization,
`team_access_granted`) removes the record: the data is kept, and nothing restarts by itself. The
workspace's managers resume their pulses (`/lvm pulse resume`) and people set their nudges
again when they want them: after weeks away, a team should not get a pulse it did not ask
for.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.nudges import store as nudge_store
from bot.platform import outbox
from bot.platform.dialect import insert_unless_present
from bot.platform.installations import (
    delete_org_installs,
    delete_workspace_installs,
    has_own_install,
    workspaces_of_org,
)
from bot.platform.services import Services
from bot.platform.uninstalls import WorkspaceUninstall, uninstall_of
from bot.pulse.forgetting import pause_workspace
from bot.rights.archive import delete_workspace

logger = logging.getLogger(__name__)

APP_UNINSTALLED = "app_uninstalled"
TOKENS_REVOKED = "tokens_revoked"
REMOVAL_EVENTS = (APP_UNINSTALLED, TOKENS_REVOKED)
# An organization took lvm's access to some of its workspaces away (an org-wide install
# stays for the others), or gave it back.
TEAM_ACCESS_REVOKED = "team_access_revoked"
TEAM_ACCESS_GRANTED = "team_access_granted"
BATCH = 5  # workspaces deleted at most per tick: each in a transaction of its own
# A workspace whose deletion failed is tried again after this, doubled at each failure up to
# a day; meanwhile it holds no place in the batch.
RETRY_DELETION_AFTER = timedelta(hours=1)
RETRY_DELETION_AT_MOST = timedelta(days=1)


@dataclass(frozen=True)
class Removal:
    first: bool  # False: recorded already (Slack redelivered the event)
    canceled: int  # outbox rows
    paused_teams: int
    stopped_nudges: int
    installs: int  # install records and bot tokens deleted (installs by OAuth)


def _stop_workspace(session: Session, team_id: str, reason: str, now: datetime) -> Removal:
    """Record the removal (a redelivered event keeps the first moment) and stop everything
    the workspace had going; its install is the caller's to delete."""
    first = insert_unless_present(
        session,
        WorkspaceUninstall.__table__,  # type: ignore[arg-type]
        {"team_id": team_id, "uninstalled_at": now, "reason": reason},
        key=["team_id"],
    )
    return Removal(
        first=first,
        canceled=outbox.cancel_unsent(session, team_id, why=f"{reason} in the workspace"),
        paused_teams=pause_workspace(session, team_id, now),
        stopped_nudges=nudge_store.pause_workspace(session, team_id),
        installs=0,
    )


def _logged(services: Services, team_id: str, reason: str, removal: Removal) -> None:
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


def record_removal(services: Services, team_id: str, reason: str) -> Removal:
    """A workspace removed its own install of lvm: stop everything for it."""
    with services.database.transaction() as session:
        removal = _stop_workspace(session, team_id, reason, services.now())
        # Its tokens no longer work: a new install stores new ones.
        removal = replace(removal, installs=delete_workspace_installs(session, team_id))
    services.workspaces.forget(team_id)
    _logged(services, team_id, reason, removal)
    return removal


def record_org_removal(services: Services, enterprise_id: str, reason: str) -> dict[str, Removal]:
    """An organization removed its org-wide install: every workspace of it that lvm has heard
    from is removed, each as if it had removed lvm itself, and the organization's install and
    token are deleted, so none of its workspaces is sent anything more. {team_id: Removal}.

    A workspace of the organization with its own install of lvm keeps it: that install was
    not removed, and it goes on being served with its own token."""
    with services.database.transaction() as session:
        removals = {
            team_id: _stop_workspace(session, team_id, reason, services.now())
            for team_id in workspaces_of_org(session, enterprise_id)
            if not has_own_install(session, team_id)
        }
        installs = delete_org_installs(session, enterprise_id)
    logger.info(
        "organization %s removed lvm (%s): %d install rows deleted, %d workspaces removed",
        enterprise_id,
        reason,
        installs,
        len(removals),
    )
    for team_id, removal in removals.items():
        services.workspaces.forget(team_id)
        _logged(services, team_id, reason, removal)
    return removals


def record_access_revoked(
    services: Services, enterprise_id: str, team_ids: list[str]
) -> dict[str, Removal]:
    """An organization took lvm's access to some of its workspaces away: each is removed
    (sending stops, its data is deleted later unless it comes back); the org-wide install
    stays, for the organization's other workspaces. A workspace not of that organization is
    left alone."""
    with services.database.transaction() as session:
        members = set(workspaces_of_org(session, enterprise_id))
        removals = {
            team_id: _stop_workspace(session, team_id, TEAM_ACCESS_REVOKED, services.now())
            for team_id in team_ids
            if team_id in members
        }
    for team_id, removal in removals.items():
        services.workspaces.forget(team_id)
        _logged(services, team_id, TEAM_ACCESS_REVOKED, removal)
    return removals


def access_granted(services: Services, enterprise_id: str, team_ids: list[str]) -> int:
    """An organization gave lvm access to some of its workspaces (back): those that had
    removed it are back, their data kept. How many."""
    with services.database.reading() as session:
        members = set(workspaces_of_org(session, enterprise_id))
    return sum(welcome_back(services, team_id) for team_id in team_ids if team_id in members)


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


def welcome_back_install(services: Services, team_id: str | None, enterprise_id: str | None) -> int:
    """lvm was installed again by OAuth: its workspace (every workspace of the organization,
    for an org-wide install) is back, its data kept, whether or not anyone uses lvm soon.
    How many workspaces came back."""
    if team_id is not None:
        return int(welcome_back(services, team_id))
    if enterprise_id is None:
        return 0
    with services.database.reading() as session:
        # A workspace the organization took lvm's access from stays removed: reinstalling
        # (or re-approving scopes) org-wide does not give it back its access.
        team_ids = [
            team_id
            for team_id in workspaces_of_org(session, enterprise_id)
            if (removed := uninstall_of(session, team_id)) is None
            or removed.reason != TEAM_ACCESS_REVOKED
        ]
    return sum(welcome_back(services, member) for member in team_ids)


def delete_removed_workspaces(services: Services, now: datetime) -> int:
    """The clock's work: delete the data of workspaces gone for longer than the setting;
    how many workspaces. One that fails is logged and waits (RETRY_DELETION_AFTER, doubled at
    each failure), so workspaces that keep failing never hold back the others."""
    keep_for = timedelta(days=services.settings.LVM_DELETE_UNINSTALLED_AFTER_DAYS)
    with services.database.reading() as session:
        due = list(
            session.scalars(
                select(WorkspaceUninstall.team_id)
                .where(
                    WorkspaceUninstall.uninstalled_at <= now - keep_for,
                    or_(
                        WorkspaceUninstall.retry_deletion_at.is_(None),
                        WorkspaceUninstall.retry_deletion_at <= now,
                    ),
                )
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
                uninstalled_at = removed.uninstalled_at
                counts = delete_workspace(session, services.schema, team_id)
        except Exception:
            retry_at = _deletion_failed(services, team_id, now)
            logger.exception(
                "deleting the data of removed workspace %s failed; tried again from %s",
                team_id,
                retry_at.isoformat() if retry_at else "the next tick",
            )
            continue
        deleted += 1
        logger.info(
            "deleted the data of workspace %s, removed %s: %s",
            team_id,
            uninstalled_at.date().isoformat(),
            ", ".join(f"{table} {count}" for table, count in sorted(counts.items())),
        )
    return deleted


def _deletion_failed(services: Services, team_id: str, now: datetime) -> datetime | None:
    """Count the failure and put the workspace's next try off; when it is."""
    try:
        with services.database.transaction() as session:
            removed = session.get(WorkspaceUninstall, team_id, with_for_update=True)
            if removed is None:
                return None
            removed.deletion_failures += 1
            wait = RETRY_DELETION_AFTER * 2 ** min(removed.deletion_failures - 1, 10)
            removed.retry_deletion_at = now + min(wait, RETRY_DELETION_AT_MOST)
            return removed.retry_deletion_at
    except Exception:
        logger.exception("noting the failed deletion of workspace %s failed", team_id)
        return None
