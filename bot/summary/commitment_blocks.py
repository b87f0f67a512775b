"""Commitments as their manager sees them: the reply with its length, the check-in DMs, the
reflection form and the history on App Home. Pure Block Kit builders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
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

from bot.platform import checkin_form
from bot.platform.column_types import row_id
from bot.platform.messages import Message
from bot.platform.mrkdwn import escape
from bot.summary.store import ANSWERS, DUE, MIDPOINT, STAGES

LENGTH_PREFIX = "commitment.length."
CHECKIN_PREFIX = "commitment.checkin."
REFLECT = "commitment.reflect"
REFLECTION_VIEW = "commitment.reflection"
REFLECTION_INPUT = checkin_form.REFLECTION_INPUT
HISTORY_SHOWN = 10

ANSWER_LABELS = checkin_form.ANSWER_LABELS


def day(moment: datetime) -> str:
    """A date Slack shows in each reader's own time zone."""
    return f"<!date^{int(moment.timestamp())}^{{date_short}}|{moment:%d %b %Y}>"


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text[:3000]))


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text[:3000])])


def _dicts(blocks: Sequence[Block | dict[str, Any]]) -> list[dict[str, Any]]:
    return [block if isinstance(block, dict) else block.to_dict() for block in blocks]


# --- values carried by buttons and forms ----------------------------------------------------


def length_value(commitment_id: int, weeks: int) -> str:
    return f"{commitment_id}:{weeks}"


def parse_length_value(value: str) -> tuple[int, int]:
    """Raises ValueError for anything but "commitment:weeks"."""
    commitment, weeks = value.split(":")
    return row_id(commitment), int(weeks)


def checkin_value(commitment_id: int, stage: str, answer: str | None = None) -> str:
    return ":".join([str(commitment_id), stage, *([answer] if answer else [])])


def parse_checkin_value(value: str, *, with_answer: bool) -> tuple[int, str, str | None]:
    """(commitment, stage, answer); raises ValueError for a value no button of ours carries."""
    parts = value.split(":")
    if len(parts) != (3 if with_answer else 2) or parts[1] not in STAGES:
        raise ValueError("not a check-in value")
    answer = parts[2] if with_answer else None
    if with_answer and answer not in ANSWERS:
        raise ValueError("not a check-in answer")
    return row_id(parts[0]), parts[1], answer


@dataclass(frozen=True)
class ReflectionTarget:
    """Which check-in a reflection form is for, and the DM to update once it is saved."""

    commitment_id: int
    stage: str
    channel_id: str | None = None
    message_ts: str | None = None

    def to_metadata(self) -> str:
        return ":".join(
            [str(self.commitment_id), self.stage, self.channel_id or "", self.message_ts or ""]
        )

    @classmethod
    def from_metadata(cls, metadata: str) -> ReflectionTarget:
        commitment, stage, channel, ts = metadata.split(":")
        if stage not in STAGES:
            raise ValueError("not a check-in stage")
        return cls(row_id(commitment), stage, channel or None, ts or None)


# --- the reply to "I'll try this" -----------------------------------------------------------


def length_buttons(commitment_id: int, weeks: int, choices: Sequence[int]) -> ActionsBlock:
    return ActionsBlock(
        block_id="commitment.length",
        elements=[
            ButtonElement(
                text=f"{choice} weeks",
                action_id=f"{LENGTH_PREFIX}{choice}",
                value=length_value(commitment_id, choice),
                style="primary" if choice == weeks else None,
            )
            for choice in choices
        ],
    )


def commitment_confirmation(
    *,
    commitment_id: int,
    practice_title: str,
    dimension_name: str,
    weeks: int,
    due_at: datetime,
    told: bool,
    choices: Sequence[int],
) -> Message:
    """The reply to the manager who clicked "I'll try this": what, until when, and the
    buttons that pick another length."""
    text = (
        f":handshake: Noted: you'll try *{escape(practice_title)}* for "
        f"{escape(dimension_name)}, for {weeks} weeks: until {day(due_at)}. "
        f"{escape(dimension_name)} stays your focus until then. I'll check in with you by DM "
        "halfway and on the due date, and the team's next round after it asks them once "
        "whether they noticed."
    )
    if told:
        text += " I told the team in its channel."
    return {
        "text": f"You'll try {practice_title} for {weeks} weeks",
        "blocks": _dicts(
            [
                _section(text),
                _context("How long will you give it? Pick another length if 3 weeks is not right:"),
                length_buttons(commitment_id, weeks, choices),
            ]
        ),
    }


# --- the check-in DM ------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckIn:
    """What one check-in DM shows."""

    commitment_id: int
    stage: str  # MIDPOINT or DUE
    team_name: str
    practice_title: str
    dimension_name: str
    due_at: datetime
    followup_text: str | None = None  # what the team's next round asks, at the due date
    answer: str | None = None
    reflection: str | None = None


def checkin_message(checkin: CheckIn) -> Message:
    what = f"*{escape(checkin.practice_title)}* for {escape(checkin.dimension_name)}"
    team = escape(checkin.team_name)
    if checkin.stage == MIDPOINT:
        intro = (
            f":seedling: Halfway through your commitment with *{team}*: {what}, due "
            f"{day(checkin.due_at)}. Have you tried it so far?"
        )
    else:
        intro = (
            f":checkered_flag: Your commitment with *{team}* is due today: {what}. Did you try it?"
        )
    blocks: list[Block] = [_section(intro)]
    if checkin.stage == DUE and checkin.followup_text:
        blocks.append(
            _context(
                "Your team's next round asks them once, like any statement: "
                f"“{escape(checkin.followup_text)}” Its average shows in your summary only if "
                "enough of them answer it."
            )
        )
    blocks.append(
        ActionsBlock(
            block_id=f"commitment.checkin.{checkin.stage}",
            elements=[
                *checkin_form.answer_buttons(
                    CHECKIN_PREFIX,
                    lambda answer: checkin_value(checkin.commitment_id, checkin.stage, answer),
                    checkin.answer,
                ),
                ButtonElement(
                    text="Edit your reflection" if checkin.reflection else "Add a reflection",
                    action_id=REFLECT,
                    value=checkin_value(checkin.commitment_id, checkin.stage),
                ),
            ],
        )
    )
    if checkin.answer or checkin.reflection:
        said = ANSWER_LABELS[checkin.answer] if checkin.answer else "no answer yet"
        note = f"You said: *{said}*"
        if checkin.reflection:
            note += f" · “{escape(checkin.reflection)}”"
        blocks.append(_context(note + ". Click another answer to change it."))
    blocks.append(
        _context("Only you see your answers and reflections: they are kept on your Home tab.")
    )
    stage = "Halfway check-in" if checkin.stage == MIDPOINT else "Due-date check-in"
    return {"text": f"{stage}: {checkin.practice_title}", "blocks": _dicts(blocks)}


def reflection_modal(target: ReflectionTarget, current: str) -> dict[str, Any]:
    return checkin_form.reflection_modal(REFLECTION_VIEW, target.to_metadata(), current)


# --- the history on App Home ----------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """One of a manager's own commitments with its check-ins, for their Home tab."""

    team_name: str
    practice_title: str
    dimension_name: str
    committed_at: datetime
    due_at: datetime | None
    checkins: tuple[tuple[str, str | None, str | None], ...]  # (stage, answer, reflection)


def history_line(entry: HistoryEntry) -> str:
    lines = [
        f"*{escape(entry.practice_title)}* for {escape(entry.dimension_name)} "
        f"({escape(entry.team_name)}) · from {day(entry.committed_at)}"
        + (f" to {day(entry.due_at)}" if entry.due_at else "")
    ]
    for stage, answer, reflection in entry.checkins:
        name = "Halfway" if stage == MIDPOINT else "Due date"
        said = ANSWER_LABELS.get(answer or "", "not answered")
        lines.append(f"   {name}: {said}" + (f" · “{escape(reflection)}”" if reflection else ""))
    return "\n".join(lines)


def history_blocks(entries: Sequence[HistoryEntry]) -> list[dict[str, Any]]:
    """Your commitments, newest first: blocks for the manager's own Home tab only."""
    if not entries:
        return []
    blocks: list[Block] = [DividerBlock(), HeaderBlock(text="Your commitments")]
    blocks.extend(_section(history_line(entry)) for entry in entries[:HISTORY_SHOWN])
    blocks.append(_context("Only you see this list: not your team, its other managers or admins."))
    return _dicts(blocks)
