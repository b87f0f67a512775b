"""`/lvm pulse ...`: show, set up, pause, resume, switch off, start and close a team's pulse.

Each answer is given in the ack; setup (a modal), start (messages to the team) and a close
(the managers' digests) then make the Slack calls they need, after the ack.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.platform import notices
from bot.platform.delivery import build_sender, drain_outbox
from bot.platform.directory import Directory
from bot.platform.failures import Reply, tell
from bot.platform.messages import Message
from bot.platform.refusals import (
    PulseRefusal,
)
from bot.platform.services import Services
from bot.platform.subcommands import closest_name
from bot.pulse import automation, delivery_report, manage
from bot.pulse import blocks as pulse_blocks
from bot.pulse import teams as pulse_teams
from bot.pulse.store import ACTIVE, OFF, PAUSED

logger = logging.getLogger(__name__)


STATUS_WORDS = {"pause": PAUSED, "resume": ACTIVE, "off": OFF}
PULSE_WORDS = ("setup", "start", "close", "pause", "resume", "off", "optout", "optin")


# What each status word does, said the same way wherever it is shown.
STATUS_MEANINGS = {
    "pause": "No new rounds open until a manager types `/lvm pulse resume`; a round already "
    "open runs to its close. For a break: vacations, a crunch.",
    "resume": "Rounds open on schedule again.",
    "off": "The pulse is stopped: no rounds open, and a round that was open closes now (its "
    "digest goes to the managers). History is kept; `/lvm pulse resume` turns it back on.",
}
ALREADY = {
    "pause": "is already paused. `/lvm pulse resume` restarts it",
    "resume": "is already running. `/lvm pulse pause` takes a break, `/lvm pulse off` stops it",
    "off": "is already off. `/lvm pulse resume` turns it back on",
}


def _where(command: dict[str, Any]) -> dict[str, str]:
    return {
        "team_id": command["team_id"],
        "channel_id": command["channel_id"],
        "user_id": command["user_id"],
    }


def _status_changed(word: str, changed: manage.StatusChanged) -> Message:
    if changed.already:
        return notices.notice(f"The pulse for *{changed.name}* {ALREADY[word]}.")
    text = f":white_check_mark: The pulse for *{changed.name}* is now {STATUS_WORDS[word]}. "
    text += STATUS_MEANINGS[word]
    if changed.closed is not None:
        text += (
            f" The open round closed with {changed.closed.answered} of {changed.closed.asked}"
            " answered."
        )
    return notices.notice(text)


def _opted(name: str, already: bool, out: bool) -> Message:
    if already:
        return notices.notice(
            f"You had already opted out of the pulse for *{name}*: no DMs will reach you. "
            "`/lvm pulse optin` brings them back."
            if out
            else f"You are already in the pulse for *{name}*: the next round will reach "
            "you by DM. `/lvm pulse optout` stops the DMs."
        )
    if out:
        return notices.notice(
            f"You won't get pulse DMs for *{name}* any more. `/lvm pulse optin` brings them back."
        )
    return notices.notice(
        f"You're back in the pulse for *{name}*. The next round will reach you by DM."
    )


def _closed_early(closed: manage.Closed) -> Message:
    return notices.notice(
        f":lock: Round closed early: {closed.answered} of {closed.asked} answered. Managers get "
        "the digest by DM in a moment."
    )


def answer_pulse_command(
    services: Services,
    command: dict[str, Any],
    args: str,
    ack: Ack,
    client: WebClient,
    respond: Respond,
) -> None:
    """Answer `/lvm pulse <word>` in the ack, then make the Slack calls it needs, if any."""
    word = args.strip().lower()
    try:
        if word == "":
            ack(**pulse_blocks.team_status_message(manage.status_of(services, **_where(command))))
        elif word == "setup":
            manage.check_can_set_up(services, **_where(command))
            ack()
            open_setup(services, command, client, respond)
        elif word in STATUS_WORDS:
            changed = manage.set_status(services, **_where(command), status=STATUS_WORDS[word])
            ack(**_status_changed(word, changed))
            if changed.closed is not None:
                deliver_now(services, changed.closed.planned)
        elif word in ("optout", "optin"):
            out = word == "optout"
            name, already = manage.set_opt_out(services, **_where(command), out=out)
            ack(**_opted(name, already, out))
        elif word == "start":
            manage.check_can_start(services, **_where(command))
            ack(**notices.notice(":hourglass_flowing_sand: Opening a round for this team..."))
            start_round(services, command, client, respond)
        elif word == "close":
            closed = manage.close_early(services, **_where(command))
            ack(**_closed_early(closed))
            deliver_now(services, closed.planned)
        else:
            meant = closest_name(word, PULSE_WORDS)
            hint = f"Did you mean `/lvm pulse {meant}`? Otherwise try" if meant else "Try"
            ack(
                **notices.notice(
                    f"I don't know `/lvm pulse {word[:50]}`. {hint} `/lvm pulse`, `setup`, "
                    "`start`, `close`, `pause`, `resume`, `off`, `optout` or `optin`."
                )
            )
    except PulseRefusal as refusal:
        tell(ack, respond, notices.notice(str(refusal)))


def open_setup(
    services: Services, command: dict[str, Any], client: WebClient, respond: Reply
) -> None:
    directory = services.directory_for(command["team_id"])
    channel_id = command["channel_id"]
    if not directory.app_is_member(channel_id):
        respond(
            **notices.notice(
                ":wave: I need to be in this channel to run its pulse (I read who is in it). "
                "Invite me with `/invite @lvm`, then run `/lvm pulse setup` again."
            )
        )
        return
    defaults, skipped = manage.setup_defaults(
        services,
        team_id=command["team_id"],
        channel_id=channel_id,
        user_id=command["user_id"],
        channel_name=command.get("channel_name"),
    )
    try:
        opened = client.views_open(
            trigger_id=command["trigger_id"], view=pulse_blocks.setup_modal(defaults, services.bank)
        )
    except SlackApiError as error:
        code = error.response.get("error", "")
        reason = (
            "Slack took too long to let me open the form"
            if code in ("expired_trigger_id", "invalid_trigger_id")
            else f"Slack refused to open the form (`{code}`)"
        )
        respond(**notices.notice(f":warning: {reason}. Please run `/lvm pulse setup` again."))
        return
    _show_audience(services, client, opened, defaults, directory, skipped)


def _show_audience(
    services: Services,
    client: WebClient,
    opened: Any,
    defaults: pulse_blocks.SetupDefaults,
    directory: Directory,
    skipped: set[str],
) -> None:
    """Count who a round would ask, then update the open form: counting a large channel can
    take longer than the 3 seconds Slack gives to open it."""
    try:
        members = directory.members_of(defaults.channel_id).people
        view = opened["view"]
        counted = replace(
            defaults,
            channel_members=len(members),
            asked=pulse_teams.asked_count(members, skipped),
        )
        client.views_update(
            view_id=view["id"],
            hash=view.get("hash"),
            view=pulse_blocks.setup_modal(counted, services.bank),
        )
    except SlackApiError as error:
        # Already submitted or closed, or Slack refused: the form works without the count.
        logger.info("setup form not updated with the channel's count: %s", error)


def start_round(
    services: Services, command: dict[str, Any], client: WebClient, respond: Respond
) -> None:
    try:
        opened = automation.open_round_now(
            services,
            services.directory_for(command["team_id"]),
            team_id=command["team_id"],
            channel_id=command["channel_id"],
            opened_by=command["user_id"],
        )
    except PulseRefusal as refusal:
        respond(**notices.notice(str(refusal)))
        return
    # Only this round's DMs: other teams' rows are the clock's to send.
    drain_outbox(build_sender(services, automation.on_sent_hooks(services)), opened.planned)
    result = manage.delivery_so_far(services, opened.round_id)
    respond(**notices.notice(started_text(opened, result)))


def started_text(opened: automation.RoundOpened, result: delivery_report.Tally) -> str:
    """What `/lvm pulse start` did: who was asked, and what Slack has delivered so far."""
    closes = pulse_blocks.slack_date(opened.closes_at)
    lines = [
        f":incoming_envelope: The round is open until {closes}: "
        f"{result.asked} {'person' if result.asked == 1 else 'people'} asked, "
        f"the questions delivered to {result.delivered}."
    ]
    schedule_note = pulse_blocks.round_schedule_note(opened.gives_way_to, opened.stands_in_for)
    if schedule_note:
        lines.append(schedule_note)
    if result.failed:
        lines.append(
            f"Not delivered to {len(result.failed)}: "
            f"{delivery_report.failures_text(result.failed)}."
        )
        if any(reason == delivery_report.TOKEN_REASON for _, reason in result.failed):
            lines.append("Ask whoever runs lvm to check its Slack token, then reinstall the app.")
    if result.pending:
        lines.append(
            f"{result.pending} not sent yet (Slack asked me to slow down or had a hiccup): I "
            "keep trying, and DM the managers if any cannot be delivered."
        )
    if opened.unreachable:
        lines.append(
            f"Slack would not look up {len(opened.unreachable)} channel "
            f"{'member' if len(opened.unreachable) == 1 else 'members'} "
            f"({delivery_report.people_text(opened.unreachable)}), often guests from another "
            "organization, so they were not asked."
        )
    return "\n".join(lines)


def deliver_now(services: Services, rows: tuple[str, ...]) -> None:
    """Send what a command just planned (e.g. the digests of a round closed early), if due
    now; the rest (a digest's chart, due a second later) and other teams' rows are the
    clock's."""
    drain_outbox(build_sender(services, automation.on_sent_hooks(services)), rows)
