"""Help: what `/lvm` can do, and what to say to a subcommand it does not know."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    Block,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.platform.messages import Message, message_of
from bot.platform.subcommands import CATALOG, COMMAND


def did_you_mean_message(unknown: str, meant: str) -> Message:
    """A short answer to a misspelled subcommand: the command as probably meant, not all help."""
    text = (
        f":thinking_face: I don't know `{COMMAND} {unknown[:60]}`. "
        f"Did you mean `{COMMAND} {meant[:200]}`? (`{COMMAND} help` lists everything I can do.)"
    )
    return message_of(text, [SectionBlock(text=MarkdownTextObject(text=text))])


def dm_pointer_message() -> Message:
    """The answer to a message typed in the app's DM that names no command."""
    text = (
        f":wave: I answer commands rather than messages. Type `{COMMAND} tip` (or just `tip`) "
        f"for a practice to try this week, `{COMMAND} nudge daily 08:30` for one every working "
        f"day here, or `{COMMAND} help` for everything I can do."
    )
    return message_of(text, [SectionBlock(text=MarkdownTextObject(text=text))])


def slash_only_message(typed: str) -> Message:
    """The answer to a command typed as a plain DM message that only works as `/lvm ...`:
    forms open only from a slash command or a button, and team commands need the channel."""
    command = f"{COMMAND} {typed.strip()[:100]}"
    text = (
        f":point_right: Type that as a slash command: `{command}`. Slack lets me open forms "
        "and find your team only from `/lvm` (here, or in the team's channel for the team's "
        f"pulse and summary), not from a message. `{COMMAND} help` lists everything."
    )
    return message_of(text, [SectionBlock(text=MarkdownTextObject(text=text))])


def help_message(unknown: str | None = None) -> Message:
    """Every subcommand with an example; `unknown` says what was not understood."""
    blocks: list[Block] = []
    if unknown:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=f":thinking_face: I don't know `{COMMAND} {unknown[:100]}`. "
                    "Here is what I can do:"
                )
            )
        )
    else:
        blocks.append(HeaderBlock(text="lvm: grow as a leader and a manager"))
    for sub in CATALOG:
        examples = "  ".join(f"`{COMMAND} {example}`" for example in sub.examples)
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"*`{COMMAND} {sub.usage}`*\n{sub.summary}\nFor example: {examples}"
                )
            )
        )
    lead = f"I don't know `{COMMAND} {unknown[:100]}`. " if unknown else ""
    names = ", ".join(sub.name for sub in CATALOG)
    return message_of(f"{lead}Try one of: {names}. For example `{COMMAND} tip`.", blocks)
