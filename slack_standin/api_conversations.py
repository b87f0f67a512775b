"""conversations.* methods: open DMs, channel info and paginated members."""

from __future__ import annotations

from typing import Any

from .api_common import ApiContext, ApiError, Handler, as_bool, paginate
from .records import Conversation
from .workspace import BOT_USER_ID, Workspace


def _visible(ws: Workspace, channel: str) -> Conversation:
    """A conversation the bot may look at (private ones only when it's a member)."""
    conv = ws.conversation(channel)
    if conv is None or (conv.is_private and BOT_USER_ID not in conv.members):
        raise ApiError("channel_not_found")
    return conv


def open_conversation(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.workspace
    raw_users = str(params.get("users") or "")
    user_ids = [u.strip() for u in raw_users.split(",") if u.strip()]
    with ws.lock:
        if not user_ids:
            channel = params.get("channel")
            if not channel:
                raise ApiError("users_list_not_supplied")
            conv = _visible(ws, str(channel))
            return {"ok": True, "channel": {"id": conv.id}}
        people = [ws.user(user_id) for user_id in user_ids]
        for person in people:
            if person is None:
                raise ApiError("user_not_found")
            if person.get("deleted"):
                raise ApiError("user_disabled")
        if len(user_ids) == 1:
            if (people[0] or {}).get("is_bot"):
                raise ApiError("cannot_dm_bot")
            channel_id = ws.dm_channel_id(user_ids[0])
        elif len(user_ids) > 8:
            raise ApiError("too_many_users")
        else:
            channel_id = ws.mpim_channel_id(user_ids)
        conv = ws.conversation(channel_id)
        assert conv is not None
        already_open = conv.opened
        conv.opened = True
        ws.notify()
        body: dict[str, Any] = {"ok": True}
        if already_open:
            body.update({"no_op": True, "already_open": True})
        if as_bool(params.get("return_im")):
            body["channel"] = ws.conversation_object(channel_id)
        else:
            body["channel"] = {"id": channel_id}
        return body


def info(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.workspace
    with ws.lock:
        conv = _visible(ws, str(params.get("channel") or ""))
        channel = ws.conversation_object(conv.id) or {}
        if as_bool(params.get("include_num_members")) and conv.kind != "im":
            channel["num_members"] = len(conv.members)
    return {"ok": True, "channel": channel}


def members(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.workspace
    with ws.lock:
        conv = _visible(ws, str(params.get("channel") or ""))
        if BOT_USER_ID not in conv.members:
            raise ApiError("not_in_channel")
        ids = list(conv.members)
    page, next_cursor = paginate(ids, params, kind="user", default_limit=100)
    return {"ok": True, "members": page, "response_metadata": {"next_cursor": next_cursor}}


def _ts(value: object, default: float) -> float:
    if value in (None, ""):
        return default
    try:
        return float(str(value))
    except ValueError as exc:
        raise ApiError("invalid_ts_latest" if default else "invalid_ts_oldest") from exc


def history(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    """A conversation's messages, newest first, as Slack's conversations.history gives them.

    Thread replies, ephemerals and deleted messages are left out; message metadata is
    returned only with include_all_metadata, as Slack does.
    """
    ws = ctx.workspace
    with ws.lock:
        conv = _visible(ws, str(params.get("channel") or ""))
        if conv.kind == "channel" and BOT_USER_ID not in conv.members:
            raise ApiError("not_in_channel")
        stored = ws.channel_messages(conv.id)
    oldest, latest = _ts(params.get("oldest"), 0.0), _ts(params.get("latest"), float("inf"))
    inclusive = as_bool(params.get("inclusive"))
    with_metadata = as_bool(params.get("include_all_metadata"))
    newest_first = []
    for message in reversed(stored):
        ts = float(message["ts"])
        inside = oldest <= ts <= latest if inclusive else oldest < ts < latest
        if not inside or message.get("thread_ts") not in (None, message["ts"]):
            continue
        shown = {k: v for k, v in message.items() if k not in ("channel", "is_ephemeral", "source")}
        if not with_metadata:
            shown.pop("metadata", None)
        newest_first.append(shown)
    by_ts = {message["ts"]: message for message in newest_first}
    page, next_cursor = paginate(list(by_ts), params, kind="message", default_limit=100)
    return {
        "ok": True,
        "messages": [by_ts[ts] for ts in page],
        "has_more": bool(next_cursor),
        "pin_count": 0,
        "response_metadata": {"next_cursor": next_cursor},
    }


METHODS: dict[str, Handler] = {
    "conversations.open": open_conversation,
    "conversations.info": info,
    "conversations.members": members,
    "conversations.history": history,
}
