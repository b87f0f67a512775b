"""The buttons and forms of anonymous conversations, for both sides.

Managers act from a comment's menu in a summary or digest (`comment.menu.<reference>`, built
by bot/summary/blocks.py) and from the conversation's DMs and App Home; the author from the
DMs lvm sends them. Each listener reads the payload, calls bot/threads/service.py, acks,
then makes its Slack calls: a form opened, the messages a manager's action planned sent at
once (an author's words wait for the clock), a short confirmation. A click on App Home has
no response_url, so its answer comes by DM. Nothing here logs who anyone is.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.platform import notices
from bot.platform.delivery import build_sender, drain_outbox
from bot.platform.failures import form_not_opened, form_problem, message_for
from bot.platform.messages import Message
from bot.platform.origin import workspace_of
from bot.platform.refusals import PulseRefusal
from bot.platform.services import Services
from bot.pulse.setup_form import field_value
from bot.summary.blocks import ACKNOWLEDGMENTS, COMMENT_MENU, REPLY, parse_comment_response
from bot.threads import blocks, service

BROKEN = "That button is broken, so nothing was sent. Please use the latest message."


def _refusal(error: Exception, doing: str) -> Message:
    if isinstance(error, PulseRefusal):
        return notices.notice(str(error))
    if isinstance(error, ValueError | KeyError):
        return notices.notice(BROKEN)
    return message_for(error, doing)


def _say(body: dict[str, Any], respond: Respond, client: WebClient, message: Message) -> None:
    """To the person who clicked: under the message, or by DM from a Home tab or a form."""
    if body.get("response_url"):
        respond(replace_original=False, response_type="ephemeral", **message)
    else:
        client.chat_postMessage(channel=body["user"]["id"], **message)


def _request(body: dict[str, Any]) -> str:
    """The request's key: Slack sends the same trigger id when it sends a request again."""
    return service.request_key(body.get("trigger_id") or (body.get("view") or {}).get("id"))


def register(app: App, services: Services) -> None:
    def deliver(planned: Collection[str]) -> None:
        """Send what a manager's action planned now, rather than with the next tick."""
        if planned:
            drain_outbox(build_sender(services, {}), planned)

    def refresh_home(body: dict[str, Any], client: WebClient) -> None:
        """A click on App Home changed what it shows: publish it again."""
        if (body.get("view") or {}).get("type") == "home" and services.home_publisher:
            services.home_publisher(services, client, workspace_of(body), body["user"]["id"])

    # --- the managers' side ----------------------------------------------------------------

    def open_reply(
        body: dict[str, Any], respond: Respond, client: WebClient, reference: str
    ) -> None:
        user_id = body["user"]["id"]
        try:
            conversation = service.conversation_for_manager(
                services, team_id=workspace_of(body), manager_id=user_id, reference=reference
            )
        except Exception as error:
            _say(body, respond, client, _refusal(error, "opening a reply to a comment"))
            return
        try:
            client.views_open(
                trigger_id=body["trigger_id"], view=blocks.reply_modal(conversation, user_id)
            )
        except SlackApiError as error:
            _say(
                body,
                respond,
                client,
                form_not_opened(error, "the reply form"),
            )

    def acknowledge(
        ack: Ack,
        body: dict[str, Any],
        respond: Respond,
        client: WebClient,
        kind: str,
        reference: str,
    ) -> None:
        try:
            sent = service.send_from_manager(
                services,
                team_id=workspace_of(body),
                manager_id=body["user"]["id"],
                reference=reference,
                kind=kind,
                text=None,
                request=_request(body),
            )
        except Exception as error:
            ack()
            _say(body, respond, client, _refusal(error, "acknowledging a comment"))
            return
        ack()
        deliver(sent.planned)
        if not sent.repeated:
            _say(body, respond, client, blocks.sent_to_author(ACKNOWLEDGMENTS[kind]))
        refresh_home(body, client)

    def comment_menu(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        try:
            option = body["actions"][0]["selected_option"]["value"]
            response, reference = parse_comment_response(option)
        except (KeyError, TypeError, ValueError):
            ack()
            _say(body, respond, client, notices.notice(BROKEN))
            return
        if response == REPLY:
            ack()
            open_reply(body, respond, client, reference)
        else:
            acknowledge(ack, body, respond, client, response, reference)

    def reply_button(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        open_reply(body, respond, client, body["actions"][0].get("value", ""))

    def ack_button(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        action = body["actions"][0]
        kind = action["action_id"].removeprefix(blocks.THREAD_ACK + ".")
        acknowledge(ack, body, respond, client, kind, action.get("value", ""))

    def close_button(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        try:
            sent = service.close_by_manager(
                services,
                team_id=workspace_of(body),
                manager_id=body["user"]["id"],
                reference=body["actions"][0].get("value", ""),
                request=_request(body),
            )
        except Exception as error:
            ack()
            _say(body, respond, client, _refusal(error, "closing a conversation"))
            return
        ack()
        deliver(sent.planned)
        if not sent.repeated:
            _say(body, respond, client, blocks.closed_notice(by_author=False))
        refresh_home(body, client)

    def save_reply(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        text = field_value(view["state"]["values"], blocks.TEXT_INPUT).get("value") or ""
        try:
            sent = service.send_from_manager(
                services,
                team_id=workspace_of(body),
                manager_id=body["user"]["id"],
                reference=view.get("private_metadata") or "",
                kind=REPLY,
                text=text,
                request=_request(body),
            )
        except Exception as error:
            problem = form_problem(error, "sending a reply to a comment", broken=(KeyError,))
            ack(response_action="errors", errors={blocks.TEXT_INPUT: problem})
            return
        ack()  # the reply lands in every manager's DM with lvm, the sender's too
        deliver(sent.planned)

    # --- the author's side -----------------------------------------------------------------

    def open_answer(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        try:
            conversation = service.conversation_for_author(
                services,
                team_id=workspace_of(body),
                user_id=body["user"]["id"],
                reference=body["actions"][0].get("value", ""),
            )
        except Exception as error:
            _say(body, respond, client, _refusal(error, "opening an answer"))
            return
        try:
            client.views_open(trigger_id=body["trigger_id"], view=blocks.answer_modal(conversation))
        except SlackApiError as error:
            _say(
                body,
                respond,
                client,
                form_not_opened(error, "the answer form"),
            )

    def save_answer(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        text = field_value(view["state"]["values"], blocks.TEXT_INPUT).get("value") or ""
        try:
            fresh = service.send_from_author(
                services,
                team_id=workspace_of(body),
                user_id=body["user"]["id"],
                reference=view.get("private_metadata") or "",
                text=text,
                request=_request(body),
            )
        except Exception as error:
            problem = form_problem(error, "sending an answer", broken=(KeyError,))
            ack(response_action="errors", errors={blocks.TEXT_INPUT: problem})
            return
        ack()
        if fresh:
            per_day = services.settings.LVM_THREAD_REPLIES_PER_DAY
            client.chat_postMessage(channel=body["user"]["id"], **blocks.answer_sent(per_day))

    def mute(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        action = body["actions"][0]
        muted = action["action_id"] == blocks.AUTHOR_MUTE
        reference = action.get("value", "")
        try:
            service.set_muted(
                services,
                team_id=workspace_of(body),
                user_id=body["user"]["id"],
                reference=reference,
                muted=muted,
            )
        except Exception as error:
            ack()
            _say(body, respond, client, _refusal(error, "muting a conversation"))
            return
        ack()
        _say(body, respond, client, blocks.muted_notice(reference, muted))

    def author_close(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        try:
            service.close_by_author(
                services,
                team_id=workspace_of(body),
                user_id=body["user"]["id"],
                reference=body["actions"][0].get("value", ""),
                request=_request(body),
            )
        except Exception as error:
            ack()
            _say(body, respond, client, _refusal(error, "closing a conversation"))
            return
        ack()
        _say(body, respond, client, blocks.closed_notice(by_author=True))

    app.action(re.compile("^" + re.escape(COMMENT_MENU + ".")))(comment_menu)
    app.action(blocks.THREAD_REPLY)(reply_button)
    app.action(re.compile("^" + re.escape(blocks.THREAD_ACK + ".")))(ack_button)
    app.action(blocks.THREAD_CLOSE)(close_button)
    app.view(blocks.REPLY_VIEW)(save_reply)
    app.action(blocks.AUTHOR_ANSWER)(open_answer)
    app.action(blocks.AUTHOR_MUTE)(mute)
    app.action(blocks.AUTHOR_UNMUTE)(mute)
    app.action(blocks.AUTHOR_CLOSE)(author_close)
    app.view(blocks.ANSWER_VIEW)(save_answer)
