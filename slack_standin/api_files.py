"""File uploads, Slack's v2 way (what WebClient.files_upload_v2 does):

1. files.getUploadURLExternal(filename, length, alt_txt) -> upload_url + file_id
2. raw POST of the bytes to upload_url (no auth header)
3. files.completeUploadExternal(files=[{id,title}], channel_id | channels)
   shares the file, or keeps it private when no channel is given.
The legacy files.upload method is retired and answers method_deprecated.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from .api_common import (
    ApiContext,
    ApiError,
    Handler,
    as_json,
    invalid_arguments,
    require,
    resolve_postable,
)
from .objects import new_id
from .records import StoredFile
from .workspace import BOT_USER_ID, Workspace

UPLOAD_PREFIX = "/upload/v1/"


def get_upload_url(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    filename = require(params, "filename")
    try:
        length = int(require(params, "length"))
    except ValueError as exc:
        raise invalid_arguments("length must be an integer") from exc
    stored = StoredFile(
        id=new_id("F"),
        filename=filename,
        length=length,
        alt_txt=params.get("alt_txt") or None,
        snippet_type=params.get("snippet_type") or None,
        created=int(time.time()),
        upload_secret=secrets.token_urlsafe(12),
    )
    ctx.workspace.add_file(stored)
    url = f"{ctx.base_url}{UPLOAD_PREFIX.lstrip('/')}{stored.id}.{stored.upload_secret}"
    return {"ok": True, "upload_url": url, "file_id": stored.id}


def receive_upload(ws: Workspace, path: str, data: bytes) -> tuple[int, str]:
    """Step 2: the raw bytes POSTed to an upload_url. Returns (status, body)."""
    file_id, _, secret = path[len(UPLOAD_PREFIX) :].partition(".")
    with ws.lock:
        stored = ws.file_record(file_id)
        if stored is None or stored.upload_secret != secret or stored.completed:
            return 404, "Not Found"
        stored.content = data
        ws.notify()
    return 200, f"OK - {len(data)}"


def complete_upload(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.workspace
    items = as_json(params, "files")
    if not isinstance(items, list) or not items:
        raise invalid_arguments("missing required field: files")
    channel_ids = [c for c in str(params.get("channels") or "").split(",") if c]
    if params.get("channel_id"):
        channel_ids.insert(0, str(params["channel_id"]))
    with ws.lock:
        records: list[tuple[StoredFile, dict[str, Any]]] = []
        for item in items:
            stored = ws.file_record(str(item.get("id", ""))) if isinstance(item, dict) else None
            if stored is None or stored.content is None or stored.completed:
                raise ApiError("file_not_found")
            records.append((stored, item))
        # Files can only be shared to conversations (a user id is not accepted).
        convs = [resolve_postable(ws, c, allow_user_id=False) for c in channel_ids]
        comment = params.get("initial_comment") or None
        thread_ts = params.get("thread_ts") or None
        for stored, item in records:
            stored.title = item.get("title") or stored.filename
            stored.completed = True
            stored.initial_comment = comment
            stored.thread_ts = thread_ts
            stored.channels = [c.id for c in convs]
            stored.shared_with_users = [c.user for c in convs if c.kind == "im" and c.user]
        for conv in convs:
            ws.add_message(
                conv.id,
                user=BOT_USER_ID,
                text=comment or "",
                blocks=None,
                source="files.completeUploadExternal",
                thread_ts=thread_ts,
                files=[s.to_dict() for s, _ in records],
            )
        ws.notify()
    return {"ok": True, "files": [{"id": s.id, "title": s.title} for s, _ in records]}


def legacy_upload(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    raise ApiError("method_deprecated")


METHODS: dict[str, Handler] = {
    "files.getUploadURLExternal": get_upload_url,
    "files.completeUploadExternal": complete_upload,
    "files.upload": legacy_upload,
}
