"""Buttons. Each ack function decides (and stores) at once; a lazy function delivers.

The ack function leaves its reply in the context under REPLY, because lazy functions get a
copy of the context made after the ack function returned.
"""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import tips
from bot.blocks import notices
from bot.blocks import tip as tip_blocks
from bot.blocks.home import HOME_TIP
from bot.home import publish_home
from bot.listeners.commands import answer_tip
from bot.listeners.failures import message_for
from bot.services import Services
from bot.store import tips as tip_store

REPLY = "lvm_reply"
SHARE_TO = "lvm_share_to"

VERDICT_FOR_ACTION = {
    tip_blocks.HELPFUL: tip_store.HELPFUL,
    tip_blocks.NOT_FOR_ME: tip_store.NOT_FOR_ME,
}


def _action(body: dict[str, Any]) -> dict[str, Any]:
    return body["actions"][0]


def deliver_reply(context: BoltContext, respond: Respond) -> None:
    reply = context.get(REPLY)
    if reply:
        respond(replace_original=reply.pop("replace_original", True), **reply)


def register(app: App, services: Services) -> None:
    def another_tip(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        try:
            context[REPLY] = answer_tip(
                services, body["team"]["id"], body["user"]["id"], _action(body).get("value", "")
            )
        except Exception as error:
            context[REPLY] = {
                **message_for(error, "picking another tip"),
                "replace_original": False,
            }

    def record_verdict(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        action = _action(body)
        verdict = VERDICT_FOR_ACTION[action["action_id"]]
        try:
            with services.database.transaction() as session:
                practice = tips.record_verdict(
                    session,
                    services.bank,
                    team_id=body["team"]["id"],
                    user_id=body["user"]["id"],
                    practice_id=action.get("value", ""),
                    verdict=verdict,
                    now=services.now(),
                )
        except LookupError:
            context[REPLY] = {**notices.practice_gone(), "replace_original": False}
            return
        except Exception as error:
            context[REPLY] = {**message_for(error, "recording feedback"), "replace_original": False}
            return
        context[REPLY] = tip_blocks.tip_message(practice, services.bank, verdict=verdict)

    def accept_share(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        practice = services.bank.practice_by_id.get(_action(body).get("value", ""))
        if practice is None:
            context[REPLY] = {**notices.practice_gone(), "replace_original": False}
            return
        channel_id = (body.get("channel") or {}).get("id") or body.get("container", {}).get(
            "channel_id"
        )
        context[SHARE_TO] = {"channel": channel_id, "practice_id": practice.id}

    def share_to_channel(
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
        logger: Logger,
    ) -> None:
        share = context.get(SHARE_TO)
        if not share:
            deliver_reply(context, respond)
            return
        practice = services.bank.practice_by_id[share["practice_id"]]
        user_id = body["user"]["id"]
        message = tip_blocks.shared_tip_message(practice, services.bank, shared_by=user_id)
        try:
            client.chat_postMessage(channel=share["channel"], **message)
        except SlackApiError as error:
            code = error.response.get("error", "")
            logger.warning("sharing a tip to %s failed: %s", share["channel"], code)
            reply = (
                notices.not_in_channel()
                if code in ("not_in_channel", "channel_not_found")
                else notices.notice(
                    f":warning: Slack refused the post (`{code}`), so nothing was shared. "
                    "Try again in a minute, or share it in a channel where I'm a member."
                )
            )
            respond(replace_original=False, **reply)
            return
        respond(
            replace_original=False,
            **notices.notice(f":mega: Shared *{practice.title}* with <#{share['channel']}>."),
        )

    def send_home_tip(ack: Ack) -> None:
        ack()

    def deliver_home_tip(body: dict[str, Any], client: WebClient) -> None:
        team_id, user_id = body["team"]["id"], body["user"]["id"]
        try:
            message = answer_tip(services, team_id, user_id, "")
        except Exception as error:
            message = message_for(error, "sending a tip from the Home tab")
        # A view has no response_url: the tip goes to the person's DM with the bot.
        client.chat_postMessage(channel=user_id, **message)
        publish_home(services, client, team_id, user_id)

    app.action(tip_blocks.ANOTHER)(ack=another_tip, lazy=[deliver_reply])
    app.action(HOME_TIP)(ack=send_home_tip, lazy=[deliver_home_tip])
    app.action(tip_blocks.HELPFUL)(ack=record_verdict, lazy=[deliver_reply])
    app.action(tip_blocks.NOT_FOR_ME)(ack=record_verdict, lazy=[deliver_reply])
    app.action(tip_blocks.SHARE)(ack=accept_share, lazy=[share_to_channel])
