"""response_url endpoint: what Bolt's respond() (slack_sdk WebhookClient) posts to.

Slack answers a plain-text "ok" (or an error word with a 4xx), accepts each
URL up to 5 times within 30 minutes, and interprets response_type,
replace_original and delete_original. Without replace_original a response
is a new message: ephemeral to the person by default, or in_channel.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from .api_common import ApiError, message_content
from .records import ApiCall
from .workspace import BOT_USER_ID, TEAM_ID, Workspace

MAX_USES = 5
MAX_AGE_S = 30 * 60
PREFIXES = ("/commands/", "/actions/")
ACK_WAIT_S = 5.0


def issue_response_url(
    ws: Workspace,
    base_url: str,
    kind: str,
    *,
    user_id: str,
    channel_id: str,
    original: tuple[str, str] | None = None,
    ready: bool = True,
) -> str:
    """Register a response_url like https://hooks.slack.com/commands/T../123/abc.

    ready=False holds posts until Workspace.response_url_ready(path): Slack
    shows an ack before anything the app sends to its response_url."""
    path = f"/{kind}/{TEAM_ID}/{secrets.randbelow(10**12)}/{secrets.token_urlsafe(18)}"
    ws.register_response_url(
        path, user_id=user_id, channel_id=channel_id, original=original, ready=ready
    )
    return base_url.rstrip("/") + path


def _as_bool(value: object) -> bool:
    return value in (True, "true", "True", "1", 1)


def handle_response_url(ws: Workspace, path: str, raw: bytes) -> tuple[int, str]:
    """Apply a POST to a response_url; returns (HTTP status, body text)."""
    status, body, payload = _apply(ws, path, raw)
    ws.record_call(ApiCall(method="response_url", params=payload, status=status, response=body))
    return status, body


def _apply(ws: Workspace, path: str, raw: bytes) -> tuple[int, str, dict[str, Any]]:
    try:
        payload = json.loads(raw.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        payload = None
    with ws.lock:
        record = ws.response_url(path)
        if record is None:
            return 404, "no_service", {}
        ws.lock.wait_for(lambda: record.ready, timeout=ACK_WAIT_S)
        if not isinstance(payload, dict):
            return 400, "invalid_payload", {}
        if ws.clock() - record.created_at > MAX_AGE_S:
            return 404, "expired_url", payload
        if record.uses >= MAX_USES:
            return 404, "used_url", payload
        original = record.original
        if _as_bool(payload.get("delete_original")):
            record.uses += 1
            if original is not None:
                ws.delete_message(*original)
            record.original = None
            return 200, "ok", payload
        try:
            text, blocks, attachments = message_content(payload)
        except ApiError as exc:
            return 400, exc.error, payload
        record.uses += 1  # only accepted posts count towards the 5 uses
        target = ws.find_message(*original) if original else None
        if _as_bool(payload.get("replace_original")) and target is not None:
            ws.replace_message(
                target.channel, target.ts, text=text or "", blocks=blocks, attachments=attachments
            )
            return 200, "ok", payload
        in_channel = payload.get("response_type") == "in_channel"
        posted = ws.add_message(
            record.channel_id,
            user=BOT_USER_ID,
            text=text or "",
            blocks=blocks,
            attachments=attachments,
            source="response_url",
            ephemeral_to=None if in_channel else record.user_id,
            thread_ts=payload.get("thread_ts"),
        )
        if record.original is None:
            # Later replace_original calls (e.g. after a slash command) edit this one.
            record.original = (posted["channel"], posted["ts"])
        return 200, "ok", payload
