"""Tip buttons and `/lvm tip`. Each button decides and stores, acks, then posts its reply."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.bank import Practice
from bot.platform import notices
from bot.platform.failures import message_for
from bot.platform.messages import Message
from bot.platform.origin import workspace_of
from bot.platform.services import Services
from bot.tips import blocks as tip_blocks
from bot.tips import service as tips
from bot.tips import store as tip_store
from bot.tips.blocks import search_note, tip_message
from bot.tips.topics import no_match_message

VERDICT_FOR_ACTION = {
    tip_blocks.HELPFUL: tip_store.HELPFUL,
    tip_blocks.NOT_FOR_ME: tip_store.NOT_FOR_ME,
}


def answer_tip(services: Services, team_id: str, user_id: str, text: str) -> Message:
    query = tips.read_query(services.bank, text)
    if isinstance(query, tips.NoMatch):
        return no_match_message(query.text, query.suggestions, services.bank)
    practice = tips.give_tip(services, team_id=team_id, user_id=user_id, query=query)
    return tip_message(
        practice,
        services.bank,
        query_text=query.text,
        search_note=_search_note(services, query, practice),
    )


def _search_note(services: Services, query: tips.TipQuery, practice: Practice) -> str | None:
    """Say what the typed words matched, unless they named the topic or lens itself."""
    if query.words:
        matched = len(tips.matching_practices(services.bank, query))
        return search_note(practice, services.bank, query.text, matched)
    if query.topic and tips.names_topic(query.text, query.topic):
        return None
    if query.topic:
        return search_note(practice, services.bank, query.text, None)
    return None


def _action(body: dict[str, Any]) -> dict[str, Any]:
    return body["actions"][0]


def register(app: App, services: Services) -> None:
    def another_tip(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        try:
            reply = answer_tip(
                services, workspace_of(body), body["user"]["id"], _action(body).get("value", "")
            )
        except Exception as error:
            reply = {**message_for(error, "picking another tip"), "replace_original": False}
        ack()
        respond(**{"replace_original": True, **reply})

    def record_verdict(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        action = _action(body)
        verdict = VERDICT_FOR_ACTION[action["action_id"]]
        try:
            practice = tips.give_verdict(
                services,
                team_id=workspace_of(body),
                user_id=body["user"]["id"],
                practice_id=action.get("value", ""),
                verdict=verdict,
            )
            reply = {
                "replace_original": True,
                **tip_blocks.tip_message(practice, services.bank, verdict=verdict),
            }
        except LookupError:
            reply = {**notices.practice_gone(), "replace_original": False}
        except Exception as error:
            reply = {**message_for(error, "recording feedback"), "replace_original": False}
        ack()
        respond(**reply)

    def share_tip(
        ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, logger: Logger
    ) -> None:
        ack()
        practice = services.bank.practice_by_id.get(_action(body).get("value", ""))
        if practice is None:
            respond(replace_original=False, **notices.practice_gone())
            return
        channel_id = (body.get("channel") or {}).get("id") or body.get("container", {}).get(
            "channel_id"
        )
        message = tip_blocks.shared_tip_message(
            practice, services.bank, shared_by=body["user"]["id"]
        )
        try:
            client.chat_postMessage(channel=channel_id, **message)
        except SlackApiError as error:
            code = error.response.get("error", "")
            logger.warning("sharing a tip to %s failed: %s", channel_id, code)
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
            **notices.notice(f":mega: Shared *{practice.title}* with <#{channel_id}>."),
        )

    app.action(tip_blocks.ANOTHER)(another_tip)
    app.action(tip_blocks.HELPFUL)(record_verdict)
    app.action(tip_blocks.NOT_FOR_ME)(record_verdict)
    app.action(tip_blocks.SHARE)(share_tip)
