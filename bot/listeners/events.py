"""Events API listeners. Slack redelivers events it thinks were slow, so each is idempotent.

Each acks at once and works after the ack: publishing a Home tab is a Slack call, which took
Slack's whole budget when Slack was slow.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.blocks.home import home_notice_view
from bot.blocks.welcome import channel_welcome
from bot.home import publish_home
from bot.listeners.failures import message_for
from bot.services import Services
from bot.store import welcomes
from bot.welcome import greet_once


def register(app: App, services: Services) -> None:
    def ack_event(ack: Ack) -> None:
        ack()

    def show_home(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        team_id, user_id = context["team_id"], event["user"]
        try:
            greet_once(
                services.database,
                team_id,
                welcomes.HOME,
                user_id,
                lambda first: publish_home(services, client, team_id, user_id, welcome=first),
            )
        except Exception as error:
            # The Home tab is the only place this person is looking: say it there.
            notice = message_for(error, "showing the Home tab")
            client.views_publish(user_id=user_id, view=home_notice_view(str(notice["text"])))

    def greet_channel(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        channel_id = event.get("channel")
        if event.get("user") != context.bot_user_id or not channel_id:
            return  # someone else joined: lvm greets only where it is added, once

        def post(first: bool) -> None:
            if first:
                client.chat_postMessage(channel=channel_id, **channel_welcome())

        greet_once(services.database, context["team_id"], welcomes.CHANNEL, channel_id, post)

    app.event("app_home_opened")(ack=ack_event, lazy=[show_home])
    app.event("member_joined_channel")(ack=ack_event, lazy=[greet_channel])
