"""Installs by OAuth: slack_sdk's SQLAlchemy stores on lvm's own database.

The tables are slack_sdk's own (registered here so the schema check and migration 0018 know
them); the stores read and write them with their own queries. Each install state is signed
with SLACK_STATE_SECRET, so a state lvm never issued is refused before it is looked up.

Token rotation (an app with it on gets bot tokens that expire after 12 hours, and a refresh
token): slack_sdk's TokenRotator renews a token due within RENEW_MINUTES_BEFORE_EXPIRY, for
Bolt's requests (bot/platform/oauth.py) and for the clock and the outbox alike
(bot/platform/workspaces.py), and the renewed bot is saved here. The rotator reads the
system clock; lvm's time is `Services.now`. So the store keeps each token's expiry in lvm's
time and shows it to slack_sdk as that many seconds from the system's now
(`ClockedInstallationStore`): the same moment in production, where both clocks are one, and
in tests a token falls due when their ManualClock says so.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import time
from collections.abc import Callable
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta
from logging import Logger
from typing import Any
from uuid import uuid4

from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import String, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.platform.config import Settings
from bot.platform.database import Database
from bot.platform.forgetting import FORGOTTEN
from bot.platform.slack_client import build_web_client
from bot.platform.tables import Base

BOTS_TABLE = "slack_bots"
INSTALLATIONS_TABLE = "slack_installations"
STATES_TABLE = "slack_oauth_states"
# An install link is good for this long: the person picks a workspace and approves.
STATE_SECONDS = 600
# A rotating token is renewed once it expires within this many minutes (Bolt's default):
# whoever needs it first then, a request or the clock, renews it for both.
RENEW_MINUTES_BEFORE_EXPIRY = 120

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


def installation_store(
    database: Database, client_id: str, now: Callable[[], datetime]
) -> ClockedInstallationStore:
    """The installs on lvm's database, their tokens' expiry kept in `now`'s time."""
    stored = SQLAlchemyInstallationStore(
        client_id=client_id,
        engine=database.engine,
        bots_table_name=BOTS_TABLE,
        installations_table_name=INSTALLATIONS_TABLE,
    )
    return ClockedInstallationStore(stored, now)


def token_rotator(settings: Settings) -> TokenRotator:
    """slack_sdk's rotator, asking Slack (SLACK_API_URL) with the app's credentials."""
    client: WebClient = build_web_client(None, settings.SLACK_API_URL)
    return TokenRotator(
        client_id=settings.SLACK_CLIENT_ID or "",
        client_secret=settings.SLACK_CLIENT_SECRET or "",
        client=client,
    )


class ClockedInstallationStore(InstallationStore):
    """slack_sdk's SQLAlchemy store, with token expiry stored in lvm's time (see the module
    doc): saved as the system's moment less the system's lead on lvm's clock, found as the
    stored moment plus it. Nothing else is changed."""

    def __init__(self, stored: SQLAlchemyInstallationStore, now: Callable[[], datetime]) -> None:
        self.stored = stored
        self._now = now

    @property
    def logger(self) -> Logger:
        return self.stored.logger

    @property
    def client_id(self) -> str:
        return str(self.stored.client_id)

    def _lead(self) -> int:
        """Seconds the system clock is ahead of lvm's (0 in production, give or take one)."""
        return round(time.time() - self._now().timestamp())

    def save(self, installation: Installation) -> None:
        self.stored.save(_shifted(installation, -self._lead()))

    def save_bot(self, bot: Bot) -> None:
        self.stored.save_bot(_shifted_bot(bot, -self._lead()))

    def save_bot_in(self, session: Session, bot: Bot) -> None:
        """`save_bot` inside the caller's transaction: slack_sdk's own statements, run on
        the session's connection (where the bot's row is locked, `lock_bot`)."""
        stored = copy.copy(self.stored)
        stored.engine = _InTransaction(session)  # type: ignore[assignment]
        stored.save_bot(_shifted_bot(bot, -self._lead()))

    def lock_bot(
        self, session: Session, enterprise_id: str | None, team_id: str | None
    ) -> str | None:
        """The bot token stored for this install (team_id None: an org-wide install), its
        row locked until the session's transaction ends: SELECT ... FOR UPDATE on
        PostgreSQL; on SQLite the transaction itself holds the one writer's lock."""
        bots = Base.metadata.tables[BOTS_TABLE]
        token = session.scalar(
            select(bots.c.bot_token)
            .where(
                bots.c.client_id == self.client_id,
                bots.c.enterprise_id.is_(None)
                if enterprise_id is None
                else bots.c.enterprise_id == enterprise_id,
                bots.c.team_id.is_(None) if team_id is None else bots.c.team_id == team_id,
            )
            .order_by(bots.c.installed_at.desc())
            .limit(1)
            .with_for_update()
        )
        return None if token is None else str(token)

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        bot = self.stored.find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        return None if bot is None else _shifted_bot(bot, self._lead())

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        installation = self.stored.find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )
        return None if installation is None else _shifted(installation, self._lead())

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self.stored.delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        self.stored.delete_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
        )

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self.stored.delete_all(enterprise_id=enterprise_id, team_id=team_id)


class _InTransaction:
    """An engine whose `begin()` is the session's connection, inside its transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def begin(self) -> Any:
        return nullcontext(self._session.connection())


def _moved(expires_at: int | None, seconds: int) -> int | None:
    return None if expires_at is None else expires_at + seconds


def _shifted(installation: Installation, seconds: int) -> Installation:
    copied = Installation(**installation.to_dict_for_copying())
    copied.bot_token_expires_at = _moved(installation.bot_token_expires_at, seconds)
    copied.user_token_expires_at = _moved(installation.user_token_expires_at, seconds)
    return copied


def _shifted_bot(bot: Bot, seconds: int) -> Bot:
    copied = Bot(**bot.to_dict_for_copying())
    copied.bot_token_expires_at = _moved(bot.bot_token_expires_at, seconds)
    return copied


def state_store(database: Database, secret: str, now: Callable[[], datetime]) -> SignedStateStore:
    stored = ClockedStateStore(
        now, expiration_seconds=STATE_SECONDS, engine=database.engine, table_name=STATES_TABLE
    )
    return SignedStateStore(stored, secret)


class ClockedStateStore(SQLAlchemyOAuthStateStore):
    """slack_sdk's state store, on lvm's clock (`Services.now`) rather than the system's: a
    state expires, and is purged (`purge_expired_states`), by the same clock."""

    def __init__(self, now: Callable[[], datetime], **options: Any) -> None:
        super().__init__(**options)
        self._now = now

    def issue(self, *args: object, **kwargs: object) -> str:
        state = str(uuid4())
        expire_at = _naive_utc(self._now() + timedelta(seconds=self.expiration_seconds))
        with self.engine.begin() as connection:
            connection.execute(self.oauth_states.insert(), {"state": state, "expire_at": expire_at})
        return state

    def consume(self, state: str) -> bool:
        """True once for a state issued and not yet expired; it is deleted as it is used."""
        columns = self.oauth_states.c
        try:
            with self.engine.begin() as connection:
                used = connection.execute(
                    delete(self.oauth_states).where(
                        columns.state == state, columns.expire_at > _naive_utc(self._now())
                    )
                )
                return bool(used.rowcount)  # type: ignore[attr-defined]
        except Exception:  # as slack_sdk's own: the install link is refused, and logged
            self.logger.warning("the install state could not be checked", exc_info=True)
            return False


def _naive_utc(moment: datetime) -> datetime:
    """slack_sdk's state table keeps UTC without a zone (a plain DateTime column)."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def purge_expired_states(session: Session, now: datetime) -> int:
    """Delete install states past their expiry (a visit to /slack/install that never came
    back from Slack leaves one); how many."""
    states = Base.metadata.tables[STATES_TABLE]
    purged = session.execute(delete(states).where(states.c.expire_at < _naive_utc(now)))
    return int(purged.rowcount)  # type: ignore[attr-defined]


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


def workspaces_of_org(session: Session, enterprise_id: str) -> list[str]:
    """Every workspace of the organization that lvm has heard from (`remember_org`)."""
    return list(
        session.scalars(
            select(WorkspaceOrg.team_id)
            .where(WorkspaceOrg.enterprise_id == enterprise_id)
            .order_by(WorkspaceOrg.team_id)
        )
    )


def delete_org_installs(session: Session, enterprise_id: str) -> int:
    """An organization's org-wide install record and bot token, once it removed lvm
    org-wide; how many rows. Its workspaces' own installs (team_id set) are theirs to remove."""
    deleted = 0
    for name in (BOTS_TABLE, INSTALLATIONS_TABLE):
        table = Base.metadata.tables[name]
        result = session.execute(
            delete(table).where(table.c.enterprise_id == enterprise_id, table.c.team_id.is_(None))
        )
        deleted += int(result.rowcount)  # type: ignore[attr-defined]
    return deleted


def has_own_install(session: Session, team_id: str) -> bool:
    """Whether the workspace's own install (and bot token) is stored (installs by OAuth)."""
    bots = Base.metadata.tables[BOTS_TABLE]
    return session.scalar(select(bots.c.id).where(bots.c.team_id == team_id).limit(1)) is not None
