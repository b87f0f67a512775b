"""The tip message: a practice, its lens and topic, and what a person can do with it."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.bank import Bank, Lens, Practice
from bot.platform.messages import Message

ANOTHER = "tip.another"
# "Another tip" under a focus asks for the focus dimension's pool with this query text.
AREA_PREFIX = "area:"


def area_query_text(dimension_id: str) -> str:
    return f"{AREA_PREFIX}{dimension_id}"


HELPFUL = "tip.helpful"
NOT_FOR_ME = "tip.not_for_me"
SHARE = "tip.share"

LENS_LABEL = {
    Lens.LEADERSHIP: ":compass: Leadership",
    Lens.MANAGEMENT: ":gear: Management",
    Lens.BOTH: ":scales: Leadership and management",
}
VERDICT_NOTE = {
    "helpful": ":white_check_mark: Marked helpful. Thanks, it shapes what you and others see next.",
    "not_for_me": ":ok_hand: Noted as not for you. You will see it only after everything else.",
}


def practice_blocks(practice: Practice, bank: Bank) -> list[Block]:
    """The practice itself, as shown in a tip, a shared post or a summary's focus."""
    topic_names = [bank.topic_by_id[t].name for t in practice.topics if t in bank.topic_by_id]
    return [
        SectionBlock(text=MarkdownTextObject(text=f"*{practice.title}*\n{practice.insight}")),
        SectionBlock(text=MarkdownTextObject(text=f"*Try this week:* {practice.try_this}")),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=f"{LENS_LABEL[practice.lens]}  ·  {', '.join(topic_names)}  ·  "
                    f"about {practice.minutes} min"
                )
            ]
        ),
    ]


# (the bank's id, the practice, the query, the verdict, the search note)
TipKey = tuple[int, str, str, str | None, str | None]


class _RenderedTips:
    """Tip messages already rendered, as JSON: slack_sdk's models check every field on each
    to_dict(), which costs more than choosing the tip. A message depends only on the bank,
    the practice, the query and the verdict, so each is rendered once (the least recently
    used are forgotten past `limit`, as queries are free text)."""

    def __init__(self, limit: int = 2048) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        # key -> (the bank it was rendered from, the message as JSON)
        self._messages: OrderedDict[TipKey, tuple[Bank, str]] = OrderedDict()

    def get(self, key: TipKey, bank: Bank) -> Message | None:
        with self._lock:
            found = self._messages.get(key)
            if found is None or found[0] is not bank:
                return None
            self._messages.move_to_end(key)
        return dict(json.loads(found[1]))  # a fresh copy the caller may change

    def put(self, key: TipKey, bank: Bank, message: dict[str, Any]) -> None:
        with self._lock:
            self._messages[key] = (bank, json.dumps(message))
            self._messages.move_to_end(key)
            while len(self._messages) > self.limit:
                self._messages.popitem(last=False)


_rendered_tips = _RenderedTips()


def tip_message(
    practice: Practice,
    bank: Bank,
    *,
    query_text: str = "",
    verdict: str | None = None,
    search_note: str | None = None,
) -> Message:
    """An ephemeral tip with its buttons; `verdict` adds a line once feedback is given,
    `search_note` one saying what the words asked for matched (see `search_note`)."""
    if bank.practice_by_id.get(practice.id) is not practice:  # not from this bank: no caching
        return _render_tip_message(
            practice, bank, query_text=query_text, verdict=verdict, search_note=search_note
        )
    key = (id(bank), practice.id, query_text, verdict, search_note)
    message = _rendered_tips.get(key, bank)
    if message is None:
        message = _render_tip_message(
            practice, bank, query_text=query_text, verdict=verdict, search_note=search_note
        )
        _rendered_tips.put(key, bank, message)
    return message


def search_note(practice: Practice, bank: Bank, words: str, matched: int | None) -> str:
    """`Showing a Communication practice for "feedback"`, when what was typed is not the
    topic's own name: an alias, or free words (then `matched` practices mention them)."""
    topic = bank.topic_by_id.get(practice.primary_topic)
    kind = f"{topic.name} practice" if topic else "practice"
    article = "an" if kind[0].lower() in "aeiou" else "a"
    shown = words if len(words) <= 60 else words[:59] + "…"
    if matched is None:
        others = ""
    elif matched > 1:
        others = f" (1 of {matched} that mention it)"
    else:
        others = " (the only one that mentions it)"
    return f':mag: Showing {article} {kind} for "{shown}"{others}.'


def _render_tip_message(
    practice: Practice,
    bank: Bank,
    *,
    query_text: str,
    verdict: str | None,
    search_note: str | None = None,
) -> Message:
    blocks = practice_blocks(practice, bank)
    if search_note:
        blocks.insert(0, ContextBlock(elements=[MarkdownTextObject(text=search_note)]))
    if verdict in VERDICT_NOTE:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=VERDICT_NOTE[verdict])]))
    blocks.append(
        ActionsBlock(
            block_id="tip.actions",
            elements=[
                ButtonElement(
                    text="Another tip", action_id=ANOTHER, value=query_text[:2000] or " "
                ),
                ButtonElement(
                    text="Helpful", action_id=HELPFUL, value=practice.id, style="primary"
                ),
                ButtonElement(text="Not for me", action_id=NOT_FOR_ME, value=practice.id),
                ButtonElement(text="Share to channel", action_id=SHARE, value=practice.id),
            ],
        )
    )
    return {
        "text": f"{practice.title}: {practice.try_this}",
        "blocks": [block.to_dict() for block in blocks],
    }


def shared_tip_message(practice: Practice, bank: Bank, *, shared_by: str) -> Message:
    """The tip as posted to a channel by someone who found it worth sharing."""
    blocks: list[Block] = [
        ContextBlock(
            elements=[MarkdownTextObject(text=f"<@{shared_by}> shared a practice from lvm")]
        ),
        *practice_blocks(practice, bank),
        DividerBlock(),
    ]
    return {
        "text": f"A practice shared by <@{shared_by}>: {practice.title}",
        "blocks": [block.to_dict() for block in blocks],
    }
