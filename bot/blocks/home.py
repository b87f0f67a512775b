"""The App Home tab."""

from __future__ import annotations

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
from bot.blocks.tip import ANOTHER
from bot.subcommands import COMMAND

HOME_TIP = "home.tip"


def home_view(recent: list[Practice]) -> dict[str, Any]:
    blocks: list[Block] = [
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
            elements=[ButtonElement(text="Give me a tip", action_id=ANOTHER, value=" ")],
        ),
        DividerBlock(),
        HeaderBlock(text="Your recent tips"),
    ]
    if recent:
        blocks.extend(
            SectionBlock(text=MarkdownTextObject(text=f"*{p.title}*\n{p.try_this}")) for p in recent
        )
    else:
        blocks.append(
            ContextBlock(elements=[MarkdownTextObject(text="No tips yet: ask for your first one.")])
        )
    return View(type="home", blocks=blocks).to_dict()
