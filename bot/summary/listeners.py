"""Manager summaries: `/lvm summary`, "I'll try this", and the Home tab's team buttons."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.platform import notices
from bot.platform.delivery import open_dm, upload_file
from bot.platform.failures import message_for
from bot.platform.messages import Message
from bot.platform.origin import workspace_of
from bot.platform.refusals import PulseRefusal
from bot.platform.services import Services
from bot.summary import blocks as summary_blocks
from bot.summary import commitment_blocks, commitment_listeners, uploads
from bot.summary import service as summaries
from bot.summary.access import check_viewer
from bot.summary.commitments import WEEKS_CHOICES, commit_from_summary
from bot.summary.focus_choice import choose_from_summary
from bot.summary.request import SummaryRequest, read_request


def answer_summary_command(
    services: Services,
    command: dict[str, Any],
    args: str,
    ack: Ack,
    client: WebClient,
    respond: Respond,
) -> None:
    """Check who is asking in the ack, as far as the team's settings tell; the summary is
    built after it. Whether someone is a workspace admin is Slack's to say, so that is asked
    after the ack too (by `summary_of`), never inside Slack's 3 seconds."""
    try:
        request = read_request(args, command["channel_id"])
        check_viewer(services, command["team_id"], request.channel_id, command["user_id"])
    except PulseRefusal as refusal:
        ack(**notices.notice(str(refusal)))
        return
    what = "export" if request.export else "summary"
    ack(
        **notices.notice(
            f":hourglass_flowing_sand: Working on the {what} for <#{request.channel_id}>..."
        )
    )
    build_and_send(services, command, request, client, respond)


def build_and_send(
    services: Services,
    command: dict[str, Any],
    request: SummaryRequest,
    client: WebClient,
    respond: Respond,
) -> None:
    user_id = command["user_id"]
    try:
        summary = summaries.summary_of(
            services,
            command["team_id"],
            request.channel_id,
            user_id,
            request.weeks,
            services.directory_for(command["team_id"]).is_workspace_admin,
            with_own=not request.export,  # a CSV travels: it carries no self-rating
        )
    except PulseRefusal as refusal:  # not an admin after all (Slack said so after the ack)
        respond(replace_original=True, **notices.notice(str(refusal)))
        return
    dm = open_dm(client, user_id)
    if request.export:
        upload_file(client, uploads.export_upload(summary, services.bank, dm))
        respond(
            replace_original=True,
            **notices.notice(":page_facing_up: The CSV is in your DM with me."),
        )
        return
    respond(
        replace_original=True,
        **summary_blocks.summary_message(summary, services.bank, summary.team_name),
    )
    if summary.dimensions:
        upload_file(client, uploads.chart_upload(summary, services.bank, dm))


def register(app: App, services: Services) -> None:
    def record_commitment(
        ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        action = body["actions"][0]
        user_id = body["user"]["id"]
        announcement: Message | None = None
        try:
            choice = summary_blocks.parse_commit_value(action.get("value", ""))
            practice = services.bank.practice_by_id.get(choice.practice_id)
            dimension = services.bank.dimension_by_id.get(choice.dimension_id)
            if practice is None or dimension is None:
                raise PulseRefusal(str(notices.practice_gone()["text"]))
            result, channel_id = commit_from_summary(
                services,
                team_id=workspace_of(body),
                pulse_team_id=choice.pulse_team_id,
                user_id=user_id,
                dimension_id=dimension.id,
                practice_id=practice.id,
                announce=action["action_id"] == summary_blocks.COMMIT_ANNOUNCE,
            )
            commitment = result.commitment
            assert commitment.due_at is not None and commitment.weeks is not None
            reply = commitment_blocks.commitment_confirmation(
                commitment_id=commitment.id,
                practice_title=practice.title,
                dimension_name=dimension.name,
                weeks=commitment.weeks,
                due_at=commitment.due_at,
                told=result.told,
                choices=WEEKS_CHOICES,
            )
            if result.announce:
                announcement = {
                    "channel": channel_id,
                    **summary_blocks.commitment_announcement(
                        practice, services.bank, manager_id=user_id, dimension_name=dimension.name
                    ),
                }
        except (ValueError, PulseRefusal) as refusal:
            text = str(refusal) if isinstance(refusal, PulseRefusal) else "That button is broken."
            reply = notices.notice(text)
        except Exception as error:
            reply = message_for(error, "recording a commitment")
        ack()
        if announcement:
            client.chat_postMessage(**announcement)
        if body.get("response_url"):
            respond(replace_original=False, **reply)
        else:  # a view (not a message) has no response_url: reply by DM
            client.chat_postMessage(channel=user_id, **reply)

    def record_focus_choice(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        try:
            pick = summary_blocks.parse_pick_value(body["actions"][0].get("value", ""))
            result = choose_from_summary(
                services,
                team_id=workspace_of(body),
                pulse_team_id=pick.pulse_team_id,
                user_id=body["user"]["id"],
                dimension_id=pick.dimension_id,
            )
            reply = summary_blocks.focus_confirmation(result.dimension_name, result.team_name)
        except ValueError:
            reply = notices.notice("That button is broken. Ask for a fresh `/lvm summary`.")
        except PulseRefusal as refusal:
            reply = notices.notice(str(refusal))
        except Exception as error:
            reply = message_for(error, "choosing the focus")
        respond(replace_original=False, **reply)

    app.action(summary_blocks.COMMIT)(record_commitment)
    app.action(summary_blocks.COMMIT_ANNOUNCE)(record_commitment)
    commitment_listeners.register(app, services)
    app.action(re.compile(re.escape(summary_blocks.CHOOSE_FOCUS) + r"\..+"))(record_focus_choice)
