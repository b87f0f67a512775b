"""files_upload_v2's three-step flow, and views.* with Slack's trigger_id rules."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import Workspace


def modal(title: str = "Check-in", **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Send"},
        "blocks": [
            {
                "type": "input",
                "block_id": "mood",
                "label": {"type": "plain_text", "text": "Mood"},
                "element": {"type": "plain_text_input", "action_id": "mood_input"},
            }
        ],
        **extra,
    }


def test_files_upload_v2_to_channel(client: WebClient, workspace: Workspace) -> None:
    resp = client.files_upload_v2(
        channel="C0TEAM",
        content=b"\x89PNG fake chart",
        filename="pulse.png",
        title="Team pulse",
        alt_txt="Bar chart of the team's pulse",
        initial_comment="This week's pulse",
    )
    assert resp["ok"] and resp["file"]["title"] == "Team pulse"
    (stored,) = workspace.files
    assert stored.content == b"\x89PNG fake chart"
    assert stored.alt_txt == "Bar chart of the team's pulse"
    assert stored.channels == ["C0TEAM"] and not stored.is_private
    seen = workspace.last_message_for("U0BOB")
    assert seen is not None and seen["text"] == "This week's pulse"
    assert seen["files"][0]["id"] == stored.id


def test_files_upload_v2_private_and_dm(client: WebClient, workspace: Workspace) -> None:
    client.files_upload_v2(content="just for me", filename="notes.txt")
    dm = client.conversations_open(users="U0ALICE")["channel"]["id"]
    client.files_upload_v2(channel=dm, content="for alice", filename="a.txt")
    private, shared = workspace.files
    assert private.is_private and private.channels == []
    assert shared.shared_with_users == ["U0ALICE"]
    assert [m["files"][0]["name"] for m in workspace.dm_messages("U0ALICE")] == ["a.txt"]


def test_file_share_errors(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as info:
        client.files_upload_v2(channel="C0PRIV", content="x", filename="x.txt")
    assert info.value.response["error"] == "channel_not_found"
    with pytest.raises(SlackApiError) as info:
        client.files_completeUploadExternal(files=[{"id": "F0NOPE", "title": "x"}])
    assert info.value.response["error"] == "file_not_found"
    with pytest.raises(SlackApiError) as info:
        client.api_call("files.upload", params={"channels": "C0TEAM", "content": "x"})
    assert info.value.response["error"] == "method_deprecated"


def test_views_open_needs_a_fresh_slack_trigger(client: WebClient, workspace: Workspace) -> None:
    def error(trigger_id: str) -> str:
        with pytest.raises(SlackApiError) as info:
            client.views_open(trigger_id=trigger_id, view=modal())
        return str(info.value.response["error"])

    assert error("12345.98765.abcdef") == "invalid_trigger_id"
    stale = workspace.issue_trigger_id("U0ALICE")
    workspace.expire_trigger(stale)
    assert error(stale) == "expired_trigger_id"
    fresh = workspace.issue_trigger_id("U0ALICE")
    view = client.views_open(trigger_id=fresh, view=modal(external_id="ci-1"))["view"]
    assert view["id"].startswith("V") and view["hash"] and view["state"] == {"values": {}}
    assert workspace.top_view("U0ALICE") == view
    assert error(fresh) == "exchanged_trigger_id"  # a trigger works once


def test_view_validation(client: WebClient, workspace: Workspace) -> None:
    trigger = workspace.issue_trigger_id("U0ALICE")
    with pytest.raises(SlackApiError) as info:
        client.views_open(trigger_id=trigger, view=modal(title="x" * 25))
    assert info.value.response["error"] == "invalid_arguments"
    assert "/view/title/text" in info.value.response["response_metadata"]["messages"][0]
    no_submit = modal()
    del no_submit["submit"]
    with pytest.raises(SlackApiError):
        client.views_open(trigger_id=trigger, view=no_submit)
    assert client.views_open(trigger_id=trigger, view=modal())["ok"]  # not consumed by failures


def test_views_update_push_and_publish(client: WebClient, workspace: Workspace) -> None:
    opened = client.views_open(
        trigger_id=workspace.issue_trigger_id("U0BOB"), view=modal(external_id="ext-1")
    )["view"]
    updated = client.views_update(external_id="ext-1", view=modal(title="Thanks"))["view"]
    assert updated["id"] == opened["id"] and updated["hash"] != opened["hash"]
    with pytest.raises(SlackApiError) as info:
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal())
    assert info.value.response["error"] == "hash_conflict"
    with pytest.raises(SlackApiError) as info:
        client.views_update(view_id="V0NOPE", view=modal())
    assert info.value.response["error"] == "not_found"
    for _ in range(2):
        client.views_push(trigger_id=workspace.issue_trigger_id("U0BOB"), view=modal())
    assert len(workspace.open_views("U0BOB")) == 3
    with pytest.raises(SlackApiError) as info:
        client.views_push(trigger_id=workspace.issue_trigger_id("U0BOB"), view=modal())
    assert info.value.response["error"] == "push_limit_reached"

    home = {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}],
    }
    first = client.views_publish(user_id="U0BOB", view=home)["view"]
    again = client.views_publish(user_id="U0BOB", view=home)["view"]
    assert first["type"] == "home" and again["id"] == first["id"]
    assert workspace.home_view("U0BOB") == again
    with pytest.raises(SlackApiError) as info:
        client.views_publish(user_id="U0BOB", view=modal())
    assert info.value.response["error"] == "invalid_arguments"
