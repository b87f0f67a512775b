"""State of one fake Slack workspace: people, channels, what each person sees.

Everything is guarded by a single re-entrant lock wrapped in a Condition, so
the HTTP server threads, the app's background threads and the test thread can
all touch it, and `wait_for` wakes up on every change.
"""

from __future__ import annotations

import copy
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from . import objects
from .blocks import normalize_blocks
from .records import (
    ApiCall,
    Conversation,
    ResponseUrl,
    StoredFile,
    StoredMessage,
    Trigger,
)

T = TypeVar("T")

TEAM_ID = "T0LVM"
TEAM_DOMAIN = "lvm-demo"
TEAM_NAME = "LVM Demo"
APP_ID = "A0LVM"
BOT_USER_ID = "U0BOT"
BOT_ID = "B0BOT"
BOT_NAME = "lvm"
SLACKBOT_ID = "USLACKBOT"
ENTERPRISE_ID: str | None = None


class Workspace:
    """Thread-safe fake workspace. Read helpers return deep copies (snapshots)."""

    team_id = TEAM_ID
    team_domain = TEAM_DOMAIN
    # An Enterprise Grid organization's workspace has its enterprise_id; with `org_wide`, the
    # app was installed for the whole organization rather than this workspace alone.
    enterprise_id: str | None = None
    enterprise_name: str | None = None
    org_wide = False
    team_name = TEAM_NAME
    app_id = APP_ID
    bot_user_id = BOT_USER_ID
    bot_id = BOT_ID
    bot_name = BOT_NAME

    def __init__(
        self, *, clock: Callable[[], float] = time.monotonic, trigger_ttl: float = 3.0
    ) -> None:
        # One lock for everything; Condition so waiters wake on any change.
        self._cond = threading.Condition(threading.RLock())
        self.clock = clock
        self.trigger_ttl = trigger_ttl
        self._users: dict[str, dict[str, Any]] = {}
        self._conversations: dict[str, Conversation] = {}
        self._dm_by_user: dict[str, str] = {}
        self._messages: list[StoredMessage] = []
        self._home_views: dict[str, dict[str, Any]] = {}
        self._view_stacks: dict[str, list[dict[str, Any]]] = {}
        self._view_errors: dict[str, dict[str, str]] = {}
        self._files: dict[str, StoredFile] = {}
        self._triggers: dict[str, Trigger] = {}
        self._response_urls: dict[str, ResponseUrl] = {}
        self._calls: list[ApiCall] = []
        self._last_ts = 0.0
        self._version = 0
        self._created = int(time.time())
        self._add_user_object(
            objects.user_object(
                team_id=self.team_id,
                user_id=BOT_USER_ID,
                name=BOT_NAME,
                real_name="LVM",
                tz="America/Los_Angeles",
                email=None,
                is_bot=True,
                deleted=False,
                is_admin=False,
                bot_id=BOT_ID,
                app_id=APP_ID,
            )
        )
        # Slack lists Slackbot as a user with is_bot false; apps must skip it.
        self.add_user(SLACKBOT_ID, "slackbot", real_name="Slackbot")

    # ------------------------------------------------------------ plumbing
    @property
    def lock(self) -> threading.Condition:
        """Hold this to make several reads/writes atomic (re-entrant)."""
        return self._cond

    def _changed(self) -> None:
        with self._cond:
            self._version += 1
            self._cond.notify_all()

    @property
    def version(self) -> int:
        """Bumped on every change; `wait_for(lambda: ws.version > seen)` waits for any."""
        with self._cond:
            return self._version

    def wait_for(
        self, predicate: Callable[[], T], timeout: float = 5.0, *, what: str | None = None
    ) -> T:
        """Wait until predicate() is truthy (re-checked on every change); return it.

        For effects produced by the app's background threads. The predicate runs
        under the lock, so it should only read this workspace. KeyError,
        IndexError and TypeError inside it count as "not yet" (so
        `lambda: ws.last_message_for(u)["text"] == "hi"` works). Raises
        AssertionError describing the latest API calls on timeout.
        """
        problem: list[Exception] = []

        def check() -> T | None:
            try:
                return predicate()
            except (LookupError, TypeError) as exc:
                problem[:] = [exc]
                return None

        with self._cond:
            result = self._cond.wait_for(check, timeout=timeout)
            if result:
                return result
            recent = "\n  ".join(
                f"{c.method} -> {c.status} {c.error or ('ok' if c.ok else c.response)!s:.80}"
                for c in self._calls[-10:]
            )
            desc = what or getattr(predicate, "__name__", repr(predicate))
            last_error = f" (last check raised {problem[0]!r})" if problem else ""
            raise AssertionError(
                f"timed out after {timeout}s waiting for {desc}{last_error}; "
                f"last API calls:\n  {recent or '(none)'}"
            )

    def next_ts(self) -> str:
        """A unique, increasing message ts ("1700000000.000123") like Slack's."""
        with self._cond:
            now = max(time.time(), self._last_ts + 0.000001)
            self._last_ts = now
            return f"{now:.6f}"

    # ------------------------------------------------------------ users
    def _add_user_object(self, user: dict[str, Any]) -> dict[str, Any]:
        with self._cond:
            self._users[user["id"]] = user
            self._changed()
            return copy.deepcopy(user)

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        tz: str = "America/New_York",
        is_bot: bool = False,
        deleted: bool = False,
        is_admin: bool = False,
        real_name: str | None = None,
        email: str | None = None,
    ) -> dict[str, Any]:
        """Add (or replace) a person; returns the users.info `user` object."""
        user = objects.user_object(
            team_id=self.team_id,
            user_id=user_id,
            name=name,
            real_name=real_name or name.replace(".", " ").title(),
            tz=tz,
            email=email if email is not None else f"{name}@{TEAM_DOMAIN}.example",
            is_bot=is_bot,
            deleted=deleted,
            is_admin=is_admin,
            bot_id=objects.new_id("B") if is_bot else None,
        )
        return self._add_user_object(user)

    def user(self, user_id: str) -> dict[str, Any] | None:
        with self._cond:
            found = self._users.get(user_id)
            return copy.deepcopy(found) if found else None

    def users(self) -> list[dict[str, Any]]:
        with self._cond:
            return copy.deepcopy(list(self._users.values()))

    # ------------------------------------------------------------ conversations
    def add_channel(
        self,
        channel_id: str,
        name: str,
        members: Iterable[str],
        *,
        is_private: bool = False,
        is_archived: bool = False,
        bot_is_member: bool = True,
    ) -> dict[str, Any]:
        """Add a channel; the bot is listed among members when it is in it (as in Slack)."""
        member_list = list(dict.fromkeys(members))
        if bot_is_member and BOT_USER_ID not in member_list:
            member_list.append(BOT_USER_ID)
        if not bot_is_member and BOT_USER_ID in member_list:
            member_list.remove(BOT_USER_ID)
        with self._cond:
            self._conversations[channel_id] = Conversation(
                id=channel_id,
                name=name,
                members=member_list,
                is_private=is_private,
                is_archived=is_archived,
                created=self._created,
            )
            self._changed()
            return self.conversation_object(channel_id) or {}

    def conversation(self, channel_id: str) -> Conversation | None:
        """The live record (only touch while holding `lock`)."""
        with self._cond:
            return self._conversations.get(channel_id)

    def conversation_by_name(self, name: str) -> Conversation | None:
        with self._cond:
            wanted = name.lstrip("#")
            for conv in self._conversations.values():
                if conv.kind == "channel" and conv.name == wanted:
                    return conv
            return None

    def conversation_object(self, channel_id: str) -> dict[str, Any] | None:
        """conversations.info-shaped object for a channel, DM or group DM."""
        with self._cond:
            conv = self._conversations.get(channel_id)
            if conv is None:
                return None
            if conv.kind == "im":
                other = self._users.get(conv.user or "", {})
                return objects.im_object(
                    channel_id=conv.id,
                    user_id=conv.user or "",
                    created=conv.created,
                    user_deleted=bool(other.get("deleted")),
                )
            return objects.channel_object(
                channel_id=conv.id,
                name=conv.name,
                created=conv.created,
                creator=conv.members[0] if conv.members else "",
                context_team_id=self.team_id,
                is_private=conv.is_private,
                is_archived=conv.is_archived,
                is_member=BOT_USER_ID in conv.members,
                is_mpim=conv.kind == "mpim",
            )

    def dm_channel_id(self, user_id: str) -> str:
        """The bot<->user DM id; stable for the workspace's lifetime."""
        with self._cond:
            existing = self._dm_by_user.get(user_id)
            if existing:
                return existing
            channel_id = "D" + user_id[1:]
            while channel_id in self._conversations:
                channel_id = objects.new_id("D")
            self._conversations[channel_id] = Conversation(
                id=channel_id,
                name=channel_id,
                members=[user_id, BOT_USER_ID],
                kind="im",
                is_private=True,
                created=int(time.time()),
                user=user_id,
            )
            self._dm_by_user[user_id] = channel_id
            self._changed()
            return channel_id

    def mpim_channel_id(self, user_ids: list[str]) -> str:
        """A group DM containing exactly these users plus the bot."""
        wanted = set(user_ids) | {BOT_USER_ID}
        with self._cond:
            for conv in self._conversations.values():
                if conv.kind == "mpim" and set(conv.members) == wanted:
                    return conv.id
            channel_id = objects.new_id("C")
            names = [self._users.get(u, {}).get("name", u) for u in sorted(user_ids)]
            self._conversations[channel_id] = Conversation(
                id=channel_id,
                name="mpdm-" + "--".join(names) + "-1",
                members=sorted(wanted),
                kind="mpim",
                is_private=True,
                created=int(time.time()),
            )
            self._changed()
            return channel_id

    # ------------------------------------------------------------ messages
    def add_message(
        self,
        channel: str,
        *,
        user: str,
        text: str,
        blocks: list[dict[str, Any]] | None,
        source: str,
        ephemeral_to: str | None = None,
        thread_ts: str | None = None,
        attachments: list[dict[str, Any]] | None = None,
        files: list[dict[str, Any]] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Record a message; an ephemeral one is seen only by `ephemeral_to`."""
        with self._cond:
            conv = self._conversations.get(channel)
            if ephemeral_to is not None:
                visible = frozenset({ephemeral_to})
            else:
                visible = frozenset(conv.members if conv else ())
            is_bot = user == BOT_USER_ID
            msg = StoredMessage(
                channel=channel,
                ts=self.next_ts(),
                user=user,
                text=text,
                blocks=normalize_blocks(blocks) if blocks else None,
                ephemeral=ephemeral_to is not None,
                visible_to=visible,
                source=source,
                bot_id=BOT_ID if is_bot else None,
                app_id=APP_ID if is_bot else None,
                thread_ts=thread_ts,
                attachments=copy.deepcopy(attachments),
                files=copy.deepcopy(files),
                metadata=copy.deepcopy(metadata),
            )
            self._messages.append(msg)
            self._changed()
            return msg.to_dict(self.team_id)

    def find_message(self, channel: str, ts: str) -> StoredMessage | None:
        """The live record of a not-deleted message (touch only under `lock`)."""
        with self._cond:
            for msg in self._messages:
                if msg.channel == channel and msg.ts == ts and not msg.deleted:
                    return msg
            return None

    def replace_message(
        self,
        channel: str,
        ts: str,
        *,
        text: str | None = None,
        blocks: list[dict[str, Any]] | None = None,
        attachments: list[dict[str, Any]] | None = None,
        keep_blocks: bool = False,
        edited: bool = False,
    ) -> dict[str, Any]:
        """Apply an edit in place: everyone who saw the message sees the new one."""
        with self._cond:
            msg = self.find_message(channel, ts)
            if msg is None:
                raise KeyError(f"no message {channel}/{ts}")
            if text is not None:
                msg.text = text
            if not keep_blocks:
                msg.blocks = normalize_blocks(blocks) if blocks else None
            if attachments is not None:
                msg.attachments = copy.deepcopy(attachments) or None
            if edited:
                msg.edited = {"user": BOT_USER_ID, "ts": self.next_ts()}
            self._changed()
            return msg.to_dict(self.team_id)

    def delete_message(self, channel: str, ts: str) -> None:
        with self._cond:
            msg = self.find_message(channel, ts)
            if msg is not None:
                msg.deleted = True
                self._changed()

    def messages_for(self, user_id: str) -> list[dict[str, Any]]:
        """Everything this person can see (channels, DMs, their ephemerals), in order."""
        with self._cond:
            return [
                m.to_dict(self.team_id)
                for m in self._messages
                if not m.deleted and user_id in m.visible_to
            ]

    def last_message_for(self, user_id: str) -> dict[str, Any] | None:
        seen = self.messages_for(user_id)
        return seen[-1] if seen else None

    def dm_messages(self, user_id: str) -> list[dict[str, Any]]:
        """What this person sees in their DM with the bot."""
        with self._cond:
            dm = self._dm_by_user.get(user_id)
            return [m for m in self.messages_for(user_id) if m["channel"] == dm]

    def channel_messages(self, channel_id: str) -> list[dict[str, Any]]:
        """Non-ephemeral messages in a conversation (what any member sees)."""
        with self._cond:
            return [
                m.to_dict(self.team_id)
                for m in self._messages
                if m.channel == channel_id and not m.deleted and not m.ephemeral
            ]

    def all_messages(self) -> list[dict[str, Any]]:
        with self._cond:
            return [m.to_dict(self.team_id) for m in self._messages if not m.deleted]

    # ------------------------------------------------------------ views
    def _make_view(
        self,
        view: dict[str, Any],
        *,
        view_id: str | None = None,
        root: str | None = None,
        previous: str | None = None,
    ) -> dict[str, Any]:
        body = copy.deepcopy(view)
        body["blocks"] = normalize_blocks(body.get("blocks", []))
        return objects.view_object(
            body,
            view_id=view_id or objects.new_id("V"),
            team_id=self.team_id,
            app_id=APP_ID,
            bot_id=BOT_ID,
            root_view_id=root,
            previous_view_id=previous,
        )

    def publish_home(self, user_id: str, view: dict[str, Any]) -> dict[str, Any]:
        """Store the user's App Home view (its id is stable across publishes)."""
        with self._cond:
            old = self._home_views.get(user_id)
            stored = self._make_view(view, view_id=old["id"] if old else None)
            self._home_views[user_id] = stored
            self._changed()
            return copy.deepcopy(stored)

    def open_modal(self, user_id: str, view: dict[str, Any]) -> dict[str, Any]:
        with self._cond:
            stored = self._make_view(view)
            self._view_stacks[user_id] = [stored]
            self._changed()
            return copy.deepcopy(stored)

    def push_modal(self, user_id: str, view: dict[str, Any]) -> dict[str, Any]:
        with self._cond:
            stack = self._view_stacks.setdefault(user_id, [])
            root = stack[0]["id"] if stack else None
            previous = stack[-1]["id"] if stack else None
            stored = self._make_view(view, root=root, previous=previous)
            stack.append(stored)
            self._changed()
            return copy.deepcopy(stored)

    def find_view(
        self, *, view_id: str | None = None, external_id: str | None = None
    ) -> tuple[str, dict[str, Any]] | None:
        """(user_id, live view) for an open modal or published home view."""
        with self._cond:
            candidates: list[tuple[str, dict[str, Any]]] = [
                (u, v) for u, stack in self._view_stacks.items() for v in stack
            ]
            candidates += list(self._home_views.items())
            for user_id, v in candidates:
                if (view_id and v["id"] == view_id) or (
                    external_id and v.get("external_id") == external_id
                ):
                    return user_id, v
            return None

    def update_view(self, view_id: str, view: dict[str, Any]) -> dict[str, Any]:
        """Replace a view's content in place; keeps id/root/previous, new hash."""
        with self._cond:
            found = self.find_view(view_id=view_id)
            if found is None:
                raise KeyError(view_id)
            _, live = found
            fresh = self._make_view(
                view,
                view_id=live["id"],
                root=live["root_view_id"],
                previous=live["previous_view_id"],
            )
            live.clear()
            live.update(fresh)
            self._view_errors.pop(view_id, None)
            self._changed()
            return copy.deepcopy(live)

    def close_top_modal(self, user_id: str) -> None:
        with self._cond:
            stack = self._view_stacks.get(user_id, [])
            if stack:
                self._view_errors.pop(stack.pop()["id"], None)
            self._changed()

    def clear_modals(self, user_id: str) -> None:
        with self._cond:
            for v in self._view_stacks.pop(user_id, []):
                self._view_errors.pop(v["id"], None)
            self._changed()

    def set_view_state(self, view_id: str, values: dict[str, Any]) -> None:
        """Keep what the person typed (Slack keeps inputs across error rounds)."""
        with self._cond:
            found = self.find_view(view_id=view_id)
            if found is not None:
                found[1]["state"] = {"values": copy.deepcopy(values)}
                self._changed()

    def set_view_errors(self, view_id: str, errors: dict[str, str]) -> None:
        with self._cond:
            self._view_errors[view_id] = dict(errors)
            self._changed()

    def view_errors(self, view_id: str) -> dict[str, str]:
        """Field errors the app returned with response_action "errors"."""
        with self._cond:
            return dict(self._view_errors.get(view_id, {}))

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        with self._cond:
            v = self._home_views.get(user_id)
            return copy.deepcopy(v) if v else None

    def open_views(self, user_id: str) -> list[dict[str, Any]]:
        """The user's modal stack, bottom first (empty when no modal is open)."""
        with self._cond:
            return copy.deepcopy(self._view_stacks.get(user_id, []))

    def top_view(self, user_id: str) -> dict[str, Any] | None:
        stack = self.open_views(user_id)
        return stack[-1] if stack else None

    # ------------------------------------------------------------ triggers
    def issue_trigger_id(self, user_id: str) -> str:
        """A fresh trigger_id, as Slack attaches to each interaction."""
        with self._cond:
            # Same look as Slack's: "<digits>.<digits>.<hex>".
            trigger_id = (
                f"{int(time.time() * 1000)}.{len(self._triggers) + 100000001}."
                f"{secrets.token_hex(16)}"
            )
            self._triggers[trigger_id] = Trigger(user_id=user_id, issued_at=self.clock())
            return trigger_id

    def trigger(self, trigger_id: str) -> Trigger | None:
        with self._cond:
            return self._triggers.get(trigger_id)

    def expire_trigger(self, trigger_id: str) -> None:
        """Age a trigger past its 3 s lifetime (for tests)."""
        with self._cond:
            trig = self._triggers[trigger_id]
            trig.issued_at -= self.trigger_ttl + 1.0

    # ------------------------------------------------------------ response_url
    def register_response_url(
        self,
        path: str,
        *,
        user_id: str,
        channel_id: str,
        original: tuple[str, str] | None,
        ready: bool = True,
    ) -> None:
        with self._cond:
            self._response_urls[path] = ResponseUrl(
                path=path,
                user_id=user_id,
                channel_id=channel_id,
                original=original,
                created_at=self.clock(),
                ready=ready,
            )

    def response_url_ready(self, path: str, original: tuple[str, str] | None = None) -> None:
        """The ack was shown: let posts to this response_url through (and aim
        replace_original at `original`, the ack's message, if given)."""
        with self._cond:
            record = self._response_urls[path]
            record.ready = True
            if original is not None and record.original is None:
                record.original = original
            self._changed()

    def response_url(self, path: str) -> ResponseUrl | None:
        """The live record (touch only under `lock`)."""
        with self._cond:
            return self._response_urls.get(path)

    # ------------------------------------------------------------ files
    def add_file(self, stored: StoredFile) -> None:
        with self._cond:
            self._files[stored.id] = stored
            self._changed()

    def file_record(self, file_id: str) -> StoredFile | None:
        """The live record (touch only under `lock`)."""
        with self._cond:
            return self._files.get(file_id)

    @property
    def files(self) -> list[StoredFile]:
        """Completed uploads, oldest first (copies)."""
        with self._cond:
            return [copy.deepcopy(f) for f in self._files.values() if f.completed]

    # ------------------------------------------------------------ calls
    def record_call(self, call: ApiCall) -> None:
        with self._cond:
            self._calls.append(call)
            self._changed()

    @property
    def calls(self) -> list[ApiCall]:
        """Every Web API call so far, oldest first (a copy of the list)."""
        with self._cond:
            return list(self._calls)

    def calls_to(self, method: str) -> list[ApiCall]:
        with self._cond:
            return [c for c in self._calls if c.method == method]

    def notify(self) -> None:
        """Wake `wait_for` callers after editing a live record under `lock`."""
        self._changed()
