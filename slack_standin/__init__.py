"""A local stand-in for Slack, for tests and the `lvm-bot try` terminal demo.

- Workspace: people, channels and what each person sees (thread-safe).
- FakeSlackServer: Slack's Web API on 127.0.0.1 (point WebClient base_url at
  `server.api_url`), with Slack's response shapes, errors and 429s.
- SlackSide: sends the app signed slash commands, clicks, submissions and
  events, the way Slack does.
- SocketSlackSide: the same requests as Socket Mode envelopes, over the
  WebSocket that apps.connections.open (app-level token) hands out.

Typical wiring::

    ws = Workspace()
    ws.add_user("U1", "alice")
    ws.add_channel("C1", "team", ["U1"])
    with FakeSlackServer(ws) as server:      # SLACK_API_URL = server.api_url
        ...start the app with WebClient(token=server.bot_token, base_url=server.api_url)
        slack = SlackSide(app_url, signing_secret, ws, server)
        slack.command("U1", "help", channel_id="C1")
        ws.wait_for(lambda: ws.last_message_for("U1"))
"""

from .blocks import validate_blocks, validate_view
from .records import ApiCall, StoredFile
from .signing import signed_headers
from .slack_side import AppResponse, SlackSide, SocketSlackSide
from .web_api import FakeSlackServer
from .workspace import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    TEAM_DOMAIN,
    TEAM_ID,
    Workspace,
)

__all__ = [
    "APP_ID",
    "BOT_ID",
    "BOT_USER_ID",
    "TEAM_DOMAIN",
    "TEAM_ID",
    "ApiCall",
    "AppResponse",
    "FakeSlackServer",
    "SlackSide",
    "SocketSlackSide",
    "StoredFile",
    "Workspace",
    "signed_headers",
    "validate_blocks",
    "validate_view",
]
