"""Each workspace's WebClient, for work outside a request: the clock, the outbox, Slack reads.

With SLACK_BOT_TOKEN (one workspace) every workspace gets the same client. Installed by OAuth,
a workspace's client carries the bot token its install stored (bot/platform/installations.py),
looked up at most once a minute. Requests never come here: Bolt hands each listener a client
with its own workspace's token.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import InstallationStore

from bot.platform.config import Settings
from bot.platform.database import Database
from bot.platform.directory import Directory, SlackDirectory
from bot.platform.installations import installation_store, org_of
from bot.platform.slack_client import build_web_client

# How long a workspace's token is reused before the store is asked again: a reinstall's
# new token is picked up within this many seconds.
TOKEN_SECONDS = 60.0


class NotInstalled(LookupError):
    """No installation holds a bot token for this workspace (never installed, or removed)."""


@dataclass
class _Cached:
    client: WebClient
    directory: SlackDirectory
    until: float


class WorkspaceClients:
    def __init__(
        self,
        settings: Settings,
        database: Database,
        *,
        wait_out_rate_limits: bool = True,
        single_client: WebClient | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.database = database
        self._wait = wait_out_rate_limits
        self._clock = clock
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str | None], _Cached] = {}
        self.installations: InstallationStore | None = None
        self._single: _Cached | None = None
        if settings.installs_by_oauth:
            self.installations = installation_store(database, settings.SLACK_CLIENT_ID or "")
        else:
            client = single_client or self._client(settings.SLACK_BOT_TOKEN)
            self._single = _Cached(client, SlackDirectory(client), float("inf"))

    def _client(self, token: str | None) -> WebClient:
        return build_web_client(token, self.settings.SLACK_API_URL, wait_out_rate_limits=self._wait)

    def client_for(self, team_id: str, enterprise_id: str | None = None) -> WebClient:
        return self._entry(team_id, enterprise_id).client

    def directory_for(self, team_id: str, enterprise_id: str | None = None) -> Directory:
        return self._entry(team_id, enterprise_id).directory

    def _entry(self, team_id: str, enterprise_id: str | None) -> _Cached:
        if self._single is not None:
            return self._single
        key = (team_id, enterprise_id)
        now = self._clock()
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None and cached.until > now:
                return cached
        client = self._client(self._token(team_id, enterprise_id))
        entry = _Cached(client, SlackDirectory(client), now + TOKEN_SECONDS)
        with self._lock:
            self._cache[key] = entry
        return entry

    def _token(self, team_id: str, enterprise_id: str | None) -> str:
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
        return bot.bot_token

    def forget(self, team_id: str) -> None:
        """Drop a workspace's cached client (after it uninstalled or its token was revoked)."""
        with self._lock:
            for key in [key for key in self._cache if key[0] == team_id]:
                del self._cache[key]
