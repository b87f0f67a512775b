"""SlackSide sends what Slack sends (signed, same fields) and shows what Slack shows."""

from __future__ import annotations

import json
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from slack_standin import FakeSlackServer, SlackSide, Workspace
from slack_standin.response_url import issue_response_url
from tests.support.stub_app import StubApp

BUTTONS = [
    {"type": "section", "block_id": "q", "text": {"type": "mrkdwn", "text": "How was today?"}},
    {
        "type": "actions",
        "block_id": "answers",
        "elements": [
            {
                "type": "button",
                "action_id": "good",
                "text": {"type": "plain_text", "text": "Good"},
                "value": "5",
                "style": "primary",
            },
            {
                "type": "static_select",
                "action_id": "pick",
                "placeholder": {"type": "plain_text", "text": "Pick"},
                "options": [
                    {"text": {"type": "plain_text", "text": "Meh"}, "value": "3"},
                    {"text": {"type": "plain_text", "text": "Bad"}, "value": "1"},
                ],
            },
        ],
    },
]


def test_signatures_verify_with_slack_sdk(slack: SlackSide, signing_secret: str) -> None:
    verifier = SignatureVerifier(signing_secret)
    body = "token=x&text=hello"
    headers = slack.signed_headers(body)
    assert verifier.is_valid_request(body, headers)
    assert not verifier.is_valid_request(body + "&evil=1", headers)
    assert not verifier.is_valid_request(body, slack.signed_headers(body, secret="other"))
    stale = slack.signed_headers(body, timestamp=int(time.time()) - 600)
    assert not verifier.is_valid_request(body, stale)


def test_command_sends_slack_fields_and_shows_ack(
    slack: SlackSide, stub_app: StubApp, workspace: Workspace, signing_secret: str
) -> None:
    stub_app.answer({"text": "On it", "blocks": BUTTONS})
    resp = slack.command("U0BOB", "pulse now", channel_id="C0TEAM")
    assert resp.status == 200 and resp.json == {"text": "On it", "blocks": BUTTONS}
    (req,) = stub_app.received
    verifier = SignatureVerifier(signing_secret)
    assert verifier.is_valid_request(req.body, req.headers)
    form = req.payload
    assert set(form) == {
        "token", "team_id", "team_domain", "channel_id", "channel_name", "user_id",
        "user_name", "command", "text", "api_app_id", "is_enterprise_install",
        "response_url", "trigger_id",
    }  # fmt: skip
    assert form["command"] == "/lvm" and form["text"] == "pulse now"
    assert form["user_name"] == "bob" and form["channel_name"] == "team"
    shown = workspace.last_message_for("U0BOB")
    assert shown is not None and shown["is_ephemeral"] and shown["source"] == "ack"
    assert workspace.messages_for("U0ALICE") == []
    # respond(replace_original=True) later edits the ack's message.
    WebhookClient(form["response_url"]).send(text="Done", replace_original=True)
    (only,) = workspace.messages_for("U0BOB")
    assert only["text"] == "Done" and "blocks" not in only


def test_command_failures_are_shown_like_slack(
    slack: SlackSide, stub_app: StubApp, workspace: Workspace
) -> None:
    stub_app.answer("boom", status=500)
    slack.command("U0BOB", "", channel_id="C0TEAM")
    stub_app.answer()  # plain empty ack shows nothing
    slack.command("U0BOB", "", channel_id="C0TEAM", retry_num=1)
    texts = [m["text"] for m in workspace.messages_for("U0BOB")]
    assert texts == ['/lvm failed with the error "dispatch_failed"']
    assert stub_app.received[1].headers["X-Slack-Retry-Num"] == "1"


def test_a_request_is_redelivered_unchanged_with_the_retry_headers(
    slack: SlackSide, stub_app: StubApp, client: WebClient, workspace: Workspace
) -> None:
    client.chat_postMessage(channel="U0BOB", text="How was today?", blocks=BUTTONS)
    first = slack.click("U0BOB", workspace.dm_messages("U0BOB")[-1], "good")
    again = slack.redeliver(first, retry_num=2)
    original, retried = stub_app.received
    assert retried.payload == original.payload and again.sent is first.sent
    assert retried.headers["X-Slack-Retry-Num"] == "2"
    assert retried.headers["X-Slack-Retry-Reason"] == "http_timeout"
    assert "X-Slack-Retry-Num" not in original.headers


def test_click_sends_block_actions(
    slack: SlackSide, stub_app: StubApp, client: WebClient, workspace: Workspace
) -> None:
    client.chat_postMessage(channel="U0BOB", text="How was today?", blocks=BUTTONS)
    message = workspace.dm_messages("U0BOB")[-1]
    slack.click("U0BOB", message, "good")
    slack.click("U0BOB", message, "pick", value="1")
    good, pick = (r.payload for r in stub_app.received)
    assert good["type"] == "block_actions"
    assert good["user"] == {"id": "U0BOB", "username": "bob", "name": "bob", "team_id": "T0LVM"}
    assert good["container"] == {
        "type": "message",
        "message_ts": message["ts"],
        "channel_id": message["channel"],
        "is_ephemeral": False,
    }
    assert good["channel"] == {"id": message["channel"], "name": "directmessage"}
    assert good["message"]["ts"] == message["ts"] and "source" not in good["message"]
    assert good["enterprise"] is None and good["is_enterprise_install"] is False
    assert good["team"] == {"id": "T0LVM", "domain": "lvm-demo"}
    assert good["trigger_id"] and good["response_url"] and good["api_app_id"] == "A0LVM"
    (action,) = good["actions"]
    assert action["action_id"] == "good" and action["block_id"] == "answers"
    assert action["value"] == "5" and action["type"] == "button"
    assert action["text"]["text"] == "Good" and action["action_ts"]
    assert pick["actions"][0]["selected_option"]["value"] == "1"
    assert pick["state"]["values"]["answers"]["pick"]["type"] == "static_select"


def test_click_only_what_is_shown(
    slack: SlackSide, client: WebClient, workspace: Workspace, stub_app: StubApp
) -> None:
    client.chat_postEphemeral(channel="C0TEAM", user="U0BOB", text="q", blocks=BUTTONS)
    message = workspace.last_message_for("U0BOB")
    assert message is not None
    with pytest.raises(AssertionError, match=r"available: \['good', 'pick'\]"):
        slack.click("U0BOB", message, "excellent")
    with pytest.raises(AssertionError, match="cannot see"):
        slack.click("U0ALICE", message, "good")  # someone else's ephemeral
    slack.click("U0BOB", message, "good")
    payload = stub_app.received[-1].payload
    assert payload["container"]["is_ephemeral"] is True and "message" not in payload
    # Block-action ack bodies are ignored by Slack: nothing new is shown.
    assert len(workspace.messages_for("U0BOB")) == 1


def _open_modal(client: WebClient, workspace: Workspace, user: str) -> dict[str, Any]:
    view = {
        "type": "modal",
        "callback_id": "checkin",
        "title": {"type": "plain_text", "text": "Check-in"},
        "submit": {"type": "plain_text", "text": "Send"},
        "blocks": [
            {
                "type": "input",
                "block_id": "mood",
                "label": {"type": "plain_text", "text": "Mood"},
                "element": {
                    "type": "static_select",
                    "action_id": "mood_select",
                    "initial_option": {"text": {"type": "plain_text", "text": "OK"}, "value": "3"},
                    "options": [
                        {"text": {"type": "plain_text", "text": "OK"}, "value": "3"},
                        {"text": {"type": "plain_text", "text": "Great"}, "value": "5"},
                    ],
                },
            },
            {
                "type": "input",
                "block_id": "note",
                "label": {"type": "plain_text", "text": "Note"},
                "element": {"type": "plain_text_input", "action_id": "note_input"},
            },
            {
                "type": "input",
                "block_id": "buddy",
                "optional": True,
                "label": {"type": "plain_text", "text": "Buddy"},
                "element": {"type": "users_select", "action_id": "buddy_select"},
            },
        ],
    }
    trigger = workspace.issue_trigger_id(user)
    return client.views_open(trigger_id=trigger, view=view)["view"]


def test_submit_view_state_and_response_actions(
    slack: SlackSide, stub_app: StubApp, client: WebClient, workspace: Workspace
) -> None:
    view = _open_modal(client, workspace, "U0BOB")
    with pytest.raises(AssertionError, match="required input 'note'"):
        slack.submit_view("U0BOB", view, {})
    with pytest.raises(AssertionError, match="no such inputs"):
        slack.submit_view("U0BOB", view, {"nope": {"x": "y"}})

    stub_app.answer({"response_action": "errors", "errors": {"note": "Too short"}})
    slack.submit_view("U0BOB", view, {"note": {"note_input": "ok"}})
    values = stub_app.received[-1].payload["view"]["state"]["values"]
    assert values["note"]["note_input"] == {"type": "plain_text_input", "value": "ok"}
    assert values["mood"]["mood_select"]["selected_option"]["value"] == "3"  # initial
    assert values["buddy"]["buddy_select"] == {"type": "users_select", "selected_user": None}
    assert workspace.view_errors(view["id"]) == {"note": "Too short"}
    assert workspace.top_view("U0BOB") is not None

    stub_app.answer()  # empty ack closes the modal; earlier input is kept meanwhile
    slack.submit_view("U0BOB", view, {"mood": {"mood_select": "5"}})
    values = stub_app.received[-1].payload["view"]["state"]["values"]
    assert values["note"]["note_input"]["value"] == "ok"
    assert values["mood"]["mood_select"]["selected_option"]["value"] == "5"
    payload = stub_app.received[-1].payload
    assert payload["type"] == "view_submission" and payload["response_urls"] == []
    assert workspace.open_views("U0BOB") == []


def test_a_forged_or_repeated_view_submission_carries_exactly_its_state(
    slack: SlackSide, stub_app: StubApp, client: WebClient, workspace: Workspace
) -> None:
    view = _open_modal(client, workspace, "U0BOB")
    forged = {"note": {"note_input": {"type": "plain_text_input", "value": None}}}
    stub_app.answer({"response_action": "errors", "errors": {"note": "Required"}})
    slack.send_view_submission("U0BOB", view, forged, retry_num=1)
    request = stub_app.received[-1]
    assert request.payload["type"] == "view_submission"
    assert request.payload["view"]["id"] == view["id"]
    assert request.payload["view"]["state"]["values"] == forged
    assert request.headers["X-Slack-Retry-Num"] == "1"
    # Nothing on screen changes: the modal is still open, without the app's errors.
    assert workspace.top_view("U0BOB") is not None and workspace.view_errors(view["id"]) == {}


def test_submit_update_and_clear(
    slack: SlackSide, stub_app: StubApp, client: WebClient, workspace: Workspace
) -> None:
    view = _open_modal(client, workspace, "U0BOB")
    thanks = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Thanks"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Got it"}}],
    }
    stub_app.answer({"response_action": "update", "view": thanks})
    slack.submit_view("U0BOB", view, {"note": {"note_input": "x"}})
    top = workspace.top_view("U0BOB")
    assert top is not None and top["id"] == view["id"] and top["title"]["text"] == "Thanks"
    stub_app.answer({"response_action": "clear"})
    slack.submit_view("U0BOB", top)
    assert workspace.open_views("U0BOB") == []


def test_events_and_app_home(
    slack: SlackSide, stub_app: StubApp, client: WebClient, workspace: Workspace
) -> None:
    slack.event({"type": "team_join", "user": {"id": "U0NEW"}}, retry_num=2,
                retry_reason="http_timeout", event_id="Ev0SAME")  # fmt: skip
    req = stub_app.received[-1]
    envelope = req.payload
    assert envelope["type"] == "event_callback" and envelope["event_id"] == "Ev0SAME"
    assert envelope["authorizations"][0]["user_id"] == "U0BOT"
    assert req.headers["X-Slack-Retry-Num"] == "2"
    assert req.headers["X-Slack-Retry-Reason"] == "http_timeout"
    assert req.headers["Content-Type"] == "application/json"

    slack.app_home_opened("U0BOB")
    event = stub_app.received[-1].payload["event"]
    assert event["type"] == "app_home_opened" and event["tab"] == "home" and "view" not in event
    home = {
        "type": "home",
        "blocks": [
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "tip",
                        "text": {"type": "plain_text", "text": "Tip"},
                    }
                ],
            }
        ],
    }
    published = client.views_publish(user_id="U0BOB", view=home)["view"]
    slack.app_home_opened("U0BOB")
    assert stub_app.received[-1].payload["event"]["view"]["id"] == published["id"]
    slack.click_in_view("U0BOB", published, "tip")
    payload = stub_app.received[-1].payload
    assert payload["container"] == {"type": "view", "view_id": published["id"]}
    assert payload["view"]["type"] == "home" and payload["actions"][0]["action_id"] == "tip"
    assert "response_url" not in payload


def test_user_message_event(slack: SlackSide, stub_app: StubApp, workspace: Workspace) -> None:
    slack.user_message("U0BOB", "hello bot")
    event = stub_app.received[-1].payload["event"]
    assert event["type"] == "message" and event["channel_type"] == "im"
    assert event["channel"] == workspace.dm_channel_id("U0BOB")
    assert workspace.dm_messages("U0BOB")[-1]["text"] == "hello bot"


def test_wait_for(workspace: Workspace) -> None:
    timer = threading.Timer(
        0.05,
        lambda: workspace.add_message(
            "C0TEAM", user="U0BOT", text="later", blocks=None, source="chat.postMessage"
        ),
    )
    seen_version = workspace.version
    timer.start()
    assert workspace.wait_for(lambda: workspace.last_message_for("U0BOB")["text"] == "later")
    assert workspace.version > seen_version
    with pytest.raises(AssertionError, match=r"timed out after 0\.05s waiting for nothing"):
        workspace.wait_for(lambda: None, timeout=0.05, what="nothing")


def test_a_request_of_another_workspace_is_sent_again_as_this_one_s(
    slack: SlackSide, stub_app: StubApp, workspace: Workspace, server: FakeSlackServer
) -> None:
    other = Workspace()
    other.team_id, other.team_domain = "T0OTHER", "other"
    other.add_user("U0BOB", "bob")  # the same person's id in both
    theirs = SlackSide(stub_app.url, slack.signing_secret, other, server)
    dm = other.dm_channel_id("U0BOB")
    other.add_message(dm, user=other.bot_user_id, text="Q", blocks=BUTTONS, source="test")
    theirs.click("U0BOB", other.dm_messages("U0BOB")[-1], "good")
    reply_to = issue_response_url(
        other, server.base_url, "commands", user_id="U0BOB", channel_id=dm
    )
    form = {"id": "V0FORM", "callback_id": "f", "private_metadata": json.dumps({"to": reply_to})}
    theirs.send_view_submission("U0BOB", form, {})
    click, submission = theirs.sent

    slack.resend(click, theirs)
    slack.resend(submission, theirs)
    again, resubmitted = (r.payload for r in stub_app.received[2:])
    verifier = SignatureVerifier(slack.signing_secret)
    assert all(verifier.is_valid_request(r.body, r.headers) for r in stub_app.received)
    # This workspace's team, trigger and response_urls; the person, place and values as sent.
    assert again["team"] == {"id": workspace.team_id, "domain": workspace.team_domain}
    assert again["user"]["team_id"] == workspace.team_id and again["user"]["id"] == "U0BOB"
    assert workspace.trigger(again["trigger_id"]) is not None
    assert workspace.response_url(urlsplit(again["response_url"]).path) is not None
    assert other.response_url(urlsplit(again["response_url"]).path) is None
    assert again["actions"][0]["value"] == "5" and again["container"] == click["container"]
    metadata = json.loads(resubmitted["view"]["private_metadata"])
    assert metadata["to"] != reply_to
    assert workspace.response_url(urlsplit(metadata["to"]).path) is not None
    assert resubmitted["view"]["id"] == "V0FORM" and resubmitted["team"]["id"] == workspace.team_id
