"""Plain records kept by the fake workspace (messages, calls, files, views...).

Mutable on purpose: the Workspace edits them in place under its lock, the way
Slack edits a message for everyone when chat.update is called.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ConversationKind = Literal["channel", "im", "mpim"]


@dataclass
class ApiCall:
    """One Web API request the app made, as the fake server answered it."""

    method: str
    params: dict[str, Any]
    status: int
    response: dict[str, Any] | str | None = None
    # The token the call carried (bearer or form): which workspace's install made it.
    token: str | None = None
    # When it arrived, by the clock of the workspace that recorded it (Workspace.clock).
    at: float | None = None

    @property
    def ok(self) -> bool:
        return (
            self.status == 200 and isinstance(self.response, dict) and bool(self.response.get("ok"))
        )

    @property
    def error(self) -> str | None:
        if isinstance(self.response, dict):
            return self.response.get("error")
        return None


@dataclass
class Conversation:
    """A channel, private channel, DM (im) or group DM (mpim)."""

    id: str
    name: str
    members: list[str]
    kind: ConversationKind = "channel"
    is_private: bool = False
    is_archived: bool = False
    created: int = 0
    user: str | None = None  # the other party of an im
    opened: bool = False  # an im already opened through conversations.open


@dataclass
class StoredMessage:
    """A message as people see it; `visible_to` is fixed when it is posted."""

    channel: str
    ts: str
    user: str
    text: str
    blocks: list[dict[str, Any]] | None
    ephemeral: bool
    visible_to: frozenset[str]
    source: str  # chat.postMessage, chat.postEphemeral, ack, response_url, files...
    bot_id: str | None = None
    app_id: str | None = None
    thread_ts: str | None = None
    attachments: list[dict[str, Any]] | None = None
    files: list[dict[str, Any]] | None = None
    metadata: dict[str, Any] | None = None
    edited: dict[str, str] | None = None
    deleted: bool = False

    def to_dict(self, team_id: str) -> dict[str, Any]:
        """Slack's message shape plus `channel`, `is_ephemeral` and `source`
        (handy in tests; stripped before being sent back to the app)."""
        msg: dict[str, Any] = {"type": "message", "user": self.user, "ts": self.ts}
        if self.bot_id:
            msg["bot_id"] = self.bot_id
            msg["app_id"] = self.app_id
        msg["text"] = self.text
        msg["team"] = team_id
        for key in ("blocks", "attachments", "files", "metadata", "thread_ts", "edited"):
            value = getattr(self, key)
            if value is not None:
                msg[key] = value
        msg["channel"] = self.channel
        msg["is_ephemeral"] = self.ephemeral
        msg["source"] = self.source
        return msg


@dataclass
class StoredFile:
    """A file uploaded through files.getUploadURLExternal + completeUploadExternal."""

    id: str
    filename: str
    length: int
    alt_txt: str | None = None
    snippet_type: str | None = None
    title: str | None = None
    content: bytes | None = None
    channels: list[str] = field(default_factory=list)
    shared_with_users: list[str] = field(default_factory=list)  # DM shares
    initial_comment: str | None = None
    thread_ts: str | None = None
    completed: bool = False
    created: int = 0
    upload_secret: str = ""  # part of the one-off upload_url

    @property
    def is_private(self) -> bool:
        return not self.channels

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.filename,
            "title": self.title or self.filename,
            "filetype": self.filename.rsplit(".", 1)[-1] if "." in self.filename else "",
            "size": len(self.content) if self.content is not None else self.length,
            "alt_txt": self.alt_txt,
            "is_public": bool(self.channels) and not self.shared_with_users,
            "channels": list(self.channels),
            "created": self.created,
        }


@dataclass
class Trigger:
    """A trigger_id Slack issued with an interaction; usable once, for 3 seconds."""

    user_id: str
    issued_at: float
    used: bool = False


@dataclass
class ResponseUrl:
    """A response_url handed to the app; Slack allows 5 uses within 30 minutes."""

    path: str
    user_id: str
    channel_id: str
    original: tuple[str, str] | None  # (channel, ts) that replace_original targets
    created_at: float
    uses: int = 0
    # False while Slack is still showing the ack of the request that issued it.
    ready: bool = True
