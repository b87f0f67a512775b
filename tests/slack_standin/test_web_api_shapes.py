"""Successful Web API calls come back in Slack's shapes (via the real WebClient)."""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import urlencode

from slack_sdk import WebClient

from slack_standin import FakeSlackServer, Workspace


def test_auth_test_identifies_the_bot(client: WebClient) -> None:
    data = client.auth_test().data
    assert data == {
        "ok": True,
        "url": "https://lvm-demo.slack.com/",
        "team": "LVM Demo",
        "user": "lvm",
        "team_id": "T0LVM",
        "user_id": "U0BOT",
        "bot_id": "B0BOT",
        "is_enterprise_install": False,
    }


def test_post_message_to_channel_is_seen_by_members(
    client: WebClient, workspace: Workspace
) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]
    resp = client.chat_postMessage(channel="C0TEAM", text="hi", blocks=blocks)
    assert resp["ok"] and resp["channel"] == "C0TEAM"
    message = resp["message"]
    assert message["ts"] == resp["ts"]
    assert message["user"] == "U0BOT" and message["bot_id"] == "B0BOT"
    assert message["blocks"][0]["block_id"]  # Slack fills in missing block ids
    for person in ("U0ALICE", "U0BOB"):
        seen = workspace.last_message_for(person)
        assert seen is not None and seen["text"] == "hi" and seen["ts"] == resp["ts"]


def test_post_message_to_user_id_lands_in_their_dm(client: WebClient, workspace: Workspace) -> None:
    resp = client.chat_postMessage(channel="U0ALICE", text="psst")
    opened = client.conversations_open(users="U0ALICE")
    assert resp["channel"] == opened["channel"]["id"]
    assert resp["channel"].startswith("D")
    assert [m["text"] for m in workspace.dm_messages("U0ALICE")] == ["psst"]
    assert workspace.messages_for("U0BOB") == []
    again = client.chat_postMessage(channel=resp["channel"], text="again")
    assert again["channel"] == resp["channel"]


def test_conversations_open_is_stable(client: WebClient) -> None:
    first = client.conversations_open(users=["U0BOB"]).data
    second = client.conversations_open(users="U0BOB").data
    assert first == {"ok": True, "channel": {"id": first["channel"]["id"]}}
    assert second["channel"]["id"] == first["channel"]["id"]
    assert second["already_open"] is True
    full = client.conversations_open(users="U0BOB", return_im=True)["channel"]
    assert full["is_im"] is True and full["user"] == "U0BOB"


def test_users_info_shapes(client: WebClient) -> None:
    bob = client.users_info(user="U0BOB")["user"]
    assert bob["tz"] == "Europe/Berlin"
    assert bob["tz_label"] in ("Central European Time", "Central European Summer Time")
    assert bob["tz_offset"] in (3600, 7200)
    assert bob["profile"]["display_name"] == "bob" and bob["is_bot"] is False
    assert client.users_info(user="U0ALICE")["user"]["is_admin"] is True
    gone = client.users_info(user="U0GONE")["user"]
    assert gone["deleted"] is True and "tz" not in gone  # deactivated users are trimmed
    bot = client.users_info(user="U0BOT")["user"]
    assert bot["is_bot"] is True and bot["profile"]["bot_id"] == "B0BOT"


def test_users_list_paginates_and_includes_slackbot(client: WebClient) -> None:
    ids: list[str] = []
    for page in client.users_list(limit=2):
        assert len(page["members"]) <= 2
        ids += [m["id"] for m in page["members"]]
    assert {"U0BOT", "USLACKBOT", "U0ALICE", "U0BOB", "U0GONE"} == set(ids)
    assert len(ids) == len(set(ids))


def test_conversations_members_pagination(workspace: Workspace, client: WebClient) -> None:
    people = [f"U{i:04d}" for i in range(7)]
    for uid in people:
        workspace.add_user(uid, f"user{uid}")
    workspace.add_channel("C0BIG", "big", people)
    first = client.conversations_members(channel="C0BIG", limit=3)
    assert first["members"] == people[:3]
    assert first["response_metadata"]["next_cursor"]
    collected: list[str] = []
    cursor = None
    while True:
        page = client.conversations_members(channel="C0BIG", limit=3, cursor=cursor)
        collected += page["members"]
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            assert cursor == ""
            break
    assert collected == [*people, "U0BOT"]  # the bot is a member too, as in Slack


def test_conversations_info(client: WebClient) -> None:
    channel = client.conversations_info(channel="C0TEAM", include_num_members=True)["channel"]
    assert channel["name"] == "team" and channel["is_member"] is True
    assert channel["num_members"] == 3 and channel["is_private"] is False
    public = client.conversations_info(channel="C0PUB")["channel"]
    assert public["is_member"] is False


def test_update_and_delete_apply_in_place(client: WebClient, workspace: Workspace) -> None:
    blocks = [{"type": "section", "text": {"type": "plain_text", "text": "v1"}}]
    posted = client.chat_postMessage(channel="C0TEAM", text="v1", blocks=blocks)
    updated = client.chat_update(channel="C0TEAM", ts=posted["ts"], text="v2")
    assert updated["ts"] == posted["ts"] and updated["text"] == "v2"
    seen = workspace.last_message_for("U0BOB")
    assert seen is not None and seen["text"] == "v2" and "edited" in seen
    assert seen["blocks"][0]["text"]["text"] == "v1"  # omitted blocks are kept
    client.chat_update(channel="C0TEAM", ts=posted["ts"], text="v3", blocks=[])
    seen = workspace.last_message_for("U0BOB")
    assert seen is not None and "blocks" not in seen
    client.chat_delete(channel="C0TEAM", ts=posted["ts"])
    assert workspace.messages_for("U0BOB") == []


def test_ephemeral_only_for_that_person(client: WebClient, workspace: Workspace) -> None:
    resp = client.chat_postEphemeral(channel="C0TEAM", user="U0BOB", text="just you")
    assert set(resp.data) == {"ok", "message_ts"}
    seen = workspace.last_message_for("U0BOB")
    assert seen is not None and seen["is_ephemeral"] and seen["ts"] == resp["message_ts"]
    assert workspace.messages_for("U0ALICE") == []


def test_calls_are_recorded(client: WebClient, workspace: Workspace) -> None:
    client.chat_postMessage(channel="C0TEAM", text="x")
    (call,) = workspace.calls_to("chat.postMessage")
    assert call.params["channel"] == "C0TEAM" and call.status == 200 and call.ok
    assert "token" not in call.params


def test_form_encoded_and_token_param_accepted(server: FakeSlackServer) -> None:
    # Slack also takes the token as a form field of a form-encoded body.
    body = urlencode({"token": "xoxb-fake-token", "channel": "C0TEAM", "text": "form"})
    request = urllib.request.Request(
        server.api_url + "chat.postMessage",
        data=body.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request) as resp:
        assert json.loads(resp.read())["ok"] is True
