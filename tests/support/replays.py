"""One workspace's requests sent from another: what its people sent, and every control they
are shown, as the other workspace's Slack would send them (`SlackSide.resend`).

With colliding user and channel IDs, such a request is the same person in the same place,
carrying the first workspace's row ids (rounds, commitments, comments, plans) in its values
and forms: the app must refuse it, or act on the sending workspace's own data only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App, BoltRequest, BoltResponse

from slack_standin import ApiCall, AppResponse, SlackSide, Workspace
from slack_standin.blocks import iter_elements
from tests.support.harness import Harness

REPLAYED = "(replayed)"
# Web API calls that put something in front of a person.
SHOWING = frozenset(
    {
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.update",
        "views.open",
        "views.push",
        "views.update",
        "views.publish",
        "files.completeUploadExternal",
        "response_url",
    }
)


def scrubbed(request: dict[str, Any], words: Iterable[str]) -> dict[str, Any]:
    """The request with each of `words` replaced, so anything the app answers that holds one
    came from what it stored, not from what the request carried (a message's own text)."""
    text = json.dumps(request)
    for word in words:
        text = text.replace(word, REPLAYED)
    return dict(json.loads(text))


def _choices(element: dict[str, Any]) -> list[object | None]:
    """What a person can send with this element: a button its own value, a menu each option."""
    if element.get("type") in ("button", "workflow_button"):
        return [None]
    options = list(element.get("options", []))
    for group in element.get("option_groups", []):
        options += group.get("options", [])
    return [option["value"] for option in options]


def controls_on_screen(slack: SlackSide) -> list[dict[str, Any]]:
    """A block_actions payload for everything a person of the workspace can press or pick now:
    each element of each message they see and of their Home tab, each menu option once."""
    workspace, payloads, seen = slack.workspace, [], set()
    for user in workspace.users():
        if user.get("is_bot"):
            continue
        person = str(user["id"])
        surfaces: list[tuple[dict[str, Any], bool]] = [
            (message, False) for message in workspace.messages_for(person)
        ]
        home = workspace.home_view(person)
        if home is not None:
            surfaces.append((home, True))
        for surface, is_view in surfaces:
            for _, element in iter_elements(surface.get("blocks") or []):
                action_id = str(element.get("action_id"))
                for value in _choices(element):
                    key = (person, action_id, str(element.get("value")), str(value))
                    if key in seen:
                        continue
                    seen.add(key)
                    build = slack.click_in_view_payload if is_view else slack.click_payload
                    payloads.append(build(person, surface, action_id, value=value))
    return payloads


@dataclass(frozen=True)
class Replay:
    request: dict[str, Any]  # as the origin sent it
    response: AppResponse
    calls: list[ApiCall]  # what the app did in the sending workspace meanwhile
    uploads: list[str]  # the files it uploaded there meanwhile, as text

    @property
    def person(self) -> str | None:
        """Who acted: the clicker, the form's sender, who typed or opened their Home."""
        request = self.request
        if "command" in request:
            return str(request["user_id"])
        if request.get("type") == "event_callback":
            event = request["event"]
            return None if event.get("type") == "member_joined_channel" else event.get("user")
        return str(request["user"]["id"])

    @property
    def what(self) -> str:
        request = self.request
        if "command" in request:
            return f"/lvm {request['text']}"
        if request.get("type") == "event_callback":
            return str(request["event"]["type"])
        if request.get("type") == "view_submission":
            return f"form {request['view'].get('callback_id')}"
        action = request["actions"][0]
        return f"{action['action_id']} {action.get('value') or action.get('selected_option')}"

    @property
    def form_errors(self) -> dict[str, str]:
        body = self.response.json if isinstance(self.response.json, dict) else {}
        return dict(body.get("errors") or {}) if body.get("response_action") == "errors" else {}

    @property
    def shown(self) -> list[ApiCall]:
        """What the app put in front of someone in the sending workspace."""
        return [call for call in self.calls if call.method in SHOWING]

    def told(self, workspace: Workspace) -> bool:
        """Whether the person who acted was answered: in the ack (a command's reply, a form's
        field errors), or by something put in front of them: a reply under what they
        clicked, an ephemeral, a DM or an edit of one, a form, their Home tab, a file."""
        person = self.person
        if person is None:
            return False
        if self.form_errors or ("command" in self.request and self.response.body.strip()):
            return True
        in_reach = {person, workspace.dm_channel_id(person)}
        for call in self.shown:
            params = call.params
            if (
                call.method in ("response_url", "views.open", "views.push", "views.update")
                or (call.method == "chat.postEphemeral" and params.get("user") == person)
                or (
                    call.method in ("chat.postMessage", "chat.update")
                    and params.get("channel") in in_reach
                )
                or (call.method == "views.publish" and params.get("user_id") == person)
                or (
                    call.method == "files.completeUploadExternal"
                    and params.get("channel_id") in in_reach
                )
            ):
                return True
        return False


def replay(
    target: Harness, origin: Harness, requests: Iterable[dict[str, Any]], words: Iterable[str]
) -> Iterator[Replay]:
    """Send each request (one `origin` sent or could send, or a command to type) from
    `target`'s workspace, scrubbed of `words`, one at a time: each is answered, and its work
    after the ack done, before the next."""
    words, workspace = list(words), target.workspace
    for request in requests:
        calls, files = len(workspace.calls), {file.id for file in workspace.files}
        response = target.slack.resend(scrubbed(request, words), origin.slack)
        target.wait_until_idle()
        uploads = [
            (file.content or b"").decode("latin-1") + json.dumps(file.to_dict())
            for file in workspace.files
            if file.id not in files
        ]
        yield Replay(request, response, workspace.calls[calls:], uploads)


def _bolt_request(request: dict[str, Any]) -> BoltRequest:
    if "command" in request:
        body, kind = urlencode(request), "application/x-www-form-urlencoded"
    elif request.get("type") == "event_callback":
        body, kind = json.dumps(request), "application/json"
    else:
        body, kind = (
            urlencode({"payload": json.dumps(request)}),
            "application/x-www-form-urlencoded",
        )
    return BoltRequest(body=body, headers={"content-type": kind})


def listeners_not_reached(app: App, requests: Iterable[dict[str, Any]]) -> list[str]:
    """The app's listeners (commands, buttons, forms, events; Bolt keeps them in
    `App._listeners`) that none of `requests` reaches, each by its function's name."""
    waiting = list(app._listeners)
    for request in requests:
        bolt_request = _bolt_request(request)
        waiting = [
            listener
            for listener in waiting
            if not listener.matches(req=bolt_request, resp=BoltResponse(status=200))
        ]
    return [
        str(listener.ack_function.__qualname__).replace(".<locals>", "") for listener in waiting
    ]
