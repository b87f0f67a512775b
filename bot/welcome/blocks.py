"""The greetings lvm says once: in a channel it was added to, and on a person's first Home."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, HeaderBlock, MarkdownTextObject, SectionBlock

from bot.platform.messages import Message
from bot.platform.subcommands import COMMAND


def channel_welcome() -> Message:
    text = (
        ":wave: Hello! I'm lvm: I help this channel's leads grow as leaders and managers, one "
        f"small practice at a time. Anyone here can ask `{COMMAND} tip` for something concrete "
        f"to try this week (`{COMMAND} tip delegation`, `{COMMAND} tip leadership`).\n"
        f"*For a lead:* type `{COMMAND} pulse setup` here to start a weekly anonymous check-in "
        "for this team. Each person gets a few questions by DM; managers see only averages, "
        f"and only once enough people have answered (`{COMMAND} privacy`). `{COMMAND} help` "
        "lists everything."
    )
    return {"text": text, "blocks": [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]}


def home_welcome() -> list[Block]:
    return [
        HeaderBlock(text="Welcome to lvm"),
        SectionBlock(
            text=MarkdownTextObject(
                text="Three ways I can help:\n"
                f"• *Practices*: one small, concrete thing to try this week, on leading or on "
                f"managing (`{COMMAND} tip`), or on a schedule (`{COMMAND} nudge`).\n"
                "• *A team pulse*: a weekly anonymous check-in by DM for your team "
                f"(`{COMMAND} pulse setup` in the team's channel).\n"
                "• *Summaries* for managers: how the team's answers move, and one area to "
                f"work on next (`{COMMAND} summary`).\n"
                "*A first step:* press *Send me a tip* below."
            )
        ),
    ]
