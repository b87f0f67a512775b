"""oauth.v2.access: trade the code Slack put on the app's redirect for the install's token,
and, with token rotation on, a refresh token for a new token.

`Grants` plays Slack's authorize page: a person approves the app for a workspace (or, on
Enterprise Grid, for the whole organization) and Slack issues a one-use code; this method
answers that code, once, with a bot token of that workspace's own.

Token rotation (`Grants.token_rotation`, the app's setting; it applies to installs approved
after it was turned on): the bot token expires TOKEN_LIFETIME seconds after it was issued,
by the stand-in's clock, and comes with a refresh token. oauth.v2.access with
grant_type=refresh_token trades a refresh token, once, for a new token and a new refresh
token; the token it replaces works until its own expiry. A call with an expired token is
answered `token_expired`, an unknown or used refresh token `invalid_refresh_token`.
"""

from __future__ import annotations

import base64
import contextlib
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .api_common import ApiError
from .workspace import BOT_ID, BOT_USER_ID, Workspace

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "fake-client-secret"
TOKEN_LIFETIME = 12 * 60 * 60  # seconds: Slack's rotating tokens last 12 hours


@dataclass(frozen=True)
class Grant:
    workspace: Workspace
    token: str
    scopes: str
    installer: str
    expires_at: float | None = None  # by the stand-in's clock; None: never
    refresh_token: str | None = None


class Grants:
    def __init__(
        self,
        client_id: str = CLIENT_ID,
        client_secret: str = CLIENT_SECRET,
        *,
        clock: Callable[[], float],
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.clock = clock
        # The app's "Token Rotation" setting (OAuth & Permissions), for installs from now on.
        self.token_rotation = False
        self._lock = threading.Lock()
        self._codes: dict[str, Grant] = {}
        self._tokens: dict[str, Grant] = {}
        self._refresh: dict[str, Grant] = {}  # refresh token -> the grant it renews
        self._org_members: list[Workspace] = []
        # Given, each renewal first waits here for the others (or the barrier's timeout):
        # callers that would renew at once are let in together, as Slack would.
        self.renewals_meet: threading.Barrier | None = None

    def approve(self, workspace: Workspace, *, scopes: str = "", installer: str = "U0ADMIN") -> str:
        """A person approved the app in `workspace`: the code Slack sends to the redirect."""
        code = f"code-{secrets.token_hex(8)}"
        with self._lock:
            self._codes[code] = self._issue(workspace, scopes, installer)
        return code

    def _issue(self, workspace: Workspace, scopes: str, installer: str) -> Grant:
        owner = workspace.enterprise_id if workspace.org_wide else workspace.team_id
        if not self.token_rotation:
            grant = Grant(workspace, f"xoxb-{owner}-{secrets.token_hex(6)}", scopes, installer)
        else:
            grant = Grant(
                workspace,
                f"xoxe.xoxb-{owner}-{secrets.token_hex(6)}",
                scopes,
                installer,
                expires_at=self.clock() + TOKEN_LIFETIME,
                refresh_token=f"xoxe-1-{secrets.token_hex(8)}",
            )
            self._refresh[str(grant.refresh_token)] = grant
        self._tokens[grant.token] = grant
        return grant

    def add_org_member(self, workspace: Workspace) -> None:
        """Another workspace of an organization that approved the app org-wide: what it
        issues (response URLs, uploads) is found there. Calls made with the organization's
        token are still recorded in the workspace that approved the install."""
        with self._lock:
            self._org_members.append(workspace)

    def workspaces(self) -> list[Workspace]:
        with self._lock:
            granted = [grant.workspace for grant in self._tokens.values()]
            unique = {id(ws): ws for ws in [*granted, *self._org_members]}
        return list(unique.values())

    def workspace_of(self, token: str) -> Workspace | None:
        with self._lock:
            grant = self._tokens.get(token)
        return grant.workspace if grant is not None else None

    def expired(self, token: str) -> bool:
        """Whether `token` is a rotating token past its expiry."""
        with self._lock:
            grant = self._tokens.get(token)
        return (
            grant is not None
            and grant.expires_at is not None
            and (grant.expires_at <= self.clock())
        )

    def revoke_refresh_tokens(self, workspace: Workspace) -> int:
        """The workspace's refresh tokens stop working (say, revoked by an admin): its next
        refresh is answered invalid_refresh_token. How many there were."""
        with self._lock:
            revoked = [key for key, grant in self._refresh.items() if grant.workspace is workspace]
            for key in revoked:
                del self._refresh[key]
        return len(revoked)

    def exchange(self, headers: dict[str, str], params: dict[str, Any]) -> dict[str, Any]:
        client_id, client_secret = _credentials(headers, params)
        if client_id != self.client_id:
            raise ApiError("invalid_client_id")
        if client_secret != self.client_secret:
            raise ApiError("bad_client_secret")
        if params.get("grant_type") == "refresh_token":
            return self._renew(str(params.get("refresh_token") or ""))
        with self._lock:
            grant = self._codes.pop(str(params.get("code") or ""), None)
        if grant is None:
            raise ApiError("invalid_code")
        return _access(grant, self.clock())

    def _renew(self, refresh_token: str) -> dict[str, Any]:
        if self.renewals_meet is not None:
            # Nobody else came within the timeout: this renewal goes alone.
            with contextlib.suppress(threading.BrokenBarrierError):
                self.renewals_meet.wait()
        with self._lock:
            used = self._refresh.pop(refresh_token, None)  # a refresh token works once
            if used is None:
                raise ApiError("invalid_refresh_token")
            grant = self._issue(used.workspace, used.scopes, used.installer)
        return _access(grant, self.clock())


def _credentials(headers: dict[str, str], params: dict[str, Any]) -> tuple[str, str]:
    """HTTP Basic auth (what slack_sdk sends), else client_id and client_secret params."""
    auth = headers.get("authorization", "")
    if auth.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(auth[6:].strip()).decode()
        except ValueError:
            return "", ""
        client_id, _, client_secret = decoded.partition(":")
        return client_id, client_secret
    return str(params.get("client_id", "")), str(params.get("client_secret", ""))


def _access(grant: Grant, now: float) -> dict[str, Any]:
    ws = grant.workspace
    enterprise = {"id": ws.enterprise_id, "name": ws.enterprise_name} if ws.enterprise_id else None
    answer: dict[str, Any] = {
        "ok": True,
        "access_token": grant.token,
        "token_type": "bot",
        "scope": grant.scopes,
        "bot_user_id": BOT_USER_ID,
        "app_id": ws.app_id,
        # An org-wide install belongs to the organization, not to one of its workspaces.
        "team": None if ws.org_wide else {"id": ws.team_id, "name": ws.team_name},
        "enterprise": enterprise,
        "is_enterprise_install": ws.org_wide,
        "authed_user": {"id": grant.installer},
        "bot_id": BOT_ID,
    }
    if grant.expires_at is not None:
        answer["expires_in"] = max(int(grant.expires_at - now), 0)
        answer["refresh_token"] = grant.refresh_token
    return answer
