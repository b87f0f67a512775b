"""oauth.v2.access: trade the code Slack put on the app's redirect for the install's token.

`Grants` plays Slack's authorize page: a person approves the app for a workspace (or, on
Enterprise Grid, for the whole organization) and Slack issues a one-use code; this method
answers that code, once, with a bot token of that workspace's own.
"""

from __future__ import annotations

import base64
import secrets
import threading
from dataclasses import dataclass
from typing import Any

from .api_common import ApiError
from .workspace import BOT_ID, BOT_USER_ID, Workspace

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "fake-client-secret"


@dataclass(frozen=True)
class Grant:
    workspace: Workspace
    token: str
    scopes: str
    installer: str


class Grants:
    def __init__(self, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self._lock = threading.Lock()
        self._codes: dict[str, Grant] = {}
        self._tokens: dict[str, Workspace] = {}

    def approve(self, workspace: Workspace, *, scopes: str = "", installer: str = "U0ADMIN") -> str:
        """A person approved the app in `workspace`: the code Slack sends to the redirect."""
        owner = workspace.enterprise_id if workspace.org_wide else workspace.team_id
        token = f"xoxb-{owner}-{secrets.token_hex(6)}"
        code = f"code-{secrets.token_hex(8)}"
        with self._lock:
            self._codes[code] = Grant(workspace, token, scopes, installer)
            self._tokens[token] = workspace
        return code

    def workspaces(self) -> list[Workspace]:
        with self._lock:
            unique = {id(ws): ws for ws in self._tokens.values()}
        return list(unique.values())

    def workspace_of(self, token: str) -> Workspace | None:
        with self._lock:
            return self._tokens.get(token)

    def exchange(self, headers: dict[str, str], params: dict[str, Any]) -> dict[str, Any]:
        client_id, client_secret = _credentials(headers, params)
        if client_id != self.client_id:
            raise ApiError("invalid_client_id")
        if client_secret != self.client_secret:
            raise ApiError("bad_client_secret")
        with self._lock:
            grant = self._codes.pop(str(params.get("code") or ""), None)
        if grant is None:
            raise ApiError("invalid_code")
        return _access(grant)


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


def _access(grant: Grant) -> dict[str, Any]:
    ws = grant.workspace
    enterprise = {"id": ws.enterprise_id, "name": ws.enterprise_name} if ws.enterprise_id else None
    return {
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
