"""`lvm-bot` over Socket Mode, as the manifest sets it up: the real process, the fake's WebSocket.

The process opens its connection with the app-level token (apps.connections.open), and then
receives slash commands, clicks and events as envelopes and answers each with its ack.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot.platform.database import Database
from bot.platform.slack_client import build_web_client
from bot.tips.store import TipFeedback
from slack_standin import FakeSlackServer, SocketSlackSide, Workspace
from tests.support.command_line import clean_env
from tests.support.harness import ALICE, SIGNING_SECRET, TEAM_CHANNEL, populate, text_of

CONNECT_SECONDS = 60  # a fresh interpreter imports everything, then connects


def wait_for_socket(fake: FakeSlackServer, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + CONNECT_SECONDS
    while fake.socket_mode is None or not fake.socket_mode.wait_for_connection(0.2):
        if process.poll() is not None:
            raise AssertionError(f"lvm-bot exited: {process.communicate()[1]}")
        if time.monotonic() > deadline:
            raise AssertionError("lvm-bot never connected over Socket Mode")
        time.sleep(0.1)


def test_socket_mode_answers_commands_clicks_and_events(tmp_path):
    workspace = Workspace()
    populate(workspace)
    database_url = f"sqlite:///{tmp_path}/lvm.sqlite3"
    with FakeSlackServer(workspace) as fake:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot"],
            cwd=tmp_path,
            env=clean_env(
                SLACK_BOT_TOKEN=fake.bot_token,
                SLACK_SIGNING_SECRET=SIGNING_SECRET,
                SLACK_APP_TOKEN=fake.app_token,
                SLACK_API_URL=fake.api_url,
                DATABASE_URL=database_url,
                XDG_CONFIG_HOME=str(tmp_path / "config"),  # the pulse secret goes here
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_for_socket(fake, process)
            slack = SocketSlackSide(workspace, fake)

            # A slash command: the tip comes back in the envelope's acknowledgment.
            answered = slack.command(ALICE, "tip delegation", channel_id=TEAM_CHANNEL)
            assert answered.ok and answered.json is not None
            tip = workspace.last_message_for(ALICE)
            assert "Try this week" in text_of(tip)

            # A click: stored inside the ack, the reply delivered to the response_url after.
            assert slack.click(ALICE, tip, "tip.helpful").ok
            workspace.wait_for(
                lambda: "helpful" in text_of(workspace.last_message_for(ALICE)).lower(),
                what="the helpful reply",
            )

            # An event: App Home is published through the Web API.
            home = {"type": "app_home_opened", "user": ALICE, "channel": "D0ALICE", "tab": "home"}
            assert slack.event(home).ok
            workspace.wait_for(lambda: workspace.calls_to("views.publish"), what="App Home")

            # Bad input still gets an answer that says what to do.
            slack.command(ALICE, "frobnicate", channel_id=TEAM_CHANNEL)
            assert "I don't know `/lvm frobnicate`" in text_of(workspace.last_message_for(ALICE))
        finally:
            process.terminate()
            _, stderr = process.communicate(timeout=20)
    assert len(workspace.calls_to("apps.connections.open")) >= 1
    assert "Traceback" not in stderr and "ERROR" not in stderr, stderr
    database = Database(database_url)
    try:
        with database.reading() as session:
            verdicts = session.execute(select(TipFeedback.user_id, TipFeedback.verdict)).all()
    finally:
        database.dispose()
    assert [tuple(row) for row in verdicts] == [(ALICE, "helpful")]


def test_opening_a_connection_needs_the_app_level_token():
    with FakeSlackServer(Workspace()) as fake:
        with_bot_token = build_web_client(fake.bot_token, fake.api_url)
        with pytest.raises(SlackApiError) as refused:
            with_bot_token.apps_connections_open(app_token=fake.bot_token)
        with_app_token = build_web_client(fake.app_token, fake.api_url)
        url = with_app_token.apps_connections_open(app_token=fake.app_token)["url"]
    assert refused.value.response["error"] == "not_allowed_token_type"
    assert url.startswith("ws://127.0.0.1:")
