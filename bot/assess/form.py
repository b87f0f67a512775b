"""Reading a submitted self-assessment: every statement answered 1 to 5, or field errors.

Slack's own form will not submit with an answer missing, but a submission is checked as if
it might have been forged or sent from a form the content has changed since: each problem is
said under the field it concerns, in words that say what to do.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.assess.scoring import HIGHEST, LOWEST
from bot.bank import Assessment

MISSING = "Choose how much you agree, from 1 to 5."
NOT_ON_SCALE = "That answer is not one of the choices: pick one from 1 to 5 in the list."
OUT_OF_DATE = (
    "The statements have changed since this form was opened. Close it and type `/lvm assess` again."
)
VALID = {str(score): score for score in range(LOWEST, HIGHEST + 1)}


@dataclass(frozen=True)
class FormReply:
    """Where to say the result: the response_url of the command or message it was opened
    from (an ephemeral reply only the person sees), or None for their DM."""

    response_url: str | None = None

    def to_metadata(self) -> str:
        return json.dumps({"response_url": self.response_url})

    @classmethod
    def from_metadata(cls, text: str | None) -> FormReply:
        try:
            data = json.loads(text or "{}")
        except ValueError:
            return cls()
        url = data.get("response_url") if isinstance(data, dict) else None
        return cls(url if isinstance(url, str) and url.startswith("http") else None)


def read_answers(
    view: Mapping[str, Any], assessment: Assessment
) -> tuple[dict[str, int] | None, dict[str, str]]:
    """(answers by statement id, None) or (None, errors by block id)."""
    shown = [
        str(block.get("block_id"))
        for block in view.get("blocks") or []
        if isinstance(block, dict) and block.get("type") == "input"
    ]
    values = _mapping(_mapping(view.get("state")).get("values"))
    expected = [statement.id for statement in assessment.statements]
    if sorted(shown) != sorted(expected):
        # A form from before the statements changed: nothing in it can be scored today.
        where = shown[0] if shown else expected[0]
        return None, {where: OUT_OF_DATE}
    answers: dict[str, int] = {}
    errors: dict[str, str] = {}
    for statement_id in expected:
        state = _mapping(_mapping(values.get(statement_id)).get(statement_id))
        value = _mapping(state.get("selected_option")).get("value")
        if value is None:
            errors[statement_id] = MISSING
        elif not isinstance(value, str) or value not in VALID:
            errors[statement_id] = NOT_ON_SCALE
        else:
            answers[statement_id] = VALID[value]
    return (None, errors) if errors else (answers, {})


def _mapping(value: object) -> Mapping[str, Any]:
    """A part of the payload that should be an object, or an empty one if it is not."""
    return value if isinstance(value, Mapping) else {}
