"""Greeting a channel once, when lvm is added to it.

Slack redelivers events it thinks were slow; `greet_once` claims the greeting first, so a
redelivery greets nobody twice.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.platform.origin import workspace_of
from bot.platform.services import Services
from bot.welcome import store as welcomes
from bot.welcome.blocks import channel_welcome
from bot.welcome.service import greet_once


def register(app: App, services: Services) -> None:
    def greet_channel(
        event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        channel_id = event.get("channel")
        if event.get("user") != context.bot_user_id or not channel_id:
            return  # someone else joined: lvm greets only where it is added, once

        def post(first: bool) -> None:
            if first:
                client.chat_postMessage(channel=channel_id, **channel_welcome())

        greet_once(services.database, workspace_of(body), welcomes.CHANNEL, channel_id, post)

    app.event("member_joined_channel")(greet_channel)
