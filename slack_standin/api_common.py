"""Shared pieces of the fake Web API methods: errors, params, pagination.

Slack answers almost every failure with HTTP 200 and {"ok": false, "error":
"<code>"}; method handlers raise ApiError and the server turns it into that.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .blocks import MESSAGE_MAX_BLOCKS, validate_blocks
from .records import Conversation
from .workspace import BOT_USER_ID, Workspace

MAX_TEXT = 40_000


class ApiError(Exception):
    """An {"ok": false} answer; `extra` adds fields such as response_metadata."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"ok": False, "error": self.error, **self.extra}


def invalid_arguments(*messages: str) -> ApiError:
    return ApiError(
        "invalid_arguments",
        response_metadata={"messages": [f"[ERROR] {m}" for m in messages]},
    )


@dataclass
class ApiContext:
    """What a method handler may use: the state and where the server lives."""

    workspace: Workspace
    base_url: str  # "http://127.0.0.1:PORT/"
    # Starts the Socket Mode endpoint if needed and returns a connection URL.
    open_socket: Callable[[], str] | None = None


Handler = Callable[[ApiContext, dict[str, Any]], dict[str, Any]]


def require(params: dict[str, Any], name: str) -> str:
    value = params.get(name)
    if value is None or value == "":
        raise invalid_arguments(f"missing required field: {name}")
    return str(value)


def as_bool(value: object) -> bool:
    """Form posts carry "true"/"1"; JSON posts real booleans."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def as_json(params: dict[str, Any], name: str, *, error: str = "invalid_arguments") -> Any:
    """Blocks/views arrive as JSON values or as JSON strings inside form posts."""
    value = params.get(name)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise ApiError(error) from exc
    return value


def message_content(
    params: dict[str, Any], *, required: bool = True
) -> tuple[str | None, list[dict[str, Any]] | None, list[dict[str, Any]] | None]:
    """(text, blocks, attachments) after Slack's checks: no_text, msg_too_long,
    invalid_blocks_format, invalid_blocks."""
    text = params.get("text")
    text = None if text is None else str(text)
    blocks = as_json(params, "blocks", error="invalid_blocks_format")
    attachments = as_json(params, "attachments", error="invalid_attachments")
    if blocks is not None:
        errors = validate_blocks(blocks, max_blocks=MESSAGE_MAX_BLOCKS)
        if errors:
            raise ApiError(
                "invalid_blocks",
                errors=errors,
                response_metadata={"messages": [f"[ERROR] {e}" for e in errors]},
            )
    if required and not text and not blocks and not attachments:
        raise ApiError("no_text")
    if text is not None and len(text) > MAX_TEXT:
        raise ApiError("msg_too_long")
    return text, blocks or None, attachments or None


def resolve_postable(ws: Workspace, channel: str, *, allow_user_id: bool) -> Conversation:
    """The conversation a message would land in, or Slack's error for it.

    A user id means "the bot's DM with that person" for chat.postMessage.
    Must be called while holding ws.lock.
    """
    if allow_user_id and channel[:1] in ("U", "W"):
        user = ws.user(channel)
        if user is None:
            raise ApiError("user_not_found")
        if user.get("deleted"):
            raise ApiError("user_disabled")
        if user.get("is_bot") or channel == BOT_USER_ID:
            raise ApiError("cannot_dm_bot")
        dm = ws.conversation(ws.dm_channel_id(channel))
        assert dm is not None
        return dm
    conv = ws.conversation(channel) or ws.conversation_by_name(channel)
    if conv is None:
        raise ApiError("channel_not_found")
    if conv.kind == "im":
        other = ws.user(conv.user or "")
        if other is None or other.get("deleted"):
            raise ApiError("user_disabled")
    if BOT_USER_ID not in conv.members and conv.is_private:
        raise ApiError("channel_not_found")  # private channels are invisible to outsiders
    if conv.is_archived:
        raise ApiError("is_archived")
    if BOT_USER_ID not in conv.members:
        raise ApiError("not_in_channel")
    return conv


def _encode_cursor(kind: str, item_id: str) -> str:
    return base64.b64encode(f"{kind}:{item_id}".encode()).decode()


def paginate(
    ids: Sequence[str], params: dict[str, Any], *, kind: str, default_limit: int
) -> tuple[list[str], str]:
    """Slack cursor pagination: (page of ids, next_cursor or "" at the end)."""
    raw_limit = params.get("limit")
    try:
        limit = int(raw_limit) if raw_limit not in (None, "") else default_limit
    except (TypeError, ValueError) as exc:
        raise ApiError("invalid_limit") from exc
    if limit < 0:
        raise ApiError("invalid_limit")
    if limit == 0:
        limit = len(ids) or 1
    limit = min(limit, 1000)
    start = 0
    cursor = params.get("cursor")
    if cursor:
        try:
            decoded = base64.b64decode(str(cursor), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise ApiError("invalid_cursor") from exc
        prefix, _, item_id = decoded.partition(":")
        if prefix != kind or item_id not in ids:
            raise ApiError("invalid_cursor")
        start = list(ids).index(item_id)
    page = list(ids[start : start + limit])
    rest = ids[start + limit :]
    return page, _encode_cursor(kind, rest[0]) if rest else ""
