"""The `/lvm` slash command: parse the text, call the behaviour, answer in the ack."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App

from bot import tips
from bot.blocks.help import help_message, no_match_message, topics_message
from bot.blocks.tip import tip_message
from bot.listeners.failures import answered
from bot.services import Services
from bot.subcommands import COMMAND, HELP, TIP, TOPICS, parse

Answer = dict[str, Any]


def answer_tip(services: Services, team_id: str, user_id: str, text: str) -> Answer:
    query = tips.read_query(services.bank, text)
    if isinstance(query, tips.NoMatch):
        return no_match_message(query.text, query.suggestions, services.bank)
    with services.database.transaction() as session:
        practice = tips.choose_tip(
            session,
            services.bank,
            team_id=team_id,
            user_id=user_id,
            query=query,
            now=services.now(),
            rng=services.rng,
        )
    return tip_message(practice, services.bank, query_text=query.text)


def register(app: App, services: Services) -> None:
    handlers: dict[str, Callable[[dict[str, Any], str], Answer]] = {
        TIP.name: lambda command, args: answer_tip(
            services, command["team_id"], command["user_id"], args
        ),
        TOPICS.name: lambda command, args: topics_message(services.bank),
        HELP.name: lambda command, args: help_message(),
        "": lambda command, args: help_message(),
    }

    @app.command(COMMAND)
    def lvm_command(ack: Ack, command: dict[str, Any]) -> None:
        invocation = parse(command.get("text"))
        handler = handlers.get(invocation.name)
        if handler is None:
            ack(**help_message(unknown=invocation.name))
            return
        with answered(ack, f"answering {COMMAND} {invocation.name}"):
            ack(**handler(command, invocation.args))
