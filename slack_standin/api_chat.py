"""chat.* methods: post, post ephemeral, update and delete messages."""

from __future__ import annotations

from typing import Any

from .api_common import (
    ApiContext,
    ApiError,
    Handler,
    as_json,
    message_content,
    require,
    resolve_postable,
)
from .workspace import BOT_USER_ID


def _public(message: dict[str, Any]) -> dict[str, Any]:
    """Drop the fake's bookkeeping keys from a stored message."""
    return {k: v for k, v in message.items() if k not in ("channel", "is_ephemeral", "source")}


def _metadata(params: dict[str, Any]) -> dict[str, Any] | None:
    """Message metadata: {"event_type": str, "event_payload": object}, as Slack checks it."""
    metadata = as_json(params, "metadata", error="invalid_metadata_format")
    if metadata is None:
        return None
    if (
        not isinstance(metadata, dict)
        or not isinstance(metadata.get("event_type"), str)
        or not isinstance(metadata.get("event_payload"), dict)
    ):
        raise ApiError("invalid_metadata_format")
    return {"event_type": metadata["event_type"], "event_payload": metadata["event_payload"]}


def post_message(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.workspace
    channel = params.get("channel")
    if not channel:
        raise ApiError("channel_not_found")
    metadata = _metadata(params)
    with ws.lock:
        conv = resolve_postable(ws, str(channel), allow_user_id=True)
        text, blocks, attachments = message_content(params)
        thread_ts = params.get("thread_ts") or None
        stored = ws.add_message(
            conv.id,
            user=BOT_USER_ID,
            text=text or "",
            blocks=blocks,
            attachments=attachments,
            source="chat.postMessage",
            thread_ts=str(thread_ts) if thread_ts else None,
            metadata=metadata,
        )
    return {"ok": True, "channel": conv.id, "ts": stored["ts"], "message": _public(stored)}


def post_ephemeral(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.workspace
    channel = params.get("channel")
    if not channel:
        raise ApiError("channel_not_found")
    user_id = require(params, "user")
    with ws.lock:
        conv = resolve_postable(ws, str(channel), allow_user_id=True)
        user = ws.user(user_id)
        if user is None:
            raise ApiError("user_not_found")
        if user_id not in conv.members:
            raise ApiError("user_not_in_channel")
        text, blocks, attachments = message_content(params)
        stored = ws.add_message(
            conv.id,
            user=BOT_USER_ID,
            text=text or "",
            blocks=blocks,
            attachments=attachments,
            source="chat.postEphemeral",
            ephemeral_to=user_id,
            thread_ts=str(params["thread_ts"]) if params.get("thread_ts") else None,
        )
    return {"ok": True, "message_ts": stored["ts"]}


def update(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.workspace
    channel = str(params.get("channel") or "")
    ts = require(params, "ts")
    with ws.lock:
        conv = ws.conversation(channel)
        if conv is None:
            raise ApiError("channel_not_found")
        msg = ws.find_message(conv.id, ts)
        if msg is None or msg.ephemeral:
            raise ApiError("message_not_found")  # ephemerals can't be edited via the API
        if msg.user != BOT_USER_ID:
            raise ApiError("cant_update_message")
        text, blocks, attachments = message_content(params, required=False)
        if text is None and "blocks" not in params and attachments is None:
            raise ApiError("no_text")
        # Slack keeps the old blocks when `blocks` is omitted; [] removes them.
        stored = ws.replace_message(
            conv.id,
            ts,
            text=text,
            blocks=blocks,
            attachments=attachments,
            keep_blocks="blocks" not in params,
            edited=True,
        )
    return {
        "ok": True,
        "channel": conv.id,
        "ts": ts,
        "text": stored["text"],
        "message": _public(stored),
    }


def delete(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.workspace
    channel = str(params.get("channel") or "")
    ts = require(params, "ts")
    with ws.lock:
        if ws.conversation(channel) is None:
            raise ApiError("channel_not_found")
        msg = ws.find_message(channel, ts)
        if msg is None or msg.ephemeral:
            raise ApiError("message_not_found")
        if msg.user != BOT_USER_ID:
            raise ApiError("cant_delete_message")
        ws.delete_message(channel, ts)
    return {"ok": True, "channel": channel, "ts": ts}


METHODS: dict[str, Handler] = {
    "chat.postMessage": post_message,
    "chat.postEphemeral": post_ephemeral,
    "chat.update": update,
    "chat.delete": delete,
}
