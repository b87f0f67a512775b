"""`/lvm situation` (opens the form) and the form's submission (answers it).

The answer goes where the command was typed, as messages only the person sees; where lvm
cannot post there (a channel it is not in, a DM between two people), to the person's DM
with lvm instead.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.platform import notices
from bot.platform.failures import BROKEN_FORM, form_problem
from bot.platform.messages import Message
from bot.platform.origin import workspace_of
from bot.platform.services import Services
from bot.situation import blocks
from bot.situation.guide import NothingChosen, UnknownEvent, UnknownFactor, event_named
from bot.situation.service import SituationAnswer, answer_situation

logger = logging.getLogger(__name__)


def answer_situation_command(
    services: Services,
    command: dict[str, Any],
    args: str,
    ack: Ack,
    client: WebClient,
    respond: Respond,
) -> None:
    """Open the form, its moment filled in when the words after the command name one."""
    event = event_named(services.bank, args)
    form = blocks.situation_form(
        services.bank,
        blocks.FormTarget(command.get("channel_id")),
        event=event,
        unrecognized=args.strip() if args.strip() and event is None else None,
    )
    ack()
    try:
        client.views_open(trigger_id=command["trigger_id"], view=form)
    except SlackApiError as error:
        code = error.response.get("error", "")
        if code == "exchanged_trigger_id":
            # Slack delivered the command again: its first delivery opened the form.
            logger.info("situation form already opened for this command")
            return
        reason = (
            "Slack took too long to let me open the form"
            if code in ("expired_trigger_id", "invalid_trigger_id")
            else f"Slack refused to open the form (`{code}`)"
        )
        respond(**notices.notice(f":warning: {reason}. Please type `/lvm situation` again."))


def deliver(
    client: WebClient, target: blocks.FormTarget, user_id: str, messages: list[Message]
) -> None:
    """Post each message only for the person where they typed the command; from the first
    one Slack refuses there, to their DM with lvm."""
    remaining = list(messages)
    if target.channel_id:
        while remaining:
            try:
                client.chat_postEphemeral(channel=target.channel_id, user=user_id, **remaining[0])
            except SlackApiError as error:
                logger.info(
                    "situation answer goes by DM: %s", error.response.get("error", "refused")
                )
                break
            remaining.pop(0)
    for message in remaining:
        try:
            client.chat_postMessage(channel=user_id, **message)
        except SlackApiError as error:
            logger.warning(
                "situation answer not delivered: %s", error.response.get("error", "refused")
            )
            return


def answer_messages(answer: SituationAnswer, services: Services) -> list[Message]:
    return [
        blocks.advice_message(answer.advice),
        *(
            blocks.practice_message(chosen.practice, chosen.pool, answer.advice, services.bank)
            for chosen in answer.practices
        ),
    ]


def register(app: App, services: Services) -> None:
    def submit_form(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        user_id = body["user"]["id"]
        submitted = blocks.read_submission(view)
        if submitted is None:
            ack(response_action="errors", errors={blocks.FACTORS: BROKEN_FORM})
            return
        view_id, factor_ids, event = submitted
        try:
            answer = answer_situation(
                services,
                team_id=workspace_of(body),
                user_id=user_id,
                view_id=view_id,
                factor_ids=factor_ids,
                event_situation=event,
            )
        except NothingChosen:
            ack(response_action="errors", errors={blocks.FACTORS: blocks.NOTHING_CHOSEN})
            return
        except UnknownFactor as unknown:
            problem = blocks.UNKNOWN_FACTOR.format(ids=str(unknown)[:40])
            ack(response_action="errors", errors={blocks.FACTORS: problem[:150]})
            return
        except UnknownEvent:
            ack(response_action="errors", errors={blocks.EVENT_INPUT: blocks.UNKNOWN_EVENT})
            return
        except Exception as error:
            problem = form_problem(error, "answering a situation")
            ack(response_action="errors", errors={blocks.FACTORS: problem})
            return
        ack()
        if answer is None:
            return  # this form was answered already (submitted twice, or sent again)
        target = blocks.FormTarget.from_metadata(view.get("private_metadata") or "")
        deliver(client, target, user_id, answer_messages(answer, services))

    app.view(blocks.FORM_VIEW)(submit_form)
