"""Installs by OAuth: slack_sdk's SQLAlchemy stores on lvm's own database.

The tables are slack_sdk's own (registered here so the schema check and migration 0018 know
them); the stores read and write them with their own queries. Each install state is signed
with SLACK_STATE_SECRET, so a state lvm never issued is refused before it is looked up.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from logging import Logger

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import String, delete, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.platform.database import Database
from bot.platform.forgetting import FORGOTTEN
from bot.platform.tables import Base

BOTS_TABLE = "slack_bots"
INSTALLATIONS_TABLE = "slack_installations"
STATES_TABLE = "slack_oauth_states"
# An install link is good for this long: the person picks a workspace and approves.
STATE_SECONDS = 600

SQLAlchemyInstallationStore.build_bots_table(Base.metadata, BOTS_TABLE)
SQLAlchemyInstallationStore.build_installations_table(Base.metadata, INSTALLATIONS_TABLE)
SQLAlchemyOAuthStateStore.build_oauth_states_table(Base.metadata, STATES_TABLE)


class WorkspaceOrg(Base):
    """The organization of a workspace that an org-wide (Enterprise Grid) install serves.

    An org-wide install is stored under its enterprise alone; outbox rows and the clock know
    only a team_id, so this is how they find the install (bot/platform/workspaces.py).
    """

    __tablename__ = "workspace_orgs"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    enterprise_id: Mapped[str] = mapped_column(String(32))


def installation_store(database: Database, client_id: str) -> SQLAlchemyInstallationStore:
    return SQLAlchemyInstallationStore(
        client_id=client_id,
        engine=database.engine,
        bots_table_name=BOTS_TABLE,
        installations_table_name=INSTALLATIONS_TABLE,
    )


def state_store(database: Database, secret: str) -> SignedStateStore:
    stored = SQLAlchemyOAuthStateStore(
        expiration_seconds=STATE_SECONDS, engine=database.engine, table_name=STATES_TABLE
    )
    return SignedStateStore(stored, secret)


class SignedStateStore(OAuthStateStore):
    """Install states kept until used once (slack_sdk's store), each with an HMAC."""

    def __init__(self, stored: OAuthStateStore, secret: str) -> None:
        self.stored = stored
        self._key = secret.encode()

    @property
    def logger(self) -> Logger:
        return self.stored.logger

    def _sign(self, state: str) -> str:
        return hmac.new(self._key, state.encode(), hashlib.sha256).hexdigest()

    def issue(self, *args: object, **kwargs: object) -> str:
        state = self.stored.issue(*args, **kwargs)
        return f"{state}.{self._sign(state)}"

    def consume(self, state: str) -> bool:
        issued, _, signature = state.rpartition(".")
        if not issued or not hmac.compare_digest(signature, self._sign(issued)):
            return False
        return self.stored.consume(issued)


def remember_org(database: Database, team_id: str, enterprise_id: str) -> None:
    """Note which organization's org-wide install serves `team_id` (once per workspace)."""
    with database.transaction() as session:
        known = session.get(WorkspaceOrg, team_id)
        if known is None:
            session.add(WorkspaceOrg(team_id=team_id, enterprise_id=enterprise_id))
        elif known.enterprise_id != enterprise_id:
            known.enterprise_id = enterprise_id


def org_of(database: Database, team_id: str) -> str | None:
    with database.reading() as session:
        known = session.get(WorkspaceOrg, team_id)
        return known.enterprise_id if known is not None else None


def forget_installer(session: Session, team_id: str, user_id: str, now: datetime) -> int:
    """`/lvm forget me`: the person who installed lvm is no longer named in the workspace's
    install record, which stays (its bot token is how lvm reaches the workspace)."""
    installations = Base.metadata.tables[INSTALLATIONS_TABLE]
    unnamed = session.execute(
        update(installations)
        .where(installations.c.team_id == team_id, installations.c.user_id == user_id)
        .values(user_id=FORGOTTEN)
    )
    return int(unnamed.rowcount)  # type: ignore[attr-defined]


def delete_workspace_installs(session: Session, team_id: str) -> int:
    """The workspace's own install records and bot tokens, once it removed lvm (an org-wide
    install is its organization's, and stays); how many rows."""
    deleted = 0
    for name in (BOTS_TABLE, INSTALLATIONS_TABLE):
        table = Base.metadata.tables[name]
        result = session.execute(delete(table).where(table.c.team_id == team_id))
        deleted += int(result.rowcount)  # type: ignore[attr-defined]
    return deleted
