"""Scheduled tips: one posted to a channel, or sent to a person by DM."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject

from bot.bank import Bank, Practice
from bot.platform.messages import Message
from bot.tips.blocks import practice_blocks, tip_message


def _header(about: str) -> ContextBlock:
    return ContextBlock(
        elements=[MarkdownTextObject(text=f":seedling: Your scheduled practice ({about})")]
    )


def channel_nudge_message(practice: Practice, bank: Bank, about: str) -> Message:
    """No buttons in a channel: a click would change the post for everyone."""
    blocks: list[Block] = [
        _header(about),
        *practice_blocks(practice, bank),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text="Want one just for you? `/lvm tip`. Stop these: `/lvm nudge off`."
                )
            ]
        ),
    ]
    return {
        "text": f"Practice of the week: {practice.title}",
        "blocks": [block.to_dict() for block in blocks],
    }


def person_nudge_message(practice: Practice, bank: Bank, query_text: str, about: str) -> Message:
    message = tip_message(practice, bank, query_text=query_text)
    message["blocks"].insert(0, _header(about).to_dict())
    return message
