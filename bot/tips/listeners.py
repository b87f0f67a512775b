"""Tip buttons and `/lvm tip`. Each button's ack function decides (and stores) at once; a lazy function delivers.

The ack function leaves its reply in the context under REPLY, because lazy functions get a
copy of the context made after the ack function returned.
"""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.bank import Practice
from bot.platform import notices
from bot.platform.failures import message_for
from bot.platform.services import Services
from bot.tips import blocks as tip_blocks
from bot.tips import service as tips
from bot.tips import store as tip_store
from bot.tips.blocks import search_note, tip_message
from bot.tips.topics import no_match_message

Answer = dict[str, Any]
REPLY = "lvm_reply"
SHARE_TO = "lvm_share_to"

VERDICT_FOR_ACTION = {
    tip_blocks.HELPFUL: tip_store.HELPFUL,
    tip_blocks.NOT_FOR_ME: tip_store.NOT_FOR_ME,
}


def answer_tip(services: Services, team_id: str, user_id: str, text: str) -> Answer:
    query = tips.read_query(services.bank, text)
    if isinstance(query, tips.NoMatch):
        return no_match_message(query.text, query.suggestions, services.bank)
    with services.database.connection() as connection:
        practice = tips.choose_tip(
            connection,
            services.bank,
            team_id=team_id,
            user_id=user_id,
            query=query,
            now=services.now(),
            rng=services.rng,
        )
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

    app.action(tip_blocks.ANOTHER)(ack=another_tip, lazy=[deliver_reply])
    app.action(tip_blocks.HELPFUL)(ack=record_verdict, lazy=[deliver_reply])
    app.action(tip_blocks.NOT_FOR_ME)(ack=record_verdict, lazy=[deliver_reply])
    app.action(tip_blocks.SHARE)(ack=accept_share, lazy=[share_to_channel])
