"""Installing lvm into any workspace: Bolt's OAuth flow, its settings and its pages.

GET /slack/install sends the person straight to Slack's authorize page with a signed state
(and the same state in a cookie); GET /slack/oauth_redirect checks both, trades the code for
the workspace's bot token (oauth.v2.access) and stores the installation. An org-wide install
on Enterprise Grid is stored under its enterprise_id; Bolt finds it for each request.

With token rotation on in the app's settings, the install also stores a refresh token and
when the bot token expires; Bolt renews a token that is due before it authorizes a request
(its InstallationStoreAuthorize, with slack_sdk's TokenRotator asking SLACK_API_URL) and
saves the renewed bot, which the clock and the outbox then use too (bot/platform/workspaces.py).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path

import yaml
from slack_bolt import BoltResponse
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store import Installation

from bot.platform.config import Settings
from bot.platform.database import Database
from bot.platform.installations import (
    RENEW_MINUTES_BEFORE_EXPIRY,
    installation_store,
    purge_expired_states,
    state_store,
    token_rotator,
)
from bot.platform.services import Services

logger = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"

# What each refusal of the redirect means to the person who clicked, and what to do.
REFUSALS: dict[str, str] = {
    "invalid_browser": (
        "This install link was started in another browser, or its cookie is gone. "
        "Open the install link again in this browser."
    ),
    "invalid_state": (
        "This install link has expired, was already used, or was not made by lvm. "
        "Open the install link again to start over."
    ),
    "missing_code": "Slack did not send the approval code. Open the install link again.",
    "invalid_code": (
        "Slack did not accept the approval code (it may have been used already). "
        "Open the install link again."
    ),
    "access_denied": "The install was canceled in Slack. Open the install link to try again.",
    "storage_error": (
        "lvm could not save the installation. Try again in a minute; if it keeps failing, "
        "ask whoever runs lvm to look at its log."
    ),
}
NO_STATE = (
    "This link carries no install state, so it did not come from lvm's install page. "
    "Open the install link to start over."
)
UNKNOWN_REFUSAL = "The install did not finish. Open the install link again to start over."


def manifest_path() -> Path:
    """manifest.yml shipped in the wheel, or the repository's own in a source checkout."""
    package_dir = Path(__file__).resolve().parent.parent
    installed = package_dir / "_manifest.yml"
    return installed if installed.is_file() else package_dir.parent / "manifest.yml"


def bot_scopes(path: Path | None = None) -> list[str]:
    """The bot scopes manifest.yml asks for: the same list in the app's settings and here."""
    manifest = yaml.safe_load((path or manifest_path()).read_text(encoding="utf-8"))
    return [str(scope) for scope in manifest["oauth_config"]["scopes"]["bot"]]


def oauth_settings(
    settings: Settings,
    database: Database,
    now: Callable[[], datetime],
    installed: Callable[[Installation], None] | None = None,
) -> OAuthSettings:
    """Bolt's OAuth flow on lvm's database; `installed` is told of each install stored (a
    workspace that had removed lvm is back: bot/app.py hands in the rights feature's)."""
    client_id = settings.SLACK_CLIENT_ID or ""
    oauth = OAuthSettings(
        client_id=client_id,
        client_secret=settings.SLACK_CLIENT_SECRET,
        scopes=bot_scopes(),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        # Straight to Slack: a page with one "Add to Slack" button is a click for nothing.
        install_page_rendering_enabled=False,
        installation_store=installation_store(database, client_id, now),
        # lvm acts as its bot only; no user tokens are asked for or kept.
        installation_store_bot_only=True,
        state_store=state_store(database, settings.SLACK_STATE_SECRET or "", now),
        callback_options=CallbackOptions(
            success=partial(_installed, installed or _nothing), failure=_refused
        ),
        token_rotation_expiration_minutes=RENEW_MINUTES_BEFORE_EXPIRY,
    )
    # Bolt's rotator asks slack.com whatever the client's base URL: ask SLACK_API_URL.
    oauth.authorize.token_rotator = token_rotator(settings)  # type: ignore[attr-defined]
    return oauth


def _page(status: int, title: str, text: str) -> BoltResponse:
    body = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head>"
        f"<body><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>"
    )
    return BoltResponse(
        status=status, body=body, headers={"Content-Type": "text/html; charset=utf-8"}
    )


def _nothing(installation: Installation) -> None:
    return None


def _installed(hook: Callable[[Installation], None], args: SuccessArgs) -> BoltResponse:
    installation = args.installation
    try:
        hook(installation)
    except Exception:
        # The install is stored and works; the next request from the workspace tries again.
        logger.exception(
            "after installing into %s", installation.team_id or installation.enterprise_id
        )
    where = installation.team_name or installation.enterprise_name or "your workspace"
    return _page(
        200,
        "lvm is installed",
        f"lvm is installed in {where}. Type /lvm help in any channel to begin.",
    )


def _refused(args: FailureArgs) -> BoltResponse:
    text = REFUSALS.get(args.reason, UNKNOWN_REFUSAL)
    if args.reason == "invalid_browser" and not args.request.query.get("state"):
        text = NO_STATE
    return _page(args.suggested_status_code, "lvm was not installed", text)


def purge_expired_install_states(services: Services, now: datetime) -> int:
    """The clock's work: forget install links never brought back from Slack (anyone may open
    /slack/install, and each visit stores a state); how many."""
    if not services.settings.installs_by_oauth:
        return 0
    with services.database.transaction() as session:
        return purge_expired_states(session, now)
