"""The growth plan's buttons and forms once steps are accepted: a step's check-in answers
and reflection, remove a step, stop the plan, share it. Each parses, calls a use case
(bot/assess/plan_steps.py, sharing.py), acks, then makes its Slack calls.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.assess import plan_blocks, plan_steps, sharing
from bot.assess import service as assessments
from bot.assess.blocks import result_message
from bot.assess.listeners import refresh_home
from bot.platform import notices
from bot.platform.checkin_form import REFLECTION_INPUT
from bot.platform.column_types import row_id
from bot.platform.failures import form_not_opened, form_problem, message_for
from bot.platform.messages import Message
from bot.platform.origin import workspace_of
from bot.platform.refusals import PulseRefusal
from bot.platform.services import Services
from bot.pulse.setup_form import field_value

logger = logging.getLogger(__name__)

BROKEN = "That button is broken, so nothing changed. Your App Home shows your plan as it is."


def _refusal(error: Exception, doing: str) -> Message:
    if isinstance(error, PulseRefusal):
        return notices.notice(str(error))
    if isinstance(error, ValueError):
        return notices.notice(BROKEN)
    return message_for(error, doing)


def _teller(body: dict[str, Any], client: WebClient, respond: Respond) -> Callable[..., None]:
    """Say something to the person: beside the message clicked, or by DM from App Home."""

    def tell(**message: Any) -> None:
        if body.get("response_url"):
            respond(replace_original=False, **message)
        else:
            client.chat_postMessage(channel=body["user"]["id"], **message)

    return tell


def register(app: App, services: Services) -> None:
    def answer_checkin(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        reply: Message
        try:
            step_id, answer = plan_blocks.parse_answer_value(
                body["actions"][0].get("value", ""), with_answer=True
            )
            assert answer is not None
            view = plan_steps.record_answer(
                services,
                team_id=workspace_of(body),
                user_id=body["user"]["id"],
                step_id=step_id,
                answer=answer,
            )
            reply = {"replace_original": True, **plan_blocks.checkin(view)}
        except Exception as error:
            reply = {"replace_original": False, **_refusal(error, "recording your check-in")}
        ack()
        respond(**reply)

    def open_reflection(
        ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        try:
            step_id, _ = plan_blocks.parse_answer_value(
                body["actions"][0].get("value", ""), with_answer=False
            )
            current = plan_steps.reflection_to_edit(
                services, team_id=workspace_of(body), user_id=body["user"]["id"], step_id=step_id
            )
        except Exception as error:
            respond(replace_original=False, **_refusal(error, "opening your reflection"))
            return
        container = body.get("container") or {}
        target = plan_blocks.ReflectionTarget(
            step_id, container.get("channel_id"), container.get("message_ts")
        )
        try:
            client.views_open(
                trigger_id=body["trigger_id"], view=plan_blocks.reflection_modal(target, current)
            )
        except SlackApiError as error:
            respond(
                replace_original=False,
                **form_not_opened(error),
            )

    def save_reflection(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        text = field_value(view["state"]["values"], REFLECTION_INPUT).get("value") or ""
        try:
            target = plan_blocks.ReflectionTarget.from_metadata(view.get("private_metadata") or "")
            step = plan_steps.record_reflection(
                services,
                team_id=workspace_of(body),
                user_id=body["user"]["id"],
                step_id=target.step_id,
                text=text,
            )
        except Exception as error:
            problem = form_problem(error, "saving your reflection", broken=(ValueError, KeyError))
            ack(response_action="errors", errors={REFLECTION_INPUT: problem})
            return
        ack()
        if target.channel_id and target.message_ts:
            client.chat_update(
                channel=target.channel_id, ts=target.message_ts, **plan_blocks.checkin(step)
            )
        refresh_home(services, client, workspace_of(body), body["user"]["id"])

    def change_plan(
        doing: str, change: Callable[[str, str, int], Any]
    ) -> Callable[[Ack, dict[str, Any], WebClient, Respond], None]:
        """Remove a step or stop the plan; then the result is shown as it stands now."""

        def handle(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
            team_id, user_id = workspace_of(body), body["user"]["id"]
            reply: Message | None = None
            try:
                change(team_id, user_id, row_id(body["actions"][0].get("value", "")))
                result = assessments.latest_result(services, team_id, user_id)
            except Exception as error:
                result, reply = None, _refusal(error, doing)
            ack()
            if reply is not None:
                _teller(body, client, respond)(**reply)
            elif result is not None and body.get("response_url"):
                content = assessments.content_of(services)
                respond(replace_original=True, **result_message(result, services.bank, content))
            refresh_home(services, client, team_id, user_id)

        return handle

    def remove(team_id: str, user_id: str, step_id: int) -> None:
        plan_steps.remove_step(services, team_id=team_id, user_id=user_id, step_id=step_id)

    def stop(team_id: str, user_id: str, assessment_id: int) -> None:
        plan_steps.stop_plan(
            services, team_id=team_id, user_id=user_id, assessment_id=assessment_id
        )

    def open_share(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        tell = _teller(body, client, respond)
        try:
            assessment_id = row_id(body["actions"][0].get("value", ""))
            client.views_open(
                trigger_id=body["trigger_id"], view=plan_blocks.share_modal(assessment_id)
            )
        except ValueError:
            tell(**notices.notice(BROKEN))
        except SlackApiError as error:
            tell(**form_not_opened(error))

    def save_share(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        team_id, user_id = workspace_of(body), body["user"]["id"]
        values = view["state"]["values"]
        chosen = field_value(values, plan_blocks.SHARE_WITH).get("selected_user") or ""
        note = field_value(values, plan_blocks.SHARE_NOTE).get("value")
        ticked = field_value(values, plan_blocks.SHARE_BALANCE).get("selected_options") or []
        try:
            if not chosen:
                raise sharing.CannotShareWith("Pick the person to share your plan with.")
            kind = services.directory_for(team_id).kind_of(chosen)
            sharing.check_recipient(user_id, chosen, kind)
            shared = sharing.share_plan(
                services,
                team_id=team_id,
                user_id=user_id,
                view_id=str(view["id"]),
                assessment_id=row_id(view.get("private_metadata") or ""),
                shared_with=chosen,
                with_balance=any(o.get("value") == "include" for o in ticked),
                note=note,
            )
        except Exception as error:
            problem = form_problem(error, "sharing your plan", broken=(ValueError, KeyError))
            ack(response_action="errors", errors={plan_blocks.SHARE_WITH: problem})
            return
        ack()
        if not shared.created:  # Slack repeated a submission the first one answered
            return
        try:
            client.chat_postMessage(channel=chosen, **plan_blocks.shared_message(shared.message))
            told = f":white_check_mark: I sent your growth plan to <@{chosen}>."
        except SlackApiError as error:
            code = error.response.get("error", "")
            logger.warning("a shared growth plan could not be sent: %s", code)
            told = (
                f":warning: Slack would not let me DM <@{chosen}> (`{code}`), so they have not "
                "seen your plan. Try again later with *Share my plan*."
            )
        client.chat_postMessage(channel=user_id, **notices.notice(told))

    app.action(re.compile(f"^{re.escape(plan_blocks.CHECKIN_PREFIX)}"))(answer_checkin)
    app.action(plan_blocks.REFLECT)(open_reflection)
    app.view(plan_blocks.REFLECTION_VIEW)(save_reflection)
    app.action(plan_blocks.REMOVE)(change_plan("removing a step from your plan", remove))
    app.action(plan_blocks.STOP)(change_plan("stopping your plan", stop))
    app.action(plan_blocks.SHARE)(open_share)
    app.view(plan_blocks.SHARE_VIEW)(save_share)
