"""Requests shaped and signed the way Slack sends them to an app's /slack/events."""

from __future__ import annotations

import json
import secrets
from typing import Any
from urllib.parse import urlencode

from bench.load import Request
from slack_standin import APP_ID, TEAM_DOMAIN, TEAM_ID, signed_headers

SIGNING_SECRET = "bench-signing-secret"
EVENTS_PATH = "/slack/events"
FORM = "application/x-www-form-urlencoded"


def signed(body: bytes) -> tuple[bytes, dict[str, str]]:
    """The body with Slack's v0 signature headers, stamped now."""
    return body, {"Content-Type": FORM, **signed_headers(body, secret=SIGNING_SECRET)}


def slash_command(
    user_id: str, text: str, *, channel_id: str, response_url: str
) -> tuple[bytes, dict[str, str]]:
    form = {
        "token": "bench-verification-token",
        "team_id": TEAM_ID,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel_id,
        "channel_name": "bench",
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": "/lvm",
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": f"{secrets.randbelow(10**10)}.{secrets.token_hex(8)}",
    }
    return signed(urlencode(form).encode())


def tip_request(user_id: str, *, channel_id: str, response_url: str) -> Request:
    return lambda: slash_command(user_id, "tip", channel_id=channel_id, response_url=response_url)


def block_action(
    user_id: str,
    *,
    channel_id: str,
    message: dict[str, Any],
    block_id: str,
    action: dict[str, Any],
    response_url: str,
) -> bytes:
    """The form body of a button click in a message (unsigned: sign it when sending)."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_id.lower(), "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "bench-verification-token",
        "trigger_id": f"{secrets.randbelow(10**10)}.{secrets.token_hex(8)}",
        "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel_id,
            "is_ephemeral": False,
        },
        "channel": {"id": channel_id, "name": "directmessage"},
        "message": {k: v for k, v in message.items() if k not in ("channel", "source")},
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [{**action, "block_id": block_id}],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()
