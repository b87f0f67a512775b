"""`/lvm assess` and its form and buttons: open the form, store a submission, add a week of
the growth plan. Each stores (bot/assess/service.py), acks, then makes its Slack calls: the
result to the person alone (an ephemeral reply, else their DM), the chart to their DM, and
their App Home published again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.assess import blocks as assess_blocks
from bot.assess import service
from bot.assess.chart import chart_upload
from bot.assess.form import FormReply, read_answers
from bot.assess.service import AssessmentResult, NotAvailable
from bot.platform import notices
from bot.platform.delivery import upload_file
from bot.platform.failures import form_problem, message_for
from bot.platform.messages import Message
from bot.platform.origin import workspace_of
from bot.platform.refusals import PulseRefusal
from bot.platform.services import Services

logger = logging.getLogger(__name__)

Tell = Callable[..., Any]


def answer_assess_command(
    services: Services,
    command: dict[str, Any],
    args: str,
    ack: Ack,
    client: WebClient,
    respond: Respond,
) -> None:
    """Open the form; the result comes back through this command's response_url."""
    try:
        service.content_of(services)
    except PulseRefusal as refusal:
        ack(**notices.notice(str(refusal)))
        return
    ack()
    reply = FormReply(command.get("response_url"))
    open_form(services, client, command["trigger_id"], reply, respond)


def open_form(
    services: Services, client: WebClient, trigger_id: str, reply: FormReply, tell: Tell
) -> None:
    view = assess_blocks.assessment_modal(service.content_of(services), reply)
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as error:
        code = error.response.get("error", "")
        reason = (
            "Slack took too long to let me open the form"
            if code in ("expired_trigger_id", "invalid_trigger_id")
            else f"Slack refused to open the form (`{code}`)"
        )
        tell(**notices.notice(f":warning: {reason}. Please type `/lvm assess` again."))


def reply_privately(client: WebClient, user_id: str, reply: FormReply, message: Message) -> None:
    """Say `message` to the person alone: ephemeral where the form was opened from, else (no
    response_url, or it expired) in their DM with the bot."""
    if reply.response_url:
        try:
            sent = WebhookClient(reply.response_url, timeout=10).send_dict(
                {**message, "response_type": "ephemeral", "replace_original": False}
            )
            if sent.status_code == 200:
                return
        except OSError as error:
            logger.warning("a response_url could not be reached: %s", error)
    client.chat_postMessage(channel=user_id, **message)


def zone_of(services: Services, team_id: str, user_id: str) -> str | None:
    """The person's Slack time zone, for their plan's mornings; None (UTC) if Slack can't say."""
    try:
        return services.directory_for(team_id).timezone_of(user_id)
    except Exception as error:
        logger.info("no time zone for a growth plan's weeks, using UTC: %s", error)
        return None


def stopped_notice(stopped: int) -> Message:
    steps = "step" if stopped == 1 else "steps"
    return notices.notice(
        f":black_square_for_stop: Your earlier growth plan had {stopped} {steps} still to "
        "come: I stopped them, so they send nothing more. Add steps from this new plan."
    )


def refresh_home(services: Services, client: WebClient, team_id: str, user_id: str) -> None:
    if services.home_publisher is not None:
        services.home_publisher(services, client, team_id, user_id)


def register(app: App, services: Services) -> None:
    def save_assessment(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        team_id, user_id = workspace_of(body), body["user"]["id"]
        assessment = services.bank.assessment
        if assessment is None:
            ack()
            client.chat_postMessage(channel=user_id, **notices.notice(str(NotAvailable())))
            return
        answers, errors = read_answers(view, assessment)
        if answers is None:
            ack(response_action="errors", errors=errors)
            return
        first = assessment.statements[0].id  # every statement's field is on this form
        try:
            if not view.get("id"):
                raise KeyError("the submission names no view")
            recorded = service.record_assessment(
                services,
                team_id=team_id,
                user_id=user_id,
                view_id=str(view["id"]),
                answers=answers,
            )
        except Exception as error:
            problem = form_problem(error, "saving a self-assessment", broken=(KeyError,))
            ack(response_action="errors", errors={first: problem})
            return
        ack()
        steps: list[tuple[str, Callable[[], Any]]] = []
        if recorded.created:  # else a repeated submission, which the first one answered
            reply = FormReply.from_metadata(view.get("private_metadata"))
            result = recorded.result
            steps += [
                ("the result", lambda: reply_privately(client, user_id, reply, message(result))),
                ("the chart", lambda: upload_file(client, chart(result, user_id))),
            ]
            if recorded.stopped:
                notice = stopped_notice(recorded.stopped)
                steps.append(
                    ("the stopped plan", lambda: reply_privately(client, user_id, reply, notice))
                )
        steps.append(("the Home tab", lambda: refresh_home(services, client, team_id, user_id)))
        # Stored already: a step Slack refuses is logged, and the others still happen.
        for what, step in steps:
            try:
                step()
            except Exception:
                logger.exception("sending %s of a self-assessment failed", what)

    def message(result: AssessmentResult) -> Message:
        return assess_blocks.result_message(result, services.bank, service.content_of(services))

    def chart(result: AssessmentResult, user_id: str) -> dict[str, Any]:
        return chart_upload(result, services.bank, service.content_of(services), user_id)

    def take_from_button(
        ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        user_id = body["user"]["id"]
        response_url = body.get("response_url")

        def tell(**message: Any) -> None:
            if response_url:
                respond(replace_original=False, **message)
            else:  # a Home button has no response_url: say it by DM
                client.chat_postMessage(channel=user_id, **message)

        try:
            open_form(services, client, body["trigger_id"], FormReply(response_url), tell)
        except PulseRefusal as refusal:
            tell(**notices.notice(str(refusal)))

    def add_step(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        # The answer goes out after the ack (respond, Home), and reading the person's time
        # zone is a Slack call: ack first, so a slow users.info never holds Slack's 3 seconds.
        ack()
        team_id, user_id = workspace_of(body), body["user"]["id"]
        in_message = bool(body.get("response_url"))
        reply: Message | None = None
        try:
            assessment_id, week = assess_blocks.parse_step_value(
                body["actions"][0].get("value", "")
            )
            result = service.accept_step(
                services,
                team_id=team_id,
                user_id=user_id,
                assessment_id=assessment_id,
                week=week,
                zone=zone_of(services, team_id, user_id),
            )
        except ValueError:
            result, reply = (
                None,
                notices.notice(
                    "That button is broken. Your App Home shows your latest result and its plan."
                ),
            )
        except PulseRefusal as refusal:
            result, reply = None, notices.notice(str(refusal))
        except Exception as error:
            result, reply = None, message_for(error, "adding a step to a growth plan")
        if result is not None and in_message:
            respond(
                replace_original=True,
                **assess_blocks.result_message(result, services.bank, service.content_of(services)),
            )
        elif reply is not None:
            if in_message:
                respond(replace_original=False, **reply)
            else:
                client.chat_postMessage(channel=user_id, **reply)
        refresh_home(services, client, team_id, user_id)

    app.view(assess_blocks.FORM_VIEW)(save_assessment)
    app.action(assess_blocks.TAKE)(take_from_button)
    app.action(assess_blocks.ADD_STEP)(add_step)
