"""Data rights as Slack reaches them: `/lvm privacy`, `/lvm forget me` and its buttons, and a
workspace removing lvm (or coming back)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltResponse, Respond
from slack_sdk import WebClient

from bot.platform import notices
from bot.platform.failures import message_for
from bot.platform.messages import Message
from bot.platform.origin import workspace_named, workspace_of
from bot.platform.refusals import PulseRefusal
from bot.platform.services import Services
from bot.rights import forget
from bot.rights.blocks import (
    FORGET_CANCEL,
    FORGET_CONFIRM,
    forget_canceled_message,
    forget_confirmation,
    forget_usage_message,
    forgotten_message,
    privacy_message,
)
from bot.rights.uninstall import (
    REMOVAL_EVENTS,
    TEAM_ACCESS_GRANTED,
    TEAM_ACCESS_REVOKED,
    TOKENS_REVOKED,
    access_granted,
    record_access_revoked,
    record_org_removal,
    record_removal,
    welcome_back,
)

logger = logging.getLogger(__name__)


def answer_privacy(services: Services) -> Message:
    settings = services.settings
    return privacy_message(
        forget.what_is_forgotten(services),
        retain_weeks=settings.LVM_RETAIN_ANSWERS_WEEKS,
        delete_after_days=settings.LVM_DELETE_UNINSTALLED_AFTER_DAYS,
    )


def answer_forget(services: Services, team_id: str, user_id: str, args: str) -> Message:
    """`/lvm forget me`: the confirmation (nothing is deleted yet), or why not."""
    if args.strip().lower() != "me":
        return forget_usage_message(args.strip())
    try:
        preview = forget.preview(services, team_id, user_id)
    except PulseRefusal as refusal:
        return notices.notice(str(refusal))
    return forget_confirmation(forget.what_is_forgotten(services), preview)


# Events a person's action sends: with commands and clicks, they show lvm is installed again.
# Others (a channel left as lvm is removed, say) may still arrive around the removal itself.
COMEBACK_EVENTS = ("app_home_opened", "message")


def _is_comeback(body: dict[str, Any]) -> bool:
    if body.get("type") != "event_callback":
        return True  # a slash command, a click, a form: a person using lvm
    return (body.get("event") or {}).get("type") in COMEBACK_EVENTS


def register(app: App, services: Services) -> None:
    def confirm_forget(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        team_id, user_id = workspace_of(body), body["user"]["id"]
        forgotten = False
        try:
            reply = forgotten_message(forget.forget_person(services, team_id, user_id))
            forgotten = True
        except PulseRefusal as refusal:
            reply = notices.notice(str(refusal))
        except Exception as error:
            reply = message_for(error, "forgetting a person")
        ack()
        respond(replace_original=True, **reply)
        if forgotten and services.home_publisher is not None:
            # Their Home tab still shows what was deleted until it is drawn again.
            try:
                services.home_publisher(services, client, team_id, user_id)
            except Exception:
                logger.exception("the Home tab could not be drawn again after forget me")

    def cancel_forget(ack: Ack, respond: Respond) -> None:
        ack()
        respond(replace_original=True, **forget_canceled_message())

    def workspace_removed(
        event: dict[str, Any], body: dict[str, Any], context: BoltContext
    ) -> None:
        if event.get("type") == TOKENS_REVOKED and not (event.get("tokens") or {}).get("bot"):
            # Only people's own tokens were revoked: lvm keeps none and goes on.
            return
        # An org-wide install's removal names one of its workspaces at most (the envelope's
        # team_id): it is the whole organization's.
        team_id = None if context.is_enterprise_install else workspace_named(body)
        if team_id is not None:
            record_removal(services, team_id, event["type"])
        elif context.enterprise_id:
            record_org_removal(services, context.enterprise_id, event["type"])
        else:
            logger.warning("%s named no workspace and no organization: ignored", event["type"])

    def access_revoked(event: dict[str, Any], context: BoltContext) -> None:
        if context.enterprise_id:
            teams = [str(team) for team in event.get("team_ids") or []]
            record_access_revoked(services, context.enterprise_id, teams)

    def access_given(event: dict[str, Any], context: BoltContext) -> None:
        if context.enterprise_id:
            teams = [str(team) for team in event.get("team_ids") or []]
            access_granted(services, context.enterprise_id, teams)

    def note_comeback(body: dict[str, Any], next: Callable[[], BoltResponse]) -> BoltResponse:
        """A person's request from a workspace that had removed lvm: it is back, its data kept."""
        team_id = workspace_named(body)
        if team_id and _is_comeback(body):
            try:
                welcome_back(services, team_id)
            except Exception:
                # The request goes on: its own answer says if the database is down.
                logger.exception("checking whether workspace %s had removed lvm failed", team_id)
        return next()

    app.use(note_comeback)
    app.action(FORGET_CONFIRM)(confirm_forget)
    app.action(FORGET_CANCEL)(cancel_forget)
    for removal in REMOVAL_EVENTS:
        app.event(removal)(workspace_removed)
    app.event(TEAM_ACCESS_REVOKED)(access_revoked)
    app.event(TEAM_ACCESS_GRANTED)(access_given)
