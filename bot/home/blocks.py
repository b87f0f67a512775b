"""The App Home tab: a tip button, your recent tips, your own self-assessment, your settings,
and (for managers) teams."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.bank import Practice
from bot.platform.mrkdwn import escape
from bot.platform.subcommands import COMMAND
from bot.welcome.blocks import home_welcome

HOME_TIP = "home.tip"


@dataclass(frozen=True)
class PulseMembership:
    team_name: str
    channel_id: str
    opted_out: bool


@dataclass(frozen=True)
class HomeContent:
    recent: list[Practice] = field(default_factory=list)
    nudge: str | None = None  # a description of the person's DM schedule
    memberships: list[PulseMembership] = field(default_factory=list)
    # Blocks (as dicts) a feature adds for managers, e.g. their teams at a glance.
    manager_blocks: list[dict[str, Any]] = field(default_factory=list)
    welcome: bool = False  # the person's first visit: say what lvm is for
    # The person's own self-assessment (bot/assess): their latest result, or an invitation.
    balance_blocks: list[dict[str, Any]] = field(default_factory=list)


def _settings_lines(content: HomeContent) -> list[str]:
    lines = [
        f":seedling: Scheduled tips by DM: {content.nudge}."
        if content.nudge
        else f":seedling: No scheduled tips. In a DM with me, try `{COMMAND} nudge weekly mon 09:00`."
    ]
    for membership in content.memberships:
        state = (
            f"opted out (`{COMMAND} pulse optin` there to rejoin)"
            if membership.opted_out
            else f"you take part (`{COMMAND} pulse optout` there to stop)"
        )
        lines.append(
            f":bar_chart: Pulse of <#{membership.channel_id}> ({escape(membership.team_name)}): "
            f"{state}"
        )
    return lines


def home_view(content: HomeContent) -> dict[str, Any]:
    blocks: list[Block | dict[str, Any]] = [
        *([*home_welcome(), DividerBlock()] if content.welcome else []),
        HeaderBlock(text="Grow as a leader and a manager"),
        SectionBlock(
            text=MarkdownTextObject(
                text="Leading is about where the team is going and why; managing is about how "
                "the work gets done well. lvm gives you one small, concrete practice at a time "
                f"for both. Type `{COMMAND} tip` anywhere, or `{COMMAND} help` for everything "
                "I can do."
            )
        ),
        ActionsBlock(
            block_id=HOME_TIP,
            elements=[
                ButtonElement(text="Send me a tip", action_id=HOME_TIP, value=" ", style="primary")
            ],
        ),
        *content.manager_blocks,
        DividerBlock(),
        HeaderBlock(text="Your recent tips"),
    ]
    if content.recent:
        blocks.extend(
            SectionBlock(text=MarkdownTextObject(text=f"*{p.title}*\n{p.try_this}"))
            for p in content.recent
        )
    else:
        blocks.append(
            ContextBlock(elements=[MarkdownTextObject(text="No tips yet: ask for your first one.")])
        )
    if content.balance_blocks:
        blocks += [DividerBlock(), *content.balance_blocks]
    blocks += [
        DividerBlock(),
        HeaderBlock(text="Your settings"),
        SectionBlock(text=MarkdownTextObject(text="\n".join(_settings_lines(content)))),
    ]
    as_dicts = [b if isinstance(b, dict) else b.to_dict() for b in blocks]
    return View(type="home", blocks=as_dicts).to_dict()


def home_notice_view(text: str) -> dict[str, Any]:
    """A Home tab that only says what went wrong and what to do (e.g. the database is down)."""
    blocks = [
        HeaderBlock(text="Grow as a leader and a manager"),
        SectionBlock(text=MarkdownTextObject(text=text)),
    ]
    return View(type="home", blocks=[b.to_dict() for b in blocks]).to_dict()
