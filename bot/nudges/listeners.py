"""`/lvm nudge ...`: subscribe a channel, or yourself in a DM with the bot, to scheduled tips."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.nudges import request as nudge_request
from bot.nudges import service as nudges
from bot.nudges import store as nudge_store
from bot.platform import notices
from bot.platform.refusals import PulseRefusal
from bot.platform.services import Services


def _target(command: dict[str, Any]) -> tuple[str, str]:
    """A DM with the bot nudges the person; anywhere else nudges the channel."""
    if command["channel_id"].startswith("D"):
        return nudge_store.PERSON, command["user_id"]
    return nudge_store.CHANNEL, command["channel_id"]


def _gets(kind: str, target_id: str, *, will: bool = False) -> str:
    """`you get a practice by DM` / `<#C123> gets a practice`, as the start of a sentence.

    The channel ID stays as typed: Slack links `<#C123>`, and a lower-cased ID links nowhere.
    """
    if kind == nudge_store.PERSON:
        return "You will get a practice by DM" if will else "You get a practice by DM"
    return f"<#{target_id}> will get a practice" if will else f"<#{target_id}> gets a practice"


def _none_for(kind: str, target_id: str) -> str:
    if kind == nudge_store.PERSON:
        return "You have no scheduled tips by DM."
    return f"<#{target_id}> has no scheduled tips."


def answer_nudge_command(
    services: Services,
    command: dict[str, Any],
    args: str,
    ack: Ack,
    client: WebClient,
    respond: Respond,
) -> None:
    """Answer `/lvm nudge ...` in the ack; a new schedule is saved after it, once Slack has
    said whether lvm is in the channel and what the person's time zone is."""
    kind, target_id = _target(command)
    word = args.strip().lower()
    if word == "":
        described = nudges.schedule_of(services, command["team_id"], target_id)
        if described is None:
            ack(
                **notices.notice(
                    f"{_none_for(kind, target_id)} Start with "
                    f"{nudge_request.ACCEPTED_FORMS.split(', `/lvm nudge`')[0]}."
                )
            )
        else:
            ack(
                **notices.notice(
                    f":seedling: {_gets(kind, target_id)} {described}. `/lvm nudge off` stops it."
                )
            )
        return
    if word == "off":
        try:
            stopped = nudges.stop_schedule(
                services,
                team_id=command["team_id"],
                target_kind=kind,
                target_id=target_id,
                actor=command["user_id"],
            )
        except PulseRefusal as refusal:
            ack(**notices.notice(str(refusal)))
            return
        text = (
            "Scheduled tips stopped."
            if stopped
            else f"{_none_for(kind, target_id)} Nothing to stop."
        )
        ack(**notices.notice(text))
        return
    try:
        request = nudge_request.parse_request(args, services.bank)
    except nudge_request.NudgeFormError as problem:
        ack(**notices.notice(f":thinking_face: {problem}"))
        return
    try:
        nudges.check_request(
            services,
            team_id=command["team_id"],
            target_kind=kind,
            target_id=target_id,
            actor=command["user_id"],
            request=request,
        )
    except PulseRefusal as refusal:
        ack(**notices.notice(str(refusal)))
        return
    ack()
    save_subscription(services, command, request, respond)


def save_subscription(
    services: Services,
    command: dict[str, Any],
    request: nudge_request.NudgeRequest,
    respond: Respond,
) -> None:
    kind, target_id = _target(command)
    directory = services.directory_for(command["team_id"])
    if kind == nudge_store.CHANNEL and not directory.app_is_member(target_id):
        respond(**notices.not_in_channel())
        return
    timezone = directory.timezone_of(command["user_id"]) or "UTC"
    try:
        described, replaced = nudges.save_schedule(
            services,
            team_id=command["team_id"],
            target_kind=kind,
            target_id=target_id,
            request=request,
            timezone=timezone,
            actor=command["user_id"],
        )
    except PulseRefusal as refusal:  # e.g. a manager removed since the command's check
        respond(**notices.notice(str(refusal)))
        return
    instead = f" It replaces the earlier schedule: {replaced}." if replaced else ""
    respond(
        **notices.notice(
            f":seedling: Done. {_gets(kind, target_id, will=True)} {described}."
            f"{instead} `/lvm nudge off` stops it."
        )
    )
