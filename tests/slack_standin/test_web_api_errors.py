"""Failures come back as Slack's error codes, raised by WebClient as SlackApiError."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import FakeSlackServer, Workspace


def error_of(call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(SlackApiError) as info:
        call(*args, **kwargs)
    return str(info.value.response["error"])


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def test_auth_errors(server: FakeSlackServer) -> None:
    assert error_of(WebClient(base_url=server.api_url).auth_test) == "not_authed"
    wrong = WebClient(token="xoxb-wrong", base_url=server.api_url)
    assert error_of(wrong.auth_test) == "invalid_auth"


def test_unknown_method(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as info:
        client.api_call("chat.teleport")
    assert info.value.response.data == {
        "ok": False,
        "error": "unknown_method",
        "req_method": "chat.teleport",
    }


@pytest.mark.parametrize(
    ("channel", "error"),
    [
        ("C0NOPE", "channel_not_found"),
        ("C0PRIV", "channel_not_found"),  # private and the bot is not in it
        ("C0PUB", "not_in_channel"),
        ("C0OLD", "is_archived"),
        ("U0NOBODY", "user_not_found"),
        ("U0GONE", "user_disabled"),
    ],
)
def test_post_message_channel_errors(client: WebClient, channel: str, error: str) -> None:
    assert error_of(client.chat_postMessage, channel=channel, text="x") == error


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_post_message_content_errors(client: WebClient) -> None:
    assert error_of(client.chat_postMessage, channel="C0TEAM") == "no_text"
    assert error_of(client.chat_postMessage, channel="C0TEAM", text="x" * 40_001) == "msg_too_long"


@pytest.mark.parametrize(
    ("blocks", "pointer"),
    [
        ([section("x")] * 51, "/blocks"),
        ([section("x" * 3001)], "/blocks/0/text/text"),
        ([section("")], "/blocks/0/text/text"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], "/blocks/0"),
        ([{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}], "/blocks/0/text/type"),
        ([{"type": "sparkle"}], "/blocks/0"),
        ([{"text": {"type": "mrkdwn", "text": "no type"}}], "/blocks/0"),
        (
            [
                {
                    "type": "actions",
                    "elements": [
                        {"type": "button", "text": {"type": "plain_text", "text": "b" * 76}}
                    ],
                }
            ],
            "/blocks/0/elements/0/text/text",
        ),
        (
            [
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "text": {"type": "plain_text", "text": "ok"},
                            "action_id": "a" * 256,
                        }
                    ],
                }
            ],
            "/blocks/0/elements/0/action_id",
        ),
        (
            [
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "text": {"type": "plain_text", "text": "ok"},
                            "value": "v" * 2001,
                        }
                    ],
                }
            ],
            "/blocks/0/elements/0/value",
        ),
        ([section("a") | {"block_id": "x"}, section("b") | {"block_id": "x"}], "/blocks/1"),
    ],
)
def test_invalid_blocks(client: WebClient, blocks: list[dict[str, Any]], pointer: str) -> None:
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel="C0TEAM", text="fallback", blocks=blocks)
    data = info.value.response.data
    assert data["error"] == "invalid_blocks"
    assert any(f"[json-pointer:{pointer}" in e for e in data["errors"]), data["errors"]
    assert data["response_metadata"]["messages"][0].startswith("[ERROR] ")


def test_malformed_blocks_json_in_form_post(client: WebClient) -> None:
    resp_error = error_of(
        client.api_call,
        "chat.postMessage",
        params={"channel": "C0TEAM", "text": "x", "blocks": "[not json"},
    )
    assert resp_error == "invalid_blocks_format"


def test_ephemeral_errors(client: WebClient) -> None:
    post = client.chat_postEphemeral
    assert error_of(post, channel="C0TEAM", user="U0NOBODY", text="x") == "user_not_found"
    assert error_of(post, channel="C0OLD", user="U0ALICE", text="x") == "is_archived"
    # bob exists but is not in #random... and neither is the bot
    assert error_of(post, channel="C0PUB", user="U0BOB", text="x") == "not_in_channel"


def test_ephemeral_user_not_in_channel(client: WebClient, workspace: Workspace) -> None:
    workspace.add_user("U0CARL", "carl")
    post = client.chat_postEphemeral
    assert error_of(post, channel="C0TEAM", user="U0CARL", text="x") == "user_not_in_channel"


def test_update_errors(client: WebClient, workspace: Workspace) -> None:
    assert error_of(client.chat_update, channel="C0TEAM", ts="1.000001", text="x") == (
        "message_not_found"
    )
    human = workspace.add_message("C0TEAM", user="U0BOB", text="mine", blocks=None, source="user")
    assert error_of(client.chat_update, channel="C0TEAM", ts=human["ts"], text="x") == (
        "cant_update_message"
    )
    eph = client.chat_postEphemeral(channel="C0TEAM", user="U0BOB", text="e")
    assert error_of(client.chat_update, channel="C0TEAM", ts=eph["message_ts"], text="x") == (
        "message_not_found"
    )


def test_lookup_errors(client: WebClient) -> None:
    assert error_of(client.users_info, user="U0NOBODY") == "user_not_found"
    assert error_of(client.conversations_members, channel="C0NOPE") == "channel_not_found"
    assert error_of(client.conversations_members, channel="C0PRIV") == "channel_not_found"
    assert error_of(client.conversations_members, channel="C0PUB") == "not_in_channel"
    assert error_of(client.conversations_info, channel="C0PRIV") == "channel_not_found"
    assert error_of(client.conversations_members, channel="C0TEAM", cursor="bogus") == (
        "invalid_cursor"
    )
    assert error_of(client.conversations_open, users="U0GONE") == "user_disabled"
    assert error_of(client.conversations_open, users="U0NOBODY") == "user_not_found"


def test_fail_next_injects_errors(
    client: WebClient, server: FakeSlackServer, workspace: Workspace
) -> None:
    server.fail_next("chat.postMessage", "account_inactive", times=2)
    assert error_of(client.chat_postMessage, channel="C0TEAM", text="x") == "account_inactive"
    assert error_of(client.chat_postMessage, channel="C0TEAM", text="x") == "account_inactive"
    assert client.chat_postMessage(channel="C0TEAM", text="x")["ok"]
    server.fail_next("users.info", "internal_error", status=500)
    with pytest.raises(SlackApiError) as info:
        client.users_info(user="U0BOB")
    assert info.value.response.status_code == 500
    assert [c.status for c in workspace.calls_to("users.info")] == [500]
    server.fail_next("auth.test", "fatal_error")
    server.clear_failures()
    assert client.auth_test()["ok"]
