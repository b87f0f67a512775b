"""Pulse buttons and modals: answering, commenting, and saving the setup form.

Each listener calls the use case (bot/pulse/answering.py, bot/pulse/setup.py), which stores, acks (with a form's errors, if any), then makes its Slack
calls: the DM updated, the comment form opened, the team told of its new setup.
"""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.platform import notices
from bot.platform.column_types import row_id
from bot.platform.failures import form_not_opened, form_problem, message_for
from bot.platform.messages import Message
from bot.platform.origin import workspace_of
from bot.platform.refusals import (
    PulseRefusal,
)
from bot.platform.services import Services
from bot.pulse import answering
from bot.pulse import blocks as pulse_blocks
from bot.pulse import setup as pulse_setup
from bot.pulse.setup import SavedSetup, admins_may_view_now
from bot.pulse.setup_form import field_value, read_setup, setup_channel


def register(app: App, services: Services) -> None:
    def record_answer(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        # Stored before the ack, so a person's clicks are stored in the order Slack sent them.
        reply = answer(body)
        ack()
        respond(**reply)

    def answer(body: dict[str, Any]) -> Message:
        """Store one answer; returns the reply for the response_url."""
        user_id = body["user"]["id"]
        try:
            round_id, question_id, score = pulse_blocks.parse_answer_value(
                body["actions"][0].get("value", "")
            )
        except ValueError:
            return {
                "replace_original": False,
                **notices.notice(
                    "That button didn't carry a valid answer, so nothing was recorded. "
                    "Please answer from the latest pulse DM."
                ),
            }
        try:
            dm = answering.record_answer(
                services,
                team_id=workspace_of(body),
                round_id=round_id,
                user_id=user_id,
                question_id=question_id,
                score=score,
            )
            # Rendered after the commit: on SQLite the transaction holds the one write lock.
            return {"replace_original": True, **pulse_blocks.pulse_dm(dm)}
        except PulseRefusal as refusal:
            return {"replace_original": False, **notices.notice(str(refusal))}
        except Exception as error:
            return {"replace_original": False, **message_for(error, "recording a pulse answer")}

    def open_comment(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        user_id = body["user"]["id"]
        try:
            round_id = row_id(body["actions"][0].get("value", ""))
            current = answering.comment_to_edit(
                services, team_id=workspace_of(body), round_id=round_id, user_id=user_id
            )
        except (ValueError, PulseRefusal) as refusal:
            text = str(refusal) if isinstance(refusal, PulseRefusal) else "That button is broken."
            respond(replace_original=False, **notices.notice(text))
            return
        except Exception as error:
            respond(replace_original=False, **message_for(error, "opening a comment"))
            return
        container = body.get("container") or {}
        target = pulse_blocks.CommentTarget(
            round_id, container.get("channel_id"), container.get("message_ts")
        )
        try:
            client.views_open(
                trigger_id=body["trigger_id"], view=pulse_blocks.comment_modal(target, current)
            )
        except SlackApiError as error:
            respond(
                replace_original=False,
                **form_not_opened(error, "the comment form"),
            )

    def save_comment(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        text = field_value(view["state"]["values"], pulse_blocks.COMMENT_INPUT).get("value") or ""
        user_id = body["user"]["id"]
        try:
            target = pulse_blocks.CommentTarget.from_metadata(view.get("private_metadata") or "0")
            dm = answering.record_comment(
                services,
                team_id=workspace_of(body),
                round_id=target.round_id,
                user_id=user_id,
                text=text,
            )
        except Exception as error:
            problem = form_problem(error, "saving a pulse comment", broken=(ValueError, KeyError))
            ack(response_action="errors", errors={pulse_blocks.COMMENT_INPUT: problem})
            return
        ack()
        if target.channel_id and target.message_ts:
            # A view submission has no response_url: the DM's button ("Add a comment" or
            # "Edit your comment") is relabeled by editing the message itself.
            client.chat_update(
                channel=target.channel_id, ts=target.message_ts, **pulse_blocks.pulse_dm(dm)
            )

    def save_setup(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        settings, errors = read_setup(view["state"]["values"], services.bank)
        if settings is None:
            # Slack shows a field's error only up to its length limit.
            ack(response_action="errors", errors={k: v[:150] for k, v in errors.items()})
            return
        channel_id = setup_channel(view.get("private_metadata"))
        if not channel_id:
            ack(
                response_action="errors",
                errors={
                    pulse_blocks.NAME: "This form lost track of its channel. Close it and type "
                    "`/lvm pulse setup` in the team's channel again."
                },
            )
            return
        metadata = json.loads(view.get("private_metadata") or "{}")  # an object: read above
        user_id = body["user"]["id"]
        try:
            saved = pulse_setup.save_setup(
                services,
                team_id=workspace_of(body),
                channel_id=channel_id,
                user_id=user_id,
                settings=settings,
                asked=metadata.get("asked"),
            )
        except Exception as error:
            problem = form_problem(error, "saving a pulse setup")
            ack(response_action="errors", errors={pulse_blocks.NAME: problem})
            return
        ack()
        confirm_setup(saved, client)

    def confirm_setup(saved: SavedSetup, client: WebClient) -> None:
        client.chat_postEphemeral(
            channel=saved.channel_id,
            user=saved.user_id,
            **pulse_blocks.team_saved_message(
                saved.name,
                saved.schedule,
                saved.next_opening,
                saved.created,
                asked=saved.asked,
                threshold=saved.threshold,
            ),
        )
        if saved.created:
            client.chat_postMessage(
                channel=saved.channel_id,
                **pulse_blocks.team_announcement(
                    saved.name,
                    saved.schedule,
                    saved.user_id,
                    saved.threshold,
                    saved.admins_may_view,
                    saved.managers_answer,
                ),
            )
        elif saved.admins_changed:
            announce_admins_change(saved, client)

    def announce_admins_change(saved: SavedSetup, client: WebClient) -> None:
        """The team answered under "only managers see this": it hears of any change.

        Two managers may change it at once, and their posts can land in either order. So a
        change a later save has already undone is not announced (that save announces what
        stands), and after posting, the setting is read again: if it changed meanwhile, the
        channel is told what stands now. The channel's last word is the setting in force.
        """

        def standing() -> bool | None:
            return admins_may_view_now(services, saved.team_id, saved.channel_id)

        if standing() != saved.admins_may_view:
            return
        client.chat_postMessage(
            channel=saved.channel_id,
            **pulse_blocks.admins_announcement(saved.name, saved.user_id, saved.admins_may_view),
        )
        now_standing = standing()
        if now_standing is not None and now_standing != saved.admins_may_view:
            client.chat_postMessage(
                channel=saved.channel_id,
                **pulse_blocks.admins_setting_now(saved.name, now_standing),
            )

    app.action(re.compile("^" + re.escape(pulse_blocks.ANSWER_PREFIX)))(record_answer)
    app.action(pulse_blocks.COMMENT)(open_comment)
    app.view(pulse_blocks.COMMENT_VIEW)(save_comment)
    app.view(pulse_blocks.SETUP_VIEW)(save_setup)
