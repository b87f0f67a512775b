"""Events API listeners. Slack redelivers events it thinks were slow, so each is idempotent."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.home import publish_home
from bot.services import Services


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def show_home(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(services, client, context["team_id"], event["user"])
