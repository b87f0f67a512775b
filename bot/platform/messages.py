"""A Slack message as lvm builds it: the arguments `ack`, `respond` and chat.postMessage take."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block

# "text" (the notification's and screen readers' line), "blocks", and any other argument
# (response_type, replace_original...) the receiving call takes.
Message = dict[str, Any]


def message_of(text: str, blocks: list[Block]) -> Message:
    return {"text": text, "blocks": [block.to_dict() for block in blocks]}
