"""Events API listeners. Slack redelivers events it thinks were slow, so each is idempotent."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.blocks.home import home_view
from bot.services import Services
from bot.store import tips as tip_store


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def publish_home(
        event: dict[str, Any], context: Any, client: WebClient, logger: Logger
    ) -> None:
        if event.get("tab", "home") != "home":
            return
        user_id = event["user"]
        with services.database.transaction() as session:
            recent_ids = tip_store.recently_shown(session, context["team_id"], user_id)
        recent = [
            services.bank.practice_by_id[i] for i in recent_ids if i in services.bank.practice_by_id
        ]
        # Publishing the same view again is harmless, which is what makes a redelivery safe.
        client.views_publish(user_id=user_id, view=home_view(recent))
