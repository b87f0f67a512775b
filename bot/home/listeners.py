"""The App Home tab: opening it, its buttons, and greeting a channel lvm is added to.

Each acks at once and works after the ack: publishing a Home tab is a Slack call, which took
Slack's whole budget when Slack was slow. Bolt acks events by itself, before the listener
runs; Slack still redelivers an event now and then, so each is idempotent.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.home.blocks import HOME_TIP, home_notice_view
from bot.home.service import channel_of_team, publish_home
from bot.platform import notices
from bot.platform.column_types import row_id
from bot.platform.delivery import upload_file
from bot.platform.failures import message_for
from bot.platform.origin import workspace_of
from bot.platform.refusals import PulseRefusal
from bot.platform.services import Services
from bot.pulse.commands import open_setup
from bot.summary import blocks as summary_blocks
from bot.summary import service as summaries
from bot.summary import uploads
from bot.summary.build import parse_weeks
from bot.tips.listeners import answer_tip
from bot.welcome import store as welcomes
from bot.welcome.service import greet_once


def register(app: App, services: Services) -> None:
    def show_home(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        team_id, user_id = workspace_of(body), event["user"]
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

    def deliver_home_tip(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        team_id, user_id = workspace_of(body), body["user"]["id"]
        try:
            message = answer_tip(services, team_id, user_id, "")
        except Exception as error:
            message = message_for(error, "sending a tip from the Home tab")
        # A view has no response_url: the tip goes to the person's DM with the bot.
        client.chat_postMessage(channel=user_id, **message)
        publish_home(services, client, team_id, user_id)

    def summary_from_home(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id, team_id = body["user"]["id"], workspace_of(body)
        try:
            channel_id = channel_of_team(services, team_id, row_id(body["actions"][0]["value"]))
            summary = summaries.summary_of(
                services,
                team_id,
                channel_id,
                user_id,
                parse_weeks(""),
                services.directory_for(team_id).is_workspace_admin,
            )
        except (ValueError, PulseRefusal) as refusal:
            client.chat_postMessage(channel=user_id, **notices.notice(str(refusal)))
            return
        except Exception as error:  # e.g. the database is down: a Home click has no reply
            client.chat_postMessage(
                channel=user_id, **message_for(error, "building a summary from the Home tab")
            )
            return
        message = summary_blocks.summary_message(summary, services.bank, summary.team_name)
        opened = client.chat_postMessage(channel=user_id, **message)
        if summary.dimensions:
            upload_file(
                client, uploads.chart_upload(summary, services.bank, str(opened["channel"]))
            )

    def settings_from_home(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id, team_id = body["user"]["id"], workspace_of(body)
        try:
            channel_id = channel_of_team(services, team_id, row_id(body["actions"][0]["value"]))
        except (ValueError, PulseRefusal) as refusal:
            client.chat_postMessage(channel=user_id, **notices.notice(str(refusal)))
            return
        except Exception as error:
            client.chat_postMessage(
                channel=user_id, **message_for(error, "opening a team's settings from Home")
            )
            return
        command = {
            "team_id": team_id,
            "user_id": user_id,
            "channel_id": channel_id,
            "trigger_id": body["trigger_id"],
        }

        def tell_by_dm(**message: Any) -> None:  # a view has no response_url
            client.chat_postMessage(channel=user_id, **message)

        open_setup(services, command, client, tell_by_dm)
        publish_home(services, client, team_id, user_id)

    app.action(HOME_TIP)(deliver_home_tip)
    app.action(summary_blocks.HOME_SUMMARY)(summary_from_home)
    app.action(summary_blocks.HOME_SETTINGS)(settings_from_home)
    app.event("app_home_opened")(show_home)
