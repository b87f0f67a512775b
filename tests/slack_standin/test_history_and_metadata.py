"""Message metadata and conversations.history, as Slack gives them (via the real WebClient)."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

MARK = {"event_type": "lvm_outbox", "event_payload": {"key": "pulse.dm:1:U0ALICE"}}


def test_history_is_newest_first_with_metadata_only_when_asked(client: WebClient) -> None:
    posted = [
        client.chat_postMessage(channel="U0ALICE", text=f"m{n}", metadata=MARK if n == 1 else None)
        for n in range(3)
    ]
    dm = posted[0]["channel"]
    page = client.conversations_history(channel=dm, include_all_metadata=True).data
    assert [m["text"] for m in page["messages"]] == ["m2", "m1", "m0"]
    assert page["messages"][1]["metadata"] == MARK
    assert "metadata" not in page["messages"][0]
    assert page["has_more"] is False and page["response_metadata"]["next_cursor"] == ""
    plain = client.conversations_history(channel=dm).data
    assert not [m for m in plain["messages"] if "metadata" in m]


def test_history_pages_with_a_cursor_and_skips_thread_replies(client: WebClient) -> None:
    first = client.chat_postMessage(channel="C0TEAM", text="parent")
    client.chat_postMessage(channel="C0TEAM", text="reply", thread_ts=first["ts"])
    for n in range(3):
        client.chat_postMessage(channel="C0TEAM", text=f"later {n}")
    page = client.conversations_history(channel="C0TEAM", limit=2).data
    assert [m["text"] for m in page["messages"]] == ["later 2", "later 1"]
    assert page["has_more"] is True
    rest = client.conversations_history(
        channel="C0TEAM", limit=10, cursor=page["response_metadata"]["next_cursor"]
    ).data
    assert [m["text"] for m in rest["messages"]] == ["later 0", "parent"]


def test_history_refuses_what_slack_refuses(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as unknown:
        client.conversations_history(channel="C0NOPE")
    assert unknown.value.response["error"] == "channel_not_found"
    with pytest.raises(SlackApiError) as badly_formed:
        client.chat_postMessage(channel="C0TEAM", text="x", metadata={"event_type": "only"})
    assert badly_formed.value.response["error"] == "invalid_metadata_format"
