"""Events API listeners. Slack redelivers events it thinks were slow, so each is idempotent.

Each acks at once and works after the ack: publishing a Home tab is a Slack call, which took
Slack's whole budget when Slack was slow.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.blocks.home import home_notice_view
from bot.home import publish_home
from bot.listeners.failures import message_for
from bot.services import Services


def register(app: App, services: Services) -> None:
    def ack_event(ack: Ack) -> None:
        ack()

    def show_home(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        user_id = event["user"]
        try:
            publish_home(services, client, context["team_id"], user_id)
        except Exception as error:
            # The Home tab is the only place this person is looking: say it there.
            notice = message_for(error, "showing the Home tab")
            client.views_publish(user_id=user_id, view=home_notice_view(str(notice["text"])))

    app.event("app_home_opened")(ack=ack_event, lazy=[show_home])
