"""A local stand-in for Slack, for tests and the `lvm-bot try` terminal demo.

- Workspace: people, channels and what each person sees (thread-safe).
- FakeSlackServer: Slack's Web API on 127.0.0.1 (point WebClient base_url at
  `server.api_url`), with Slack's response shapes, errors and 429s.
- SlackSide: sends the app signed slash commands, clicks, submissions and
  events, the way Slack does.
"""

from .blocks import validate_blocks, validate_view
from .records import ApiCall, StoredFile
from .signing import signed_headers
from .slack_side import AppResponse, SlackSide
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
    "StoredFile",
    "Workspace",
    "signed_headers",
    "validate_blocks",
    "validate_view",
]
