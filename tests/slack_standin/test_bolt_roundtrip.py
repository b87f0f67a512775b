"""The stand-in against a real slack_bolt App: acks, respond(), modals. (That Bolt refuses what
the stand-in signs wrongly is test_slack_side's signature test, with the verifier Bolt uses.)"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from slack_bolt import Ack, App, BoltRequest, Respond
from slack_sdk import WebClient

from slack_standin import FakeSlackServer, SlackSide, Workspace

SECRET = "bolt-roundtrip-secret"
CHECKIN = {
    "type": "modal",
    "callback_id": "checkin",
    "title": {"type": "plain_text", "text": "Check-in"},
    "submit": {"type": "plain_text", "text": "Send"},
    "blocks": [
        {
            "type": "input",
            "block_id": "note",
            "label": {"type": "plain_text", "text": "Note"},
            "element": {"type": "plain_text_input", "action_id": "note_input"},
        }
    ],
}
ASK = [
    {"type": "section", "text": {"type": "mrkdwn", "text": "Open a check-in?"}},
    {
        "type": "actions",
        "elements": [
            {"type": "button", "action_id": "open", "text": {"type": "plain_text", "text": "Open"}}
        ],
    },
]


def build_app(server: FakeSlackServer) -> App:
    client = WebClient(token=server.bot_token, base_url=server.api_url)
    app = App(client=client, signing_secret=SECRET)

    @app.command("/lvm")
    def on_command(ack: Ack, respond: Respond) -> None:
        ack(text="One moment…")
        respond(text="Ready", blocks=ASK, replace_original=True)

    @app.action("open")
    def on_open(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=CHECKIN)
        respond(text="Check-in opened", replace_original=True)

    @app.view("checkin")
    def on_submit(ack: Ack, view: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        note = view["state"]["values"]["note"]["note_input"]["value"]
        if len(note) < 3:
            ack(response_action="errors", errors={"note": "A bit more, please"})
            return
        ack()
        client.chat_postMessage(channel=body["user"]["id"], text=f"Noted: {note}")

    return app


@pytest.fixture
def bolt_url(server: FakeSlackServer) -> Iterator[str]:
    app = build_app(server)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            headers = {k.lower(): [v] for k, v in self.headers.items()}
            resp = app.dispatch(BoltRequest(body=raw, headers=headers))
            data = resp.body.encode()
            self.send_response(resp.status)
            for name, values in resp.headers.items():
                for value in values:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01})
    thread.daemon = True
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/slack/events"
    httpd.shutdown()
    thread.join(timeout=5)
    httpd.server_close()


def test_command_click_modal_roundtrip(
    bolt_url: str, workspace: Workspace, server: FakeSlackServer
) -> None:
    slack = SlackSide(bolt_url, SECRET, workspace, server)
    ack = slack.command("U0BOB", "checkin", channel_id="C0TEAM")
    assert ack.status == 200 and ack.body == "One moment…"

    # respond(replace_original=True) from Bolt's thread replaces the ack message.
    ready = workspace.wait_for(
        lambda: next((m for m in workspace.messages_for("U0BOB") if m["text"] == "Ready"), None)
    )
    assert len(workspace.messages_for("U0BOB")) == 1 and ready["is_ephemeral"]

    slack.click("U0BOB", ready, "open")
    modal = workspace.wait_for(lambda: workspace.top_view("U0BOB"), what="the check-in modal")
    assert modal["callback_id"] == "checkin"
    workspace.wait_for(lambda: workspace.last_message_for("U0BOB")["text"] == "Check-in opened")

    slack.submit_view("U0BOB", modal, {"note": {"note_input": "ok"}})
    assert workspace.view_errors(modal["id"]) == {"note": "A bit more, please"}
    slack.submit_view("U0BOB", modal, {"note": {"note_input": "all good"}})
    assert workspace.open_views("U0BOB") == []
    dm = workspace.wait_for(lambda: workspace.dm_messages("U0BOB"), what="a DM to bob")
    assert dm[-1]["text"] == "Noted: all good"
