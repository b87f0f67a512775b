"""The topic list, and the answer to a tip query that matches nothing."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.bank import Bank, Lens, Topic
from bot.platform.messages import Message, message_of
from bot.platform.subcommands import COMMAND


def _topic_lines(bank: Bank) -> list[str]:
    return [
        f"`{topic.id}`  {topic.name} ({len(bank.practices_for_topic(topic.id))})"
        for topic in bank.topics
    ]


def _chunks(lines: list[str], size: int = 2800) -> list[str]:
    """Join lines into texts that fit one section block each."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        if current and len(current) + len(line) + 1 > size:
            chunks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        chunks.append(current)
    return chunks


def topics_message(bank: Bank) -> Message:
    lens_counts = "  ·  ".join(
        f"{lens.value}: {sum(1 for p in bank.practices if p.lens is lens)}" for lens in Lens
    )
    blocks: list[Block] = [
        HeaderBlock(text=f"{len(bank.topics)} topics, {len(bank.practices)} practices"),
        *(
            SectionBlock(text=MarkdownTextObject(text=chunk))
            for chunk in _chunks(_topic_lines(bank))
        ),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=f"By lens: {lens_counts}. Ask for one with `{COMMAND} tip <topic>`."
                )
            ]
        ),
    ]
    return message_of(f"{len(bank.topics)} topics: use `{COMMAND} tip <topic>`.", blocks)


def no_match_message(text: str, suggestions: list[Topic], bank: Bank) -> Message:
    """What to say when `/lvm tip <words>` matches no topic and no practice."""
    closest = (
        "Closest topics: " + ", ".join(f"`{COMMAND} tip {t.id}`" for t in suggestions) + "."
        if suggestions
        else "No topic is close to that."
    )
    lead = f':mag: I have no practice on "{text[:100]}". {closest}'
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=lead)),
        SectionBlock(
            text=MarkdownTextObject(
                text="You can also ask for `leadership` or `management`. All topics:"
            )
        ),
        *(
            SectionBlock(text=MarkdownTextObject(text=chunk))
            for chunk in _chunks(_topic_lines(bank))
        ),
    ]
    return message_of(f'No practice on "{text[:100]}". {closest}', blocks)
