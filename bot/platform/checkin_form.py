"""The check-in every feature asks the same way: "done / partly / not yet" buttons and an
optional one-line reflection in a small form. Commitments (bot/summary) and growth-plan steps
(bot/assess) both ask it; each keeps its own answers and says what it is about.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ButtonElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
)
from slack_sdk.models.views import View

DONE, PARTLY, NOT_YET = "done", "partly", "not_yet"
ANSWERS = (DONE, PARTLY, NOT_YET)
ANSWER_LABELS = {DONE: "Done", PARTLY: "Partly", NOT_YET: "Not yet"}
REFLECTION_INPUT = "reflection"
REFLECTION_LIMIT = 150  # one line


def one_line(text: str) -> str | None:
    """A reflection as stored: whitespace folded, at most one line's length; None if empty."""
    return " ".join(text.split())[:REFLECTION_LIMIT] or None


def answer_buttons(action_prefix: str, value_of: Any, chosen: str | None) -> list[ButtonElement]:
    """One button per answer; `value_of(answer)` is what each carries; the chosen one stands out."""
    return [
        ButtonElement(
            text=label,
            action_id=f"{action_prefix}{answer}",
            value=value_of(answer),
            style="primary" if chosen == answer else None,
        )
        for answer, label in ANSWER_LABELS.items()
    ]


def reflection_modal(
    callback_id: str, metadata: str, current: str, *, about: str = "How did it go?"
) -> dict[str, Any]:
    return View(
        type="modal",
        callback_id=callback_id,
        private_metadata=metadata,
        title="Your reflection",
        submit="Save",
        close="Cancel",
        blocks=[
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text="One line for yourself: what worked, what got in the way. "
                        "Only you see it."
                    )
                ]
            ),
            InputBlock(
                block_id=REFLECTION_INPUT,
                label=about,
                optional=True,
                element=PlainTextInputElement(
                    action_id=REFLECTION_INPUT,
                    max_length=REFLECTION_LIMIT,
                    initial_value=current or None,
                ),
            ),
        ],
    ).to_dict()
