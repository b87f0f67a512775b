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

from bot import tips
from bot.bank import Practice
from bot.blocks.help import (
    did_you_mean_message,
    help_message,
    no_match_message,
    topics_message,
)
from bot.blocks.pulse import privacy_message
from bot.blocks.tip import search_note, tip_message
from bot.listeners import nudges, pulse_commands, summary
from bot.listeners.failures import answered, message_for
from bot.services import Services
from bot.subcommands import (
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


def answer_tip(services: Services, team_id: str, user_id: str, text: str) -> Answer:
    query = tips.read_query(services.bank, text)
    if isinstance(query, tips.NoMatch):
        return no_match_message(query.text, query.suggestions, services.bank)
    with services.database.connection() as connection:
        practice = tips.choose_tip(
            connection,
            services.bank,
            team_id=team_id,
            user_id=user_id,
            query=query,
            now=services.now(),
            rng=services.rng,
        )
    return tip_message(
        practice,
        services.bank,
        query_text=query.text,
        search_note=_search_note(services, query, practice),
    )


def _search_note(services: Services, query: tips.TipQuery, practice: Practice) -> str | None:
    """Say what the typed words matched, unless they named the topic or lens itself."""
    if query.words:
        matched = len(tips.matching_practices(services.bank, query))
        return search_note(practice, services.bank, query.text, matched)
    if query.topic and tips.names_topic(query.text, query.topic):
        return None
    if query.topic:
        return search_note(practice, services.bank, query.text, None)
    return None


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
