"""response_url behavior through slack_sdk's WebhookClient (what respond() uses)."""

from __future__ import annotations

from slack_sdk.webhook import WebhookClient

from slack_standin import FakeSlackServer, Workspace
from slack_standin.response_url import issue_response_url


def test_ephemeral_then_replace_then_delete(server: FakeSlackServer, workspace: Workspace) -> None:
    url = issue_response_url(
        workspace, server.base_url, "commands", user_id="U0BOB", channel_id="C0TEAM"
    )
    hook = WebhookClient(url)
    resp = hook.send(text="working on it")
    assert (resp.status_code, resp.body) == (200, "ok")
    seen = workspace.last_message_for("U0BOB")
    assert seen is not None and seen["is_ephemeral"] and seen["source"] == "response_url"
    assert workspace.messages_for("U0ALICE") == []
    hook.send(text="done", replace_original=True)
    (only,) = workspace.messages_for("U0BOB")
    assert only["text"] == "done" and only["ts"] == seen["ts"]
    hook.send(delete_original=True)
    assert workspace.messages_for("U0BOB") == []
    assert [c.status for c in workspace.calls_to("response_url")] == [200, 200, 200]


def test_in_channel_and_replacing_a_channel_message(
    server: FakeSlackServer, workspace: Workspace
) -> None:
    original = workspace.add_message(
        "C0TEAM", user="U0BOT", text="vote!", blocks=None, source="chat.postMessage"
    )
    url = issue_response_url(
        workspace,
        server.base_url,
        "actions",
        user_id="U0BOB",
        channel_id="C0TEAM",
        original=(original["channel"], original["ts"]),
    )
    WebhookClient(url).send(text="vote closed", replace_original=True)
    assert [m["text"] for m in workspace.messages_for("U0ALICE")] == ["vote closed"]
    WebhookClient(url).send(text="results are in", response_type="in_channel")
    assert [m["text"] for m in workspace.messages_for("U0ALICE")] == [
        "vote closed",
        "results are in",
    ]


def test_unknown_used_and_invalid(server: FakeSlackServer, workspace: Workspace) -> None:
    bogus = WebhookClient(server.base_url + "commands/T0LVM/1/nope").send(text="x")
    assert (bogus.status_code, bogus.body) == (404, "no_service")
    url = issue_response_url(
        workspace, server.base_url, "commands", user_id="U0BOB", channel_id="C0TEAM"
    )
    hook = WebhookClient(url)
    assert hook.send_dict({}).body == "invalid_payload"
    assert hook.send_dict({"response_type": "ephemeral"}).body == "no_text"
    for i in range(5):
        assert hook.send(text=f"{i}").status_code == 200
    used = hook.send(text="sixth")
    assert (used.status_code, used.body) == (404, "used_url")  # 5 uses per response_url
