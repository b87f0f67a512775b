"""The contract: what the stand-in answers and sends has the shape Slack's own does.

Two references. Slack's documented examples (api.slack.com, each method's "Example response"
and the interaction and event payload references), transcribed below and trimmed to the fields
lvm, slack_sdk or Bolt read; every field an example has, the stand-in's answer must have, with
the same JSON type. And the libraries themselves: slack_sdk's models must parse what the
stand-in echoes back, and Bolt must find the same user, channel and team in what it sends as
it would in Slack's requests.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from slack_bolt.request import BoltRequest
from slack_bolt.request import payload_utils as bolt
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View
from slack_sdk.web import SlackResponse

from slack_standin import FakeSlackServer, SlackSide, Workspace
from tests.support.stub_app import StubApp

MESSAGE = {
    "type": "message",
    "user": "U123ABC456",
    "text": "Here's a message for you",
    "ts": "1503435956.000247",
    "bot_id": "B123ABC456",
    "app_id": "A123ABC456",
    "team": "T123ABC456",
    "blocks": [{"type": "section", "block_id": "a1b2"}],  # every block gets a block_id
}
VIEW = {
    "id": "VMHU10V25",
    "team_id": "T8N4K1JN",
    "type": "modal",
    "title": {"type": "plain_text", "text": "Quite a plain modal"},
    "blocks": [{"type": "section", "block_id": "a1b2"}],  # every block gets a block_id
    "private_metadata": "Shh it is a secret",
    "callback_id": "identify_your_modals",
    "state": {"values": {}},
    "hash": "156772938.1827394",
    "clear_on_close": False,
    "notify_on_close": False,
    "root_view_id": "VMHU10V25",
    "previous_view_id": None,
    "app_id": "AA4928AQ",
    "external_id": "",
    "bot_id": "BA13894H",
}
USER = {
    "id": "W012A3CDE",
    "team_id": "T012AB3C4",
    "name": "spengler",
    "deleted": False,
    "real_name": "Egon Spengler",
    "tz": "America/Los_Angeles",
    "tz_label": "Pacific Daylight Time",
    "tz_offset": -25200,
    "profile": {
        "real_name": "Egon Spengler",
        "display_name": "spengler",
        "real_name_normalized": "Egon Spengler",
        "display_name_normalized": "spengler",
    },
    "is_admin": True,
    "is_owner": False,
    "is_bot": False,
}
NEXT_CURSOR = {"next_cursor": "dXNlcjpVMEc5V0ZYTlo="}

# Web API answers: api.slack.com/methods/<method>, "Example response".
ANSWERS: dict[str, dict[str, Any]] = {
    "auth.test": {
        "ok": True,
        "url": "https://subarachnoid.slack.com/",
        "team": "Subarachnoid Workspace",
        "user": "grace",
        "team_id": "T12345678",
        "user_id": "W12345678",
        "bot_id": "B12345678",
        "is_enterprise_install": False,
    },
    "chat.postMessage": {
        "ok": True,
        "channel": "C123ABC456",
        "ts": "1503435956.000247",
        "message": MESSAGE,
    },
    "chat.update": {
        "ok": True,
        "channel": "C123ABC456",
        "ts": "1401383885.000061",
        "text": "Updated text you carefully authored",
        "message": MESSAGE,
    },
    "chat.postEphemeral": {"ok": True, "message_ts": "1502210682.580145"},
    "conversations.open": {"ok": True, "channel": {"id": "D069C7QFK"}},
    "conversations.info": {
        "ok": True,
        "channel": {
            "id": "C012AB3CD",
            "name": "general",
            "is_channel": True,
            "is_group": False,
            "is_im": False,
            "is_private": False,
            "is_archived": False,
            "is_member": True,
            "created": 1449252889,
            "creator": "W012A3BCD",
            "topic": {"value": "For public discussion", "creator": "W012A3BCD", "last_set": 0},
            "purpose": {"value": "This part of the workspace", "creator": "", "last_set": 0},
        },
    },
    "conversations.members": {
        "ok": True,
        "members": ["U023BECGF", "U061F7AUR", "W012A3CDE"],
        "response_metadata": NEXT_CURSOR,
    },
    "conversations.history": {
        "ok": True,
        "messages": [MESSAGE],
        "has_more": True,
        "pin_count": 0,
        "response_metadata": NEXT_CURSOR,
    },
    "users.info": {"ok": True, "user": USER},
    "users.list": {"ok": True, "members": [USER], "response_metadata": NEXT_CURSOR},
    "views.open": {"ok": True, "view": VIEW},
    "views.update": {"ok": True, "view": VIEW},
    "views.publish": {"ok": True, "view": {**VIEW, "type": "home"}},
    "files.getUploadURLExternal": {
        "ok": True,
        "upload_url": "https://files.slack.com/upload/v1/ABC123...",
        "file_id": "F123ABC456",
    },
    "files.completeUploadExternal": {
        "ok": True,
        "files": [{"id": "F123ABC456", "title": "slack-test"}],
    },
}
# An error and a rate limit: api.slack.com/web#responses and /apis/rate-limits.
ERROR = {"ok": False, "error": "channel_not_found"}
RATE_LIMITED = {"ok": False, "error": "ratelimited"}

# What Slack sends the app: api.slack.com/interactivity/slash-commands, the interaction
# payload reference (block_actions, view_submission) and the Events API's outer event.
SLASH_COMMAND = {
    "token": "gIkuvaNzQIHg97ATvDxqgjtO",
    "team_id": "T0001",
    "team_domain": "example",
    "channel_id": "C2147483705",
    "channel_name": "test",
    "user_id": "U2147483697",
    "user_name": "Steve",
    "command": "/weather",
    "text": "94070",
    "response_url": "https://hooks.slack.com/commands/1234/5678",
    "trigger_id": "13345224609.738474920.8088930838d88f008e0",
    "api_app_id": "A123456",
}
INTERACTION_USER = {"id": "U061F7AUR", "username": "steve", "name": "steve", "team_id": "T0001"}
BLOCK_ACTIONS = {
    "type": "block_actions",
    "team": {"id": "T9TK3CUKW", "domain": "example"},
    "user": INTERACTION_USER,
    "api_app_id": "AABA1ABCD",
    "token": "9s8d9as89d8as9d8as989",
    "container": {
        "type": "message",
        "message_ts": "1548261231.000200",
        "channel_id": "CBR2V3XEX",
        "is_ephemeral": False,
    },
    "trigger_id": "12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3",
    "channel": {"id": "CBR2V3XEX", "name": "review-updates"},
    "message": MESSAGE,
    "state": {"values": {}},
    "response_url": "https://hooks.slack.com/actions/AABA1ABCD/1232321423432/D09sSasdasdAS9091209",
    "actions": [
        {
            "action_id": "WaXA",
            "block_id": "=qXel",
            # Slack adds "emoji": true to this text; the stand-in does not, and nothing reads it.
            "text": {"type": "plain_text", "text": "View"},
            "value": "click_me_123",
            "type": "button",
            "action_ts": "1548426417.840180",
        }
    ],
    "is_enterprise_install": False,
}
VIEW_SUBMISSION = {
    "type": "view_submission",
    "team": {"id": "T9TK3CUKW", "domain": "example"},
    "user": INTERACTION_USER,
    "api_app_id": "AABA1ABCD",
    "token": "9s8d9as89d8as9d8as989",
    "trigger_id": "12466734323.1395872398.4sd3c45f7e1cc81c5d2bd5e1df7436e0",
    "view": VIEW,
    "response_urls": [],
    "is_enterprise_install": False,
}
EVENT_CALLBACK = {
    "token": "XXYYZZ",
    "team_id": "T123ABC456",
    "api_app_id": "A123ABC456",
    "type": "event_callback",
    "event_id": "Ev123ABC456",
    "event_time": 1234567890,
    "authorizations": [
        {
            "team_id": "T123ABC456",
            "user_id": "U123ABC456",
            "is_bot": True,
            "is_enterprise_install": False,
        }
    ],
}
APP_HOME_OPENED = {
    "type": "app_home_opened",
    "user": "U061F7AUR",
    "channel": "D0LAN2Q65",
    "event_ts": "1515449522000016",
    "tab": "home",
}
MESSAGE_IM = {
    "type": "message",
    "channel": "D024BE91L",
    "user": "U2147483697",
    "text": "Hello hello can you hear me?",
    "ts": "1355517523.000005",
    "event_ts": "1355517523.000005",
    "channel_type": "im",
}
MEMBER_JOINED_CHANNEL = {
    "type": "member_joined_channel",
    "user": "W06GH7XHN",
    "channel": "C0698JE0H",
    "channel_type": "C",
    "team": "T024BE7LD",
}


def assert_same_shape(example: Any, actual: Any, where: str = "") -> None:
    """Every field of Slack's example is in `actual`, with the same JSON type (None is
    Slack's "not set" and matches anything); list items are checked against the first."""
    if example is None:
        return
    assert type(actual) is type(example), f"{where or 'answer'}: {actual!r} is not like {example!r}"
    if isinstance(example, dict):
        for key, value in example.items():
            assert key in actual, f"{where or 'answer'} lacks {key!r}: {sorted(actual)}"
            assert_same_shape(value, actual[key], f"{where}.{key}")
    elif isinstance(example, list) and example:
        assert actual, f"{where}: Slack's example has items, the answer has none"
        for index, item in enumerate(actual):
            assert_same_shape(example[0], item, f"{where}[{index}]")


BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]
MODAL = {
    "type": "modal",
    "callback_id": "checkin",
    "private_metadata": "round-7",
    "title": {"type": "plain_text", "text": "Check-in"},
    "blocks": BLOCKS,
}


def answer_to(method: str, client: WebClient, workspace: Workspace) -> SlackResponse:
    """The stand-in's answer to `method`, called the way lvm calls it."""
    match method:
        case "auth.test":
            return client.auth_test()
        case "chat.postMessage":
            return client.chat_postMessage(channel="C0TEAM", text="hi", blocks=BLOCKS)
        case "chat.update":
            posted = client.chat_postMessage(channel="C0TEAM", text="hi", blocks=BLOCKS)
            return client.chat_update(channel="C0TEAM", ts=posted["ts"], text="v2")
        case "chat.postEphemeral":
            return client.chat_postEphemeral(channel="C0TEAM", user="U0BOB", text="hi")
        case "conversations.open":
            return client.conversations_open(users="U0BOB")
        case "conversations.info":
            return client.conversations_info(channel="C0TEAM")
        case "conversations.members":
            workspace.add_channel("C0BIG", "big", [f"U{n:04d}" for n in range(4)])
            return client.conversations_members(channel="C0BIG", limit=2)
        case "conversations.history":
            for n in range(3):
                client.chat_postMessage(channel="C0TEAM", text=f"m{n}", blocks=BLOCKS)
            return client.conversations_history(channel="C0TEAM", limit=2)
        case "users.info":
            return client.users_info(user="U0ALICE")
        case "users.list":
            return client.users_list(limit=2)
        case "views.open":
            trigger = workspace.issue_trigger_id("U0BOB")
            return client.views_open(trigger_id=trigger, view=MODAL)
        case "views.update":
            trigger = workspace.issue_trigger_id("U0BOB")
            opened = client.views_open(trigger_id=trigger, view=MODAL)["view"]
            return client.views_update(view_id=opened["id"], view=MODAL)
        case "views.publish":
            return client.views_publish(user_id="U0BOB", view={"type": "home", "blocks": BLOCKS})
        case "files.getUploadURLExternal":
            return client.files_getUploadURLExternal(filename="a.csv", length=3)
        case "files.completeUploadExternal":
            upload = client.files_getUploadURLExternal(filename="a.csv", length=3)
            urllib.request.urlopen(urllib.request.Request(upload["upload_url"], data=b"a,b"))
            return client.files_completeUploadExternal(
                files=[{"id": upload["file_id"], "title": "a.csv"}], channel_id="C0TEAM"
            )
    raise AssertionError(f"no call written for {method}")


@pytest.mark.parametrize("method", sorted(ANSWERS))
def test_every_answer_lvm_reads_has_slacks_shape(
    method: str, client: WebClient, workspace: Workspace
) -> None:
    for n in range(4):
        workspace.add_user(f"U{n:04d}", f"person{n}")
    answer = answer_to(method, client, workspace)
    answer.validate()  # slack_sdk's own check: HTTP 200 and "ok": true
    assert_same_shape(ANSWERS[method], answer.data, method)


def test_errors_and_rate_limits_have_slacks_shape(
    server: FakeSlackServer, client: WebClient
) -> None:
    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel="C0NOPE", text="x")
    assert refused.value.response.status_code == 200  # Slack refuses with 200 and ok: false
    assert_same_shape(ERROR, refused.value.response.data)
    assert refused.value.response["error"] == "channel_not_found"

    server.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as limited:
        client.chat_postMessage(channel="C0TEAM", text="x")
    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "7"  # whole seconds, as Slack
    assert limited.value.response.data == RATE_LIMITED


def test_what_the_stand_in_echoes_back_parses_as_slack_sdk_models(
    client: WebClient, workspace: Workspace
) -> None:
    posted = client.chat_postMessage(channel="C0TEAM", text="hi", blocks=BLOCKS)["message"]
    for block in posted["blocks"]:
        parsed = Block.parse(block)
        assert parsed is not None and parsed.to_dict() == block
    opened = client.views_open(trigger_id=workspace.issue_trigger_id("U0BOB"), view=MODAL)
    view = View(**opened["view"])
    view.validate_json()
    assert (view.id, view.callback_id, view.private_metadata) == (
        opened["view"]["id"],
        "checkin",
        "round-7",
    )


def sent(stub_app: StubApp) -> tuple[dict[str, Any], BoltRequest]:
    """The last request the stand-in sent the app, decoded, and as Bolt reads it."""
    request = stub_app.received[-1]
    return request.payload, BoltRequest(body=request.body.decode(), headers=request.headers)


def test_a_slash_command_is_what_slack_sends(slack: SlackSide, stub_app: StubApp) -> None:
    slack.command("U0BOB", "pulse now", channel_id="C0TEAM")
    payload, request = sent(stub_app)
    assert_same_shape(SLASH_COMMAND, payload, "command")
    assert bolt.is_slash_command(request.body) and bolt.to_command(request.body)
    context = request.context
    assert (context.user_id, context.channel_id, context.team_id) == ("U0BOB", "C0TEAM", "T0LVM")
    assert context.response_url == payload["response_url"]


def test_a_click_is_what_slack_sends(
    slack: SlackSide, stub_app: StubApp, client: WebClient, workspace: Workspace
) -> None:
    buttons = [
        *BLOCKS,
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "good",
                    "text": {"type": "plain_text", "text": "Good"},
                    "value": "5",
                }
            ],
        },
    ]
    client.chat_postMessage(channel="C0TEAM", text="How was today?", blocks=buttons)
    message = workspace.last_message_for("U0BOB")
    assert message is not None
    slack.click("U0BOB", message, "good")
    payload, request = sent(stub_app)
    assert_same_shape(BLOCK_ACTIONS, payload, "block_actions")
    assert bolt.is_block_actions(request.body) and bolt.to_action(request.body)
    context = request.context
    assert (context.user_id, context.channel_id, context.team_id) == ("U0BOB", "C0TEAM", "T0LVM")
    assert context.response_url == payload["response_url"]


def test_a_submission_is_what_slack_sends(
    slack: SlackSide, stub_app: StubApp, client: WebClient, workspace: Workspace
) -> None:
    opened = client.views_open(trigger_id=workspace.issue_trigger_id("U0BOB"), view=MODAL)
    slack.submit_view("U0BOB", opened["view"])
    payload, request = sent(stub_app)
    assert_same_shape(VIEW_SUBMISSION, payload, "view_submission")
    assert bolt.is_view_submission(request.body) and bolt.to_view(request.body)
    context = request.context
    assert (context.user_id, context.team_id) == ("U0BOB", "T0LVM")


@pytest.mark.parametrize(
    ("example", "send"),
    [
        pytest.param(APP_HOME_OPENED, lambda slack: slack.app_home_opened("U0BOB"), id="home"),
        pytest.param(MESSAGE_IM, lambda slack: slack.user_message("U0BOB", "hi"), id="dm"),
        pytest.param(
            MEMBER_JOINED_CHANNEL,
            lambda slack: slack.event(
                {**MEMBER_JOINED_CHANNEL, "user": "U0BOT", "channel": "C0TEAM"}
            ),
            id="joined",
        ),
    ],
)
def test_an_event_is_what_slack_sends(
    slack: SlackSide, stub_app: StubApp, example: dict[str, Any], send: Any
) -> None:
    send(slack)
    payload, request = sent(stub_app)
    assert_same_shape(EVENT_CALLBACK, payload, "event_callback")
    assert_same_shape(example, payload["event"], example["type"])
    assert bolt.is_event(request.body) and bolt.to_event(request.body) == payload["event"]
    assert request.context.team_id == "T0LVM"
    assert stub_app.received[-1].headers["Content-Type"] == "application/json"
    json.dumps(payload)  # nothing the stand-in sends is beyond JSON
