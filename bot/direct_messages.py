"""Messages typed in the app's DM: lvm answers commands, not chat, and says so.

The messages tab stays open because `/lvm nudge` typed there subscribes the person. A message
that names a command (`tip delegation`, `help`) is answered as that command; one naming a
command that only works as `/lvm ...` (a form, or the channel it is typed in) is told how to
type it; anything else gets a short pointer to the commands. The text is read to answer it, never stored or logged.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltRequest
from slack_sdk import WebClient

from bot.help import dm_pointer_message, help_message, slash_only_message
from bot.platform.failures import message_for
from bot.platform.messages import Message
from bot.platform.origin import workspace_of
from bot.platform.services import Services
from bot.platform.subcommands import (
    ASSESS,
    COMMAND,
    FORGET,
    HELP,
    NUDGE,
    PRIVACY,
    PULSE,
    SITUATION,
    SUMMARY,
    TIP,
    TOPICS,
    parse,
)
from bot.rights.listeners import answer_forget, answer_privacy
from bot.tips.listeners import answer_tip
from bot.tips.topics import topics_message

# Named in a message, these are answered with how to type them: each opens a form or needs
# the channel the command was typed in, which only a slash command brings.
SLASH_ONLY = {sub.name for sub in (ASSESS, SITUATION, PULSE, SUMMARY, NUDGE)}


def answer_message(services: Services, team_id: str, user_id: str, text: str) -> Message:
    """What to say to `text` typed in the DM: the command it names, or how to use lvm."""
    typed = text.strip()
    if typed.lower().startswith(COMMAND):
        typed = typed[len(COMMAND) :]
    invocation = parse(typed)
    if invocation.name in (TIP.name, "tips"):
        return answer_tip(services, team_id, user_id, invocation.args)
    if invocation.name == TOPICS.name:
        return topics_message(services.bank)
    if invocation.name == PRIVACY.name:
        return answer_privacy(services)
    if invocation.name == FORGET.name:
        return answer_forget(services, team_id, user_id, invocation.args)
    if invocation.name == HELP.name and not invocation.args:
        return help_message()
    if invocation.name in SLASH_ONLY:
        return slash_only_message(typed)
    return dm_pointer_message()


def register(app: App, services: Services) -> None:
    def is_person_in_dm(event: dict[str, Any]) -> bool:
        # Edits, deletions and bot posts carry a subtype or a bot_id: nothing to answer.
        return (
            event.get("channel_type") == "im"
            and not event.get("subtype")
            and not event.get("bot_id")
            and bool(event.get("user"))
        )

    def acknowledge(ack: Ack) -> None:
        ack()

    def reply(
        event: dict[str, Any], body: dict[str, Any], client: WebClient, request: BoltRequest
    ) -> None:
        # Bolt has acked the event already (it does for every event, before the listener).
        if request.headers.get("x-slack-retry-num"):
            return  # Slack redelivers events it thinks were slow: one answer is enough
        try:
            message = answer_message(
                services, workspace_of(body), event["user"], event.get("text") or ""
            )
        except Exception as error:
            message = message_for(error, "answering a direct message")
        client.chat_postMessage(channel=event["channel"], **message)

    app.event("message", matchers=[is_person_in_dm])(reply)
    # Every other message event (channels, edits, our own posts) is acknowledged and ignored.
    app.event("message")(acknowledge)
