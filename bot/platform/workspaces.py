"""Each workspace's WebClient, for work outside a request: the clock, the outbox, Slack reads.

With SLACK_BOT_TOKEN (one workspace) every workspace gets the same client. Installed by OAuth,
a workspace's client carries the bot token its install stored (bot/platform/installations.py),
looked up at most once a minute. Requests never come here: Bolt hands each listener a client
with its own workspace's token.

With token rotation on, a stored token expires: one due within RENEW_MINUTES_BEFORE_EXPIRY (in
lvm's time, `now`) is renewed by slack_sdk's TokenRotator before a client is made with it, and
the renewed bot is saved in the store, where Bolt's requests find it too. One thread of the
process at a time renews a workspace's token (the clock's readers and its Sender have clients
of their own), and reads the store again first. When Slack refuses to renew it (invalid_refresh_token: the refresh
token was revoked or already used up), one log line names the workspace, and each caller for
it meets `TokenNotRenewed` (a `NotInstalled`: its outbox rows fail) until it is installed again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store import Bot, InstallationStore
from slack_sdk.oauth.token_rotation import TokenRotator

from bot.platform.config import Settings
from bot.platform.database import Database
from bot.platform.directory import Directory, SlackDirectory
from bot.platform.installations import (
    RENEW_MINUTES_BEFORE_EXPIRY,
    installation_store,
    org_of,
    token_rotator,
)
from bot.platform.slack_client import build_web_client
from bot.platform.timekeeping import utc_now

logger = logging.getLogger(__name__)

# How long a workspace's token is reused before the store is asked again: a reinstall's
# new token is picked up within this many seconds. A refused renewal is remembered as long.
TOKEN_SECONDS = 60.0
RENEW_BEFORE_EXPIRY = timedelta(minutes=RENEW_MINUTES_BEFORE_EXPIRY)

_Key = tuple[str, str | None]
# One lock per workspace for every WorkspaceClients of the process: a refresh token works once.
_Owner = tuple[str | None, str | None]  # a stored install: its enterprise, its team
_RENEWING: dict[_Owner, threading.Lock] = {}
_RENEWING_LOCK = threading.Lock()


class NotInstalled(LookupError):
    """No installation holds a bot token for this workspace (never installed, or removed)."""


class TokenNotRenewed(NotInstalled):
    """The workspace's bot token expired (or is about to), and Slack refused to renew it."""


class RenewalFailed(RuntimeError):
    """The workspace's token has expired and could not be renewed for now (Slack failed or
    could not be reached): the caller tries again later, as after any failed call."""


# Slack's answers that mean the refresh token (or the app's credentials) will never renew
# the token; any other error (5xx, ratelimited, internal_error) may pass.
REFUSALS = frozenset(
    {
        "invalid_refresh_token",
        "invalid_grant_type",
        "invalid_client_id",
        "bad_client_secret",
        "invalid_client",
        "invalid_grant",
        "token_revoked",
        "app_uninstalled",
    }
)


@dataclass
class _Cached:
    client: WebClient | None
    directory: SlackDirectory | None
    until: float  # monotonic seconds
    renew_from: datetime | None = None  # lvm's time from which the token is due for renewal
    refused: str | None = None  # why Slack would not renew the token, remembered as long

    def fresh(self, monotonic: float, now: datetime) -> bool:
        return self.until > monotonic and (self.renew_from is None or now < self.renew_from)


class WorkspaceClients:
    def __init__(
        self,
        settings: Settings,
        database: Database,
        *,
        wait_out_rate_limits: bool = True,
        single_client: WebClient | None = None,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.settings = settings
        self.database = database
        self._wait = wait_out_rate_limits
        self._clock = clock
        self._now = now
        self._lock = threading.Lock()
        self._cache: dict[_Key, _Cached] = {}
        self.installations: InstallationStore | None = None
        self._rotator: TokenRotator | None = None
        self._single: _Cached | None = None
        if settings.installs_by_oauth:
            self.installations = installation_store(database, settings.SLACK_CLIENT_ID or "", now)
            self._rotator = token_rotator(settings)
        else:
            client = single_client or self._client(settings.SLACK_BOT_TOKEN)
            self._single = _Cached(client, SlackDirectory(client), float("inf"))

    def _client(self, token: str | None) -> WebClient:
        return build_web_client(token, self.settings.SLACK_API_URL, wait_out_rate_limits=self._wait)

    def client_for(self, team_id: str, enterprise_id: str | None = None) -> WebClient:
        client = self._entry(team_id, enterprise_id).client
        assert client is not None
        return client

    def directory_for(self, team_id: str, enterprise_id: str | None = None) -> Directory:
        directory = self._entry(team_id, enterprise_id).directory
        assert directory is not None
        return directory

    def _entry(self, team_id: str, enterprise_id: str | None) -> _Cached:
        if self._single is not None:
            return self._single
        key = (team_id, enterprise_id)
        entry = self._cached(key)
        if entry is None:
            entry = self._load(team_id, enterprise_id)
            with self._lock:
                self._cache[key] = entry
        if entry.refused is not None:
            raise TokenNotRenewed(entry.refused)
        return entry

    def _cached(self, key: _Key) -> _Cached | None:
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None and cached.fresh(self._clock(), self._now()):
            return cached
        return None

    def _renewal_lock(self, key: _Owner) -> threading.Lock:
        with _RENEWING_LOCK:
            return _RENEWING.setdefault(key, threading.Lock())

    def _load(self, team_id: str, enterprise_id: str | None) -> _Cached:
        until = self._clock() + TOKEN_SECONDS
        bot = self._find_bot(team_id, enterprise_id)
        try:
            bot = self._renewed(bot, team_id, enterprise_id)
        except TokenNotRenewed as refused:
            return _Cached(None, None, until, refused=str(refused))
        except RenewalFailed as failed:
            if self._expires_at(bot) <= self._now():
                raise  # not cached: the next row asks Slack again
            # The token still works: it is used until the next try, a minute from now.
            logger.warning("%s; its current token is used meanwhile", failed)
            client = self._client(bot.bot_token)
            renew_from = min(self._now() + timedelta(seconds=TOKEN_SECONDS), self._expires_at(bot))
            return _Cached(client, SlackDirectory(client), until, renew_from)
        client = self._client(bot.bot_token)
        return _Cached(client, SlackDirectory(client), until, self._renew_from(bot))

    def _expires_at(self, bot: Bot) -> datetime:
        """When, in lvm's time, the bot's token expires (see `_renew_from`)."""
        assert bot.bot_token_expires_at is not None
        return self._now() + timedelta(seconds=bot.bot_token_expires_at - time.time())

    def _renew_from(self, bot: Bot) -> datetime | None:
        """When, in lvm's time, the bot's token falls due for renewal (None: never). The store
        shows its expiry as seconds from the system's now (bot/platform/installations.py)."""
        if bot.bot_token_expires_at is None or bot.bot_refresh_token is None:
            return None
        seconds_left = bot.bot_token_expires_at - time.time()
        return self._now() + timedelta(seconds=seconds_left) - RENEW_BEFORE_EXPIRY

    def _find_bot(self, team_id: str, enterprise_id: str | None) -> Bot:
        """The workspace's own install first, else its organization's org-wide install.

        A workspace of an Enterprise Grid organization is stored under its enterprise_id too:
        when the caller knows only the team_id, the organization noted at its requests is used.
        """
        assert self.installations is not None
        store = self.installations
        bot = store.find_bot(enterprise_id=enterprise_id, team_id=team_id)
        org = enterprise_id or org_of(self.database, team_id)
        if bot is None and org is not None:
            bot = store.find_bot(enterprise_id=org, team_id=team_id) or store.find_bot(
                enterprise_id=org, team_id=None, is_enterprise_install=True
            )
        if bot is None or not bot.bot_token:
            raise NotInstalled(f"lvm is not installed in workspace {team_id}")
        return bot

    def _renewed(self, bot: Bot, team_id: str, enterprise_id: str | None) -> Bot:
        """The bot with a token good for a while: renewed and saved if it was due.

        An org-wide install's token serves all the organization's workspaces, so the lock
        is the stored install's (its enterprise, and its team unless org-wide), in this
        process and, by the row's lock, in every other: a refresh token works once.
        """
        if bot.bot_refresh_token is None or self._rotator is None:
            return bot  # a token that never expires
        if self._renew_from(bot) > self._now():  # type: ignore[operator]
            return bot  # not due yet
        assert self.installations is not None
        store = self.installations
        owner = (bot.enterprise_id, None if bot.is_enterprise_install else bot.team_id)
        with self._renewal_lock(owner), self.database.transaction() as session:
            if store.lock_bot(session, *owner) != bot.bot_token:
                renewed = None  # another thread or process renewed it meanwhile
            else:
                renewed = self._rotated(bot, team_id)
                if renewed is not None:
                    store.save_bot_in(session, renewed)
        if renewed is None:
            return self._find_bot(team_id, enterprise_id)
        logger.info("workspace %s: lvm's bot token renewed", team_id)
        return renewed

    def _rotated(self, bot: Bot, team_id: str) -> Bot | None:
        """slack_sdk's renewal of the bot's token. TokenNotRenewed when Slack refused it for
        good; RenewalFailed when it could not be asked or failed (5xx, ratelimited...)."""
        assert self._rotator is not None
        try:
            return self._rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=RENEW_MINUTES_BEFORE_EXPIRY
            )
        except SlackTokenRotationError as error:
            code = error.api_error.response.get("error") or "unknown_error"
            if code not in REFUSALS:
                raise RenewalFailed(
                    f"workspace {team_id}: lvm's bot token could not be renewed ({code})"
                ) from error
            logger.error(
                "workspace %s: Slack refused to renew lvm's bot token (%s); nothing is sent "
                "there until lvm is installed in it again",
                team_id,
                code,
            )
            raise TokenNotRenewed(
                f"lvm's bot token for workspace {team_id} expired and Slack refused to renew "
                f"it ({code})"
            ) from error
        except Exception as error:  # the network: Slack could not be asked
            raise RenewalFailed(
                f"workspace {team_id}: lvm's bot token could not be renewed "
                f"({type(error).__name__}: {error})"
            ) from error

    def forget(self, team_id: str) -> None:
        """Drop a workspace's cached client (after it uninstalled or its token was revoked)."""
        with self._lock:
            for key in [key for key in self._cache if key[0] == team_id]:
                del self._cache[key]
