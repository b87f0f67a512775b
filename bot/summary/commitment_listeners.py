"""A commitment's buttons and form: its length, the check-in answers and the reflection.

Each acts only for the manager who made the commitment (`commitments.own_commitment`), so
nobody else can read or change its answers.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.platform import notices
from bot.platform.failures import form_not_opened, form_problem, message_for
from bot.platform.messages import Message
from bot.platform.origin import workspace_of
from bot.platform.refusals import PulseRefusal
from bot.platform.services import Services
from bot.pulse.setup_form import field_value
from bot.summary import checkins
from bot.summary import commitment_blocks as blocks
from bot.summary.commitments import WEEKS_CHOICES, change_length

BROKEN = "That button is broken, so nothing was recorded. Please use the latest message."


def _refusal(error: Exception, doing: str) -> Message:
    if isinstance(error, PulseRefusal):
        return {"replace_original": False, **notices.notice(str(error))}
    if isinstance(error, ValueError):
        return {"replace_original": False, **notices.notice(BROKEN)}
    return {"replace_original": False, **message_for(error, doing)}


def register(app: App, services: Services) -> None:
    def pick_length(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        reply: Message
        try:
            commitment_id, weeks = blocks.parse_length_value(body["actions"][0].get("value", ""))
            commitment = change_length(
                services,
                team_id=workspace_of(body),
                user_id=body["user"]["id"],
                commitment_id=commitment_id,
                weeks=weeks,
            )
            assert commitment.due_at is not None
            reply = {
                "replace_original": True,
                **blocks.commitment_confirmation(
                    commitment_id=commitment.id,
                    practice_title=services.bank.practice_title(commitment.practice_id),
                    dimension_name=services.bank.dimension_name(commitment.dimension_id),
                    weeks=weeks,
                    due_at=commitment.due_at,
                    told=commitment.announced,
                    choices=WEEKS_CHOICES,
                ),
            }
        except Exception as error:
            reply = _refusal(error, "changing a commitment's length")
        ack()
        respond(**reply)

    def answer_checkin(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        reply: Message
        try:
            commitment_id, stage, answer = blocks.parse_checkin_value(
                body["actions"][0].get("value", ""), with_answer=True
            )
            assert answer is not None
            checkin = checkins.record_answer(
                services,
                team_id=workspace_of(body),
                user_id=body["user"]["id"],
                commitment_id=commitment_id,
                stage=stage,
                answer=answer,
            )
            reply = {"replace_original": True, **blocks.checkin_message(checkin)}
        except Exception as error:
            reply = _refusal(error, "recording your check-in")
        ack()
        respond(**reply)

    def open_reflection(
        ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        try:
            commitment_id, stage, _ = blocks.parse_checkin_value(
                body["actions"][0].get("value", ""), with_answer=False
            )
            current = checkins.reflection_to_edit(
                services,
                team_id=workspace_of(body),
                user_id=body["user"]["id"],
                commitment_id=commitment_id,
                stage=stage,
            )
        except Exception as error:
            respond(**_refusal(error, "opening your reflection"))
            return
        container = body.get("container") or {}
        target = blocks.ReflectionTarget(
            commitment_id, stage, container.get("channel_id"), container.get("message_ts")
        )
        try:
            client.views_open(
                trigger_id=body["trigger_id"], view=blocks.reflection_modal(target, current)
            )
        except SlackApiError as error:
            respond(
                replace_original=False,
                **form_not_opened(error),
            )

    def save_reflection(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        text = field_value(view["state"]["values"], blocks.REFLECTION_INPUT).get("value") or ""
        try:
            target = blocks.ReflectionTarget.from_metadata(view.get("private_metadata") or "")
            checkin = checkins.record_reflection(
                services,
                team_id=workspace_of(body),
                user_id=body["user"]["id"],
                commitment_id=target.commitment_id,
                stage=target.stage,
                text=text,
            )
        except Exception as error:
            problem = form_problem(error, "saving your reflection", broken=(ValueError, KeyError))
            ack(response_action="errors", errors={blocks.REFLECTION_INPUT: problem})
            return
        ack()
        if target.channel_id and target.message_ts:
            # A view submission has no response_url: the check-in DM is edited in place.
            client.chat_update(
                channel=target.channel_id,
                ts=target.message_ts,
                **blocks.checkin_message(checkin),
            )

    app.action(re.compile(f"^{re.escape(blocks.LENGTH_PREFIX)}"))(pick_length)
    app.action(re.compile(f"^{re.escape(blocks.CHECKIN_PREFIX)}"))(answer_checkin)
    app.action(blocks.REFLECT)(open_reflection)
    app.view(blocks.REFLECTION_VIEW)(save_reflection)
