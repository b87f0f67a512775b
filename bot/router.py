"""The `/lvm` slash command: parse the text, answer in the ack, follow up if needed.

Most subcommands answer inside the ack. Those that must call Slack (open a modal, message a
team) leave a follow-up in the context, which a lazy listener runs after the ack is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from logging import Logger
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.help import did_you_mean_message, help_message
from bot.nudges import listeners as nudges
from bot.platform.failures import answered, message_for
from bot.platform.services import Services
from bot.platform.subcommands import (
    COMMAND,
    HELP,
    NUDGE,
    PRIVACY,
    PULSE,
    SUMMARY,
    TIP,
    TOPICS,
    parse,
    suggestion,
)
from bot.pulse import commands as pulse_commands
from bot.pulse.blocks import privacy_message
from bot.summary import listeners as summary
from bot.tips.listeners import answer_tip
from bot.tips.topics import topics_message

Answer = dict[str, Any]
FOLLOW_UP = "lvm_follow_up"

# Subcommands that answer in the ack and may leave a follow-up (Slack calls) for after it.
WITH_FOLLOW_UP = {
    PULSE.name: pulse_commands.answer_pulse_command,
    NUDGE.name: nudges.answer_nudge_command,
    SUMMARY.name: summary.answer_summary_command,
}
FOLLOW_UPS = {
    pulse_commands.SETUP: pulse_commands.open_setup,
    pulse_commands.START: pulse_commands.start_round,
    pulse_commands.DELIVER: pulse_commands.deliver_now,
    nudges.SAVE: nudges.save_subscription,
    summary.BUILD: summary.build_and_send,
}


def register(app: App, services: Services) -> None:
    simple: dict[str, Callable[[dict[str, Any], str], Answer]] = {
        TIP.name: lambda command, args: answer_tip(
            services, command["team_id"], command["user_id"], args
        ),
        TOPICS.name: lambda command, args: topics_message(services.bank),
        PRIVACY.name: lambda command, args: privacy_message(),
        HELP.name: lambda command, args: help_message(),
        "": lambda command, args: help_message(),
    }

    def answer_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        invocation = parse(command.get("text"))
        with answered(ack, f"answering {COMMAND} {invocation.name}"):
            if invocation.name in WITH_FOLLOW_UP:
                answer = WITH_FOLLOW_UP[invocation.name]
                reply, follow_up = answer(services, command, invocation.args)
                context[FOLLOW_UP] = follow_up
                ack(**reply) if reply else ack()
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

    def follow_up(
        command: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
        logger: Logger,
    ) -> None:
        task = context.get(FOLLOW_UP)
        if not task:
            return
        try:
            FOLLOW_UPS[task["name"]](services, task, command, client, respond)
        except Exception as error:
            respond(**message_for(error, f"following up {COMMAND} {task.get('name')}"))

    def leaves_follow_up(command: dict[str, Any]) -> bool:
        return parse(command.get("text")).name in WITH_FOLLOW_UP

    # Bolt copies the whole request for every lazy listener it starts, which costs more than
    # answering a tip, so only the subcommands that can leave a follow-up get one.
    app.command(COMMAND, matchers=[leaves_follow_up])(ack=answer_command, lazy=[follow_up])
    app.command(COMMAND)(answer_command)
