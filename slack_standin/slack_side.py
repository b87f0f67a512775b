"""SlackSide: plays Slack towards the app's POST /slack/events endpoint.

It sends signed slash commands, block_actions, view_submissions and events
shaped like Slack's, and applies Slack's reaction to the app's HTTP answer to
the workspace (ack bodies of slash commands shown as ephemeral messages,
response_action for modals), so tests see what a person would see.
"""

from __future__ import annotations

import copy
import json
import re
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from .payloads import blocks_state, build_action, find_element, user_ref
from .response_url import issue_response_url
from .signing import signed_headers
from .web_api import FakeSlackServer
from .workspace import Workspace

_BOOKKEEPING = ("channel", "is_ephemeral", "source")


@dataclass
class AppResponse:
    """The app's HTTP answer to one request from "Slack"."""

    status: int
    headers: dict[str, str]
    body: str
    json: Any | None
    elapsed: float = 0.0
    sent: dict[str, Any] = field(default_factory=dict)  # payload that was sent

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class SlackSide:
    """Slack's half of the conversation with the app under test."""

    def __init__(
        self,
        app_url: str,
        signing_secret: str,
        workspace: Workspace,
        server: FakeSlackServer,
        *,
        verification_token: str = "fake-verification-token",
        ack_timeout: float = 3.0,
    ) -> None:
        self.app_url = app_url
        self.signing_secret = signing_secret
        self.workspace = workspace
        self.server = server
        self.verification_token = verification_token
        self.ack_timeout = ack_timeout  # Slack gives up on an ack after 3 s
        # Every request sent, in order (a command's form, an interaction's payload, an
        # event's envelope): what a test may send again, from another workspace (`resend`).
        self.sent: list[dict[str, Any]] = []

    # ------------------------------------------------------------ transport
    def signed_headers(
        self, body: bytes | str, *, timestamp: int | str | None = None, secret: str | None = None
    ) -> dict[str, str]:
        """Signature headers for `body`; override timestamp/secret to forge them."""
        return signed_headers(body, secret=secret or self.signing_secret, timestamp=timestamp)

    def post_raw(self, body: bytes, headers: dict[str, str]) -> AppResponse:
        """POST exactly these bytes and headers (no signing added)."""
        request = urllib.request.Request(self.app_url, data=body, headers=headers, method="POST")
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=30) as resp:
                status, raw, resp_headers = resp.status, resp.read(), dict(resp.headers.items())
        except urllib.error.HTTPError as exc:
            status, raw, resp_headers = exc.code, exc.read(), dict(exc.headers.items())
        elapsed = time.monotonic() - started
        text = raw.decode("utf-8", errors="replace")
        try:
            parsed = json.loads(text) if text.strip() else None
        except json.JSONDecodeError:
            parsed = None
        return AppResponse(status, resp_headers, text, parsed, elapsed)

    def _send(
        self,
        body: str,
        content_type: str,
        sent: dict[str, Any],
        extra_headers: dict[str, str] | None = None,
    ) -> AppResponse:
        self.sent.append(copy.deepcopy(sent))
        headers = {"Content-Type": content_type, **self.signed_headers(body)}
        headers.update(extra_headers or {})
        response = self.post_raw(body.encode("utf-8"), headers)
        response.sent = sent
        return response

    def _send_interaction(self, payload: dict[str, Any]) -> AppResponse:
        body = urlencode({"payload": json.dumps(payload)})
        return self._send(body, "application/x-www-form-urlencoded", payload)

    @staticmethod
    def _retry_headers(retry_num: int | None, retry_reason: str | None) -> dict[str, str]:
        headers: dict[str, str] = {}
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
        return headers

    def redeliver(
        self, response: AppResponse, *, retry_num: int = 1, retry_reason: str = "http_timeout"
    ) -> AppResponse:
        """Send the request behind `response` again, unchanged but for Slack's retry headers,
        as Slack does when the app's answer did not reach it in time. Nothing the app answers
        is shown: Slack already gave up on that request."""
        sent = response.sent
        if "command" in sent:
            body, content_type = urlencode(sent), "application/x-www-form-urlencoded"
        elif sent.get("type") == "event_callback":
            body, content_type = json.dumps(sent), "application/json"
        else:
            body = urlencode({"payload": json.dumps(sent)})
            content_type = "application/x-www-form-urlencoded"
        return self._send(body, content_type, sent, self._retry_headers(retry_num, retry_reason))

    def resend(self, sent: dict[str, Any], origin: SlackSide) -> AppResponse:
        """A request `origin` sent (one of `origin.sent`), sent again as this side's Slack
        would send it: from this workspace (its team id wherever the origin's stood), with a
        trigger_id and response_urls this workspace issued, in place of the origin's
        (found anywhere, a form's private_metadata included), so nothing the app answers can
        reach the origin's workspace by them. Users, channels, values and views stay as they
        were: with colliding ids, the same person in the same place. A command is typed
        again; an event gets a new event_id. Nothing the app answers to a form is applied:
        the view is not on this workspace's screen."""
        if "command" in sent:
            return self.command(
                sent["user_id"],
                sent["text"],
                channel_id=sent["channel_id"],
                command=sent["command"],
            )
        restamped = self._restamped(sent, origin)
        if sent.get("type") == "event_callback":
            restamped["event_id"] = f"Ev{secrets.token_hex(5).upper()}"
            return self._send(json.dumps(restamped), "application/json", restamped)
        user_id = str((restamped.get("user") or {}).get("id", ""))
        if "trigger_id" in restamped:
            restamped["trigger_id"] = self.workspace.issue_trigger_id(user_id)
        return self._send_interaction(restamped)

    def _restamped(self, sent: dict[str, Any], origin: SlackSide) -> dict[str, Any]:
        ws, theirs = self.workspace, origin.workspace
        mine = {
            theirs.team_id: ws.team_id,
            **({theirs.enterprise_id: ws.enterprise_id} if theirs.enterprise_id else {}),
        }

        def own_ids(value: Any) -> Any:
            if isinstance(value, dict):
                restamped = {key: own_ids(item) for key, item in value.items()}
                team = restamped.get("team")
                if isinstance(team, dict) and "domain" in team:
                    team["domain"] = ws.team_domain
                return restamped
            if isinstance(value, list):
                return [own_ids(item) for item in value]
            return mine.get(value, value) if isinstance(value, str) else value

        text = json.dumps(own_ids(sent))
        base = re.escape(origin.server.base_url.rstrip("/"))
        pattern = re.compile(base + r"(/(?:commands|actions)/[^\s\"\\]+)")

        def own_url(match: re.Match[str]) -> str:
            record = theirs.response_url(match.group(1))
            if record is None:
                return match.group(0)
            original = record.original
            if original is not None and ws.find_message(*original) is None:
                original = None
            return issue_response_url(
                ws,
                self.server.base_url,
                match.group(1).split("/")[1],
                user_id=record.user_id,
                channel_id=record.channel_id,
                original=original,
            )

        return json.loads(pattern.sub(own_url, text))

    # ------------------------------------------------------------ lookups
    def _user(self, user_id: str) -> dict[str, Any]:
        user = self.workspace.user(user_id)
        if user is None:
            raise AssertionError(f"unknown user {user_id!r}; add it with workspace.add_user")
        return user

    def _channel_ref(self, channel_id: str) -> dict[str, str]:
        conv = self.workspace.conversation(channel_id)
        if conv is None:
            return {"id": channel_id, "name": channel_id}
        return {"id": channel_id, "name": "directmessage" if conv.kind == "im" else conv.name}

    def _common(self, user_id: str) -> dict[str, Any]:
        ws = self.workspace
        return {
            "user": user_ref(self._user(user_id), ws.team_id),
            "api_app_id": ws.app_id,
            "token": self.verification_token,
            "trigger_id": ws.issue_trigger_id(user_id),
            # An org-wide install's interactions may come with no team: the workspace is
            # then the person's own (`user.team_id`) or the view's (`view.team_id`).
            "team": None
            if ws.org_wide
            else {
                "id": ws.team_id,
                "domain": ws.team_domain,
                **({"enterprise_id": ws.enterprise_id} if ws.enterprise_id else {}),
            },
            "enterprise": (
                {"id": ws.enterprise_id, "name": ws.enterprise_name} if ws.enterprise_id else None
            ),
            "is_enterprise_install": ws.org_wide,
        }

    # ------------------------------------------------------------ slash commands
    def command(
        self,
        user_id: str,
        text: str,
        *,
        channel_id: str,
        command: str = "/lvm",
        retry_num: int | None = None,
    ) -> AppResponse:
        """A slash command typed by `user_id` in `channel_id`."""
        ws = self.workspace
        user = self._user(user_id)
        response_url = issue_response_url(
            ws,
            self.server.base_url,
            "commands",
            user_id=user_id,
            channel_id=channel_id,
            ready=False,
        )
        form = {
            "token": self.verification_token,
            "team_id": ws.team_id,
            "team_domain": ws.team_domain,
            "channel_id": channel_id,
            "channel_name": self._channel_ref(channel_id)["name"],
            "user_id": user_id,
            "user_name": user["name"],
            "command": command,
            "text": text,
            "api_app_id": ws.app_id,
            "is_enterprise_install": "true" if ws.org_wide else "false",
            **({"enterprise_id": ws.enterprise_id} if ws.enterprise_id else {}),
            "response_url": response_url,
            "trigger_id": ws.issue_trigger_id(user_id),
        }
        path = urlsplit(response_url).path
        shown: dict[str, Any] | None = None
        try:
            response = self._send(
                urlencode(form),
                "application/x-www-form-urlencoded",
                form,
                self._retry_headers(retry_num, None),
            )
            shown = self._show_command_ack(response, user_id, channel_id, command)
        finally:
            ws.response_url_ready(path, (shown["channel"], shown["ts"]) if shown else None)
        return response

    def _show_command_ack(
        self, response: AppResponse, user_id: str, channel_id: str, command: str
    ) -> dict[str, Any] | None:
        """Slack shows a slash command's ack body to the person (or an error)."""
        ws = self.workspace
        if response.elapsed > self.ack_timeout:
            text, blocks, in_channel = (
                f'{command} failed with the error "operation_timeout"',
                None,
                False,
            )
        elif response.status != 200:
            text, blocks, in_channel = (
                f'{command} failed with the error "dispatch_failed"',
                None,
                False,
            )
        elif isinstance(response.json, dict):
            body = response.json
            if not (body.get("text") or body.get("blocks") or body.get("attachments")):
                return None
            text, blocks = str(body.get("text") or ""), body.get("blocks")
            in_channel = body.get("response_type") == "in_channel"
        elif response.body.strip():
            text, blocks, in_channel = response.body, None, False
        else:
            return None
        return ws.add_message(
            channel_id,
            user=ws.bot_user_id,
            text=text,
            blocks=blocks,
            source="ack",
            ephemeral_to=None if in_channel else user_id,
        )

    # ------------------------------------------------------------ block actions
    def _shown_message(self, user_id: str, message: dict[str, Any]) -> dict[str, Any]:
        """The current version of a message this person can see."""
        ts = message.get("ts") or message.get("message_ts")
        seen = self.workspace.messages_for(user_id)
        for current in seen:
            if current["ts"] == ts and message.get("channel") in (None, current["channel"]):
                return current
        recent = [(m["channel"], m["ts"], m["text"][:40]) for m in seen[-5:]]
        raise AssertionError(
            f"{user_id} cannot see message ts={ts!r} (deleted or never shown); "
            f"latest they see: {recent}"
        )

    def click(
        self, user_id: str, message: dict[str, Any], action_id: str, *, value: object | None = None
    ) -> AppResponse:
        """Use the element `action_id` in a message as it is currently shown.
        `value` picks an option / user / date for selects; buttons send their own."""
        # Slack ignores the HTTP body of a block_actions ack (unlike commands).
        return self._send_interaction(self.click_payload(user_id, message, action_id, value=value))

    def click_payload(
        self, user_id: str, message: dict[str, Any], action_id: str, *, value: object | None = None
    ) -> dict[str, Any]:
        """The block_actions payload `click` sends, without sending it."""
        ws = self.workspace
        current = self._shown_message(user_id, message)
        blocks = current.get("blocks") or []
        block_id, element = find_element(blocks, action_id)
        channel_id, ts = current["channel"], current["ts"]
        payload: dict[str, Any] = {"type": "block_actions", **self._common(user_id)}
        payload["container"] = {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel_id,
            "is_ephemeral": current["is_ephemeral"],
        }
        payload["channel"] = self._channel_ref(channel_id)
        if not current["is_ephemeral"]:  # Slack omits the message for ephemerals
            payload["message"] = {k: v for k, v in current.items() if k not in _BOOKKEEPING}
        payload["state"] = {"values": blocks_state(blocks)}
        payload["response_url"] = issue_response_url(
            ws,
            self.server.base_url,
            "actions",
            user_id=user_id,
            channel_id=channel_id,
            original=(channel_id, ts),
        )
        payload["actions"] = [build_action(element, block_id, value)]
        return payload

    def _live_view(self, user_id: str, view: dict[str, Any], *, top_only: bool) -> dict[str, Any]:
        """The current version of a view this person has on screen."""
        home = self.workspace.home_view(user_id)
        stack = self.workspace.open_views(user_id)
        on_screen = stack[-1:] if top_only else [*stack[-1:], *([home] if home else [])]
        for live in on_screen:
            if live["id"] == view.get("id"):
                return live
        shown = [(v["type"], v["id"]) for v in on_screen]
        raise AssertionError(
            f"view {view.get('id')!r} is not on {user_id}'s screen; shown: {shown}"
        )

    def click_in_view(
        self, user_id: str, view: dict[str, Any], action_id: str, *, value: object | None = None
    ) -> AppResponse:
        """Use an element in the user's App Home or top-most modal."""
        return self._send_interaction(
            self.click_in_view_payload(user_id, view, action_id, value=value)
        )

    def click_in_view_payload(
        self, user_id: str, view: dict[str, Any], action_id: str, *, value: object | None = None
    ) -> dict[str, Any]:
        """The block_actions payload `click_in_view` sends, without sending it."""
        live = self._live_view(user_id, view, top_only=False)
        block_id, element = find_element(live["blocks"], action_id)
        sent_view = copy.deepcopy(live)
        sent_view["state"] = {
            "values": blocks_state(live["blocks"], previous=live["state"]["values"])
        }
        payload: dict[str, Any] = {"type": "block_actions", **self._common(user_id)}
        payload["container"] = {"type": "view", "view_id": live["id"]}
        payload["view"] = sent_view
        payload["actions"] = [build_action(element, block_id, value)]
        return payload

    # ------------------------------------------------------------ modals
    def submit_view(
        self,
        user_id: str,
        view: dict[str, Any],
        values: dict[str, dict[str, object]] | None = None,
    ) -> AppResponse:
        """Press Submit on the top modal with `values` (block_id -> action_id -> value).

        Untouched inputs keep what was typed before or their initial values.
        The app's answer is applied: errors / update / push / clear, and an
        empty ack closes the view.
        """
        ws = self.workspace
        live = self._live_view(user_id, view, top_only=True)
        state = blocks_state(live["blocks"], values, live["state"]["values"], require_inputs=True)
        ws.set_view_state(live["id"], state)
        sent_view = copy.deepcopy(live)
        sent_view["state"] = {"values": state}
        payload: dict[str, Any] = {"type": "view_submission", **self._common(user_id)}
        payload["view"] = sent_view
        payload["response_urls"] = []
        response = self._send_interaction(payload)
        self._apply_view_answer(response, user_id, live["id"])
        return response

    def send_view_submission(
        self,
        user_id: str,
        view: dict[str, Any],
        state_values: dict[str, dict[str, Any]],
        *,
        retry_num: int | None = None,
    ) -> AppResponse:
        """A view_submission carrying exactly `state_values` (Slack-shaped), unchecked: what a
        forged request looks like, or with `retry_num`, one Slack sends again. The view need
        not be on screen, and the app's answer changes nothing shown."""
        sent_view = copy.deepcopy(view)
        sent_view["state"] = {"values": state_values}
        payload: dict[str, Any] = {"type": "view_submission", **self._common(user_id)}
        payload["view"] = sent_view
        payload["response_urls"] = []
        body = urlencode({"payload": json.dumps(payload)})
        return self._send(
            body,
            "application/x-www-form-urlencoded",
            payload,
            self._retry_headers(retry_num, None),
        )

    def _apply_view_answer(self, response: AppResponse, user_id: str, view_id: str) -> None:
        ws = self.workspace
        if response.status != 200 or response.elapsed > self.ack_timeout:
            return  # Slack shows "We had some trouble connecting" and keeps the modal
        body = response.json if isinstance(response.json, dict) else {}
        action = body.get("response_action")
        if action == "errors":
            ws.set_view_errors(view_id, body.get("errors") or {})
        elif action == "update":
            ws.update_view(view_id, body["view"])
        elif action == "push":
            ws.push_modal(user_id, body["view"])
        elif action == "clear":
            ws.clear_modals(user_id)
        else:
            ws.close_top_modal(user_id)

    # ------------------------------------------------------------ events
    def event(
        self,
        event: dict[str, Any],
        *,
        retry_num: int | None = None,
        retry_reason: str | None = None,
        event_id: str | None = None,
    ) -> AppResponse:
        """An Events API event_callback (pass the same event_id to model a retry)."""
        ws = self.workspace
        body_event = dict(event)
        body_event.setdefault("event_ts", f"{time.time():.6f}")
        envelope = {
            "token": self.verification_token,
            "team_id": ws.team_id,
            "context_team_id": ws.team_id,
            "context_enterprise_id": ws.enterprise_id,
            "api_app_id": ws.app_id,
            "event": body_event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{secrets.token_hex(5).upper()}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": ws.enterprise_id,
                    "team_id": None if ws.org_wide else ws.team_id,
                    "user_id": ws.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": ws.org_wide,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": f"4-{secrets.token_urlsafe(24)}",
        }
        return self._send(
            json.dumps(envelope),
            "application/json",
            envelope,
            self._retry_headers(retry_num, retry_reason),
        )

    def app_home_opened(self, user_id: str) -> AppResponse:
        """The person opens the app's Home tab."""
        self._user(user_id)
        event: dict[str, Any] = {
            "type": "app_home_opened",
            "user": user_id,
            "channel": self.workspace.dm_channel_id(user_id),
            "tab": "home",
        }
        home = self.workspace.home_view(user_id)
        if home is not None:  # Slack only includes a view once one was published
            event["view"] = home
        return self.event(event)

    def user_message(
        self, user_id: str, text: str, *, channel_id: str | None = None
    ) -> AppResponse:
        """The person writes `text` (default: in their DM with the bot)."""
        ws = self.workspace
        self._user(user_id)
        channel = channel_id or ws.dm_channel_id(user_id)
        posted = ws.add_message(channel, user=user_id, text=text, blocks=None, source="user")
        conv = ws.conversation(channel)
        kind = conv.kind if conv else "channel"
        channel_type = {"im": "im", "mpim": "mpim"}.get(
            kind, "group" if conv and conv.is_private else "channel"
        )
        return self.event(
            {
                "type": "message",
                "channel": channel,
                "user": user_id,
                "text": text,
                "ts": posted["ts"],
                "event_ts": posted["ts"],
                "channel_type": channel_type,
            }
        )


class SocketSlackSide(SlackSide):
    """SlackSide over Socket Mode: the same requests, as envelopes on the app's WebSocket.

    Nothing is signed (the connection itself is authenticated with the app-level token); the
    ack's payload comes back in the envelope's acknowledgment instead of an HTTP body.
    """

    def __init__(self, workspace: Workspace, server: FakeSlackServer, **options: Any) -> None:
        super().__init__("socket-mode://", "", workspace, server, **options)

    def post_raw(self, body: bytes, headers: dict[str, str]) -> AppResponse:
        raise NotImplementedError("Socket Mode carries no raw HTTP requests")

    def _send(
        self,
        body: str,
        content_type: str,
        sent: dict[str, Any],
        extra_headers: dict[str, str] | None = None,
    ) -> AppResponse:
        self.sent.append(copy.deepcopy(sent))
        socket = self.server.socket_mode
        if socket is None:
            raise AssertionError("the app never opened a Socket Mode connection")
        if "command" in sent:
            envelope_type = "slash_commands"
        elif sent.get("type") == "event_callback":
            envelope_type = "events_api"
        else:
            envelope_type = "interactive"
        headers = extra_headers or {}
        ack = socket.send(
            envelope_type,
            sent,
            retry_attempt=int(headers.get("X-Slack-Retry-Num", 0)),
            retry_reason=headers.get("X-Slack-Retry-Reason", ""),
        )
        text = json.dumps(ack.payload) if ack.payload else ""
        return AppResponse(200, {}, text, ack.payload, ack.elapsed, sent)
