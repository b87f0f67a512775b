"""Thin Slack listeners, grouped by kind; each module exposes register(app, services)."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import actions, commands, direct_messages, errors, events, pulse, summary
from bot.services import Services


def register_listeners(app: App, services: Services) -> None:
    errors.register(app, services)
    commands.register(app, services)
    actions.register(app, services)
    events.register(app, services)
    direct_messages.register(app, services)
    pulse.register(app, services)
    summary.register(app, services)
