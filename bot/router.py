"""The `/lvm` slash command: parse the text, answer in the ack, go on if there is more to do.

Most subcommands answer inside the ack and are done. Those that must call Slack (open a
modal, message a team) ack first and make their calls after it, in the same function: Slack
has its answer as soon as `ack` is called (see bot/app.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.assess import listeners as assess
from bot.help import did_you_mean_message, help_message
from bot.nudges import listeners as nudges
from bot.platform.failures import answered
from bot.platform.messages import Message
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
    suggestion,
)
from bot.pulse import commands as pulse_commands
from bot.rights.listeners import answer_forget, answer_privacy
from bot.situation import listeners as situation
from bot.summary import listeners as summary
from bot.tips.listeners import answer_tip
from bot.tips.topics import topics_message

# Subcommands that may call Slack (open a modal, message a team) after answering in the ack.
Subcommand = Callable[[Services, dict[str, Any], str, Ack, WebClient, Respond], None]
CALLING_SLACK: dict[str, Subcommand] = {
    PULSE.name: pulse_commands.answer_pulse_command,
    NUDGE.name: nudges.answer_nudge_command,
    SUMMARY.name: summary.answer_summary_command,
    SITUATION.name: situation.answer_situation_command,
    ASSESS.name: assess.answer_assess_command,
}


def register(app: App, services: Services) -> None:
    simple: dict[str, Callable[[dict[str, Any], str], Message]] = {
        TIP.name: lambda command, args: answer_tip(
            services, command["team_id"], command["user_id"], args
        ),
        TOPICS.name: lambda command, args: topics_message(services.bank),
        PRIVACY.name: lambda command, args: answer_privacy(services),
        FORGET.name: lambda command, args: answer_forget(
            services, command["team_id"], command["user_id"], args
        ),
        HELP.name: lambda command, args: help_message(),
        "": lambda command, args: help_message(),
    }

    def answer_command(
        ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        invocation = parse(command.get("text"))
        with answered(ack, respond, f"answering {COMMAND} {invocation.name}"):
            if invocation.name in CALLING_SLACK:
                CALLING_SLACK[invocation.name](
                    services, command, invocation.args, ack, client, respond
                )
                return
            handler = simple.get(invocation.name)
            if handler is None:
                meant = suggestion(invocation)
                ack(
                    **did_you_mean_message(invocation.name, meant)
                    if meant
                    else help_message(unknown=invocation.name)
                )
                return
            ack(**handler(command, invocation.args))

    app.command(COMMAND)(answer_command)
