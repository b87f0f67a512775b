"""The growth plan's own surfaces once steps are accepted: the weekly DM with a step's
practice, its check-in DM, the plan's progress on the person's result, and the "Share my
plan" form with the DM the chosen person gets. Pure Block Kit builders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ConfirmObject,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.assess.plan_progress import StepProgress
from bot.assess.plan_steps import StepView
from bot.assess.store import REMOVED, RETAKEN, STOPPED
from bot.platform import checkin_form
from bot.platform.column_types import row_id
from bot.platform.messages import Message, message_of
from bot.platform.mrkdwn import escape
from bot.pulse.blocks import slack_date

CHECKIN_PREFIX = "assess.step_checkin."
REFLECT = "assess.step_reflect"
REFLECTION_VIEW = "assess.step_reflection"
REMOVE = "assess.remove_step"
STOP = "assess.stop_plan"
SHARE = "assess.share"
SHARE_VIEW = "assess.share_form"
SHARE_WITH = "share_with"
SHARE_NOTE = "share_note"
SHARE_BALANCE = "share_balance"
NOTE_LIMIT = 300
ONLY_YOU = "Only you get this: your App Home can remove a step or stop the plan."


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text[:3000]))


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text[:3000])])


def _what(view: StepView) -> str:
    aimed = f" · for _{escape(view.area_name)}_" if view.area_name else ""
    return f"*{escape(view.practice_title)}*{aimed}"


# --- the weekly DMs -------------------------------------------------------------------------


def nudge(view: StepView) -> Message:
    """The start of a step's week: its practice, to try this week."""
    blocks: list[Block] = [
        _section(
            f":seedling: *Week {view.week} of {view.of_weeks} of your growth plan*: "
            f"{_what(view)}\n{escape(view.try_this)}"
        ),
        _context(f"At the end of the week I'll ask how it went. {ONLY_YOU}"),
    ]
    return message_of(f"Week {view.week} of your growth plan: {view.practice_title}", blocks)


def answer_value(step_id: int, answer: str | None = None) -> str:
    return ":".join([str(step_id), *([answer] if answer else [])])


def parse_answer_value(value: str, *, with_answer: bool) -> tuple[int, str | None]:
    """(step, answer); ValueError for a value no button of ours carries."""
    parts = value.split(":")
    if len(parts) != (2 if with_answer else 1):
        raise ValueError("not a growth-plan check-in value")
    answer = parts[1] if with_answer else None
    if with_answer and answer not in checkin_form.ANSWERS:
        raise ValueError("not a check-in answer")
    return row_id(parts[0]), answer


def checkin(view: StepView) -> Message:
    """The end of a step's week: did you try it? With the answer and reflection once given."""
    blocks: list[Block] = [
        _section(
            f":checkered_flag: Week {view.week} of your growth plan ends today: {_what(view)}. "
            "Did you try it?"
        ),
        ActionsBlock(
            block_id="assess.step_checkin",
            elements=[
                *checkin_form.answer_buttons(
                    CHECKIN_PREFIX, lambda answer: answer_value(view.step_id, answer), view.answer
                ),
                ButtonElement(
                    text="Edit your reflection" if view.reflection else "Add a reflection",
                    action_id=REFLECT,
                    value=answer_value(view.step_id),
                ),
            ],
        ),
    ]
    if view.answer or view.reflection:
        said = checkin_form.ANSWER_LABELS[view.answer] if view.answer else "no answer yet"
        note = f"You said: *{said}*"
        if view.reflection:
            note += f" · “{escape(view.reflection)}”"
        blocks.append(_context(note + ". Click another answer to change it."))
    blocks.append(_context("Only you see your answers: your App Home keeps them with your plan."))
    return message_of(f"Week {view.week} of your growth plan: how did it go?", blocks)


@dataclass(frozen=True)
class ReflectionTarget:
    """Which step a reflection form is for, and the check-in DM to update once it is saved."""

    step_id: int
    channel_id: str | None = None
    message_ts: str | None = None

    def to_metadata(self) -> str:
        return ":".join([str(self.step_id), self.channel_id or "", self.message_ts or ""])

    @classmethod
    def from_metadata(cls, metadata: str) -> ReflectionTarget:
        step, channel, ts = metadata.split(":")
        return cls(row_id(step), channel or None, ts or None)


def reflection_modal(target: ReflectionTarget, current: str) -> dict[str, Any]:
    return checkin_form.reflection_modal(REFLECTION_VIEW, target.to_metadata(), current)


# --- the plan's progress on the person's own result ------------------------------------------


STOPPED_WORDS = {
    REMOVED: "you removed it",
    STOPPED: "you stopped the plan",
    RETAKEN: "stopped by your retake",
}


def status_line(progress: StepProgress) -> str:
    """How an accepted step stands, for the person (with their own answer)."""
    if progress.stopped_why is not None:
        return f":black_square_for_stop: Stopped: {STOPPED_WORDS.get(progress.stopped_why, '')}"
    if progress.asked:
        if progress.answer is None:
            said = "check-in sent, not answered yet"
        else:
            said = f"you said *{checkin_form.ANSWER_LABELS[progress.answer]}*"
        if progress.reflection:
            said += f" · “{escape(progress.reflection)}”"
        return f":checkered_flag: Week over: {said}"
    if progress.starts_at is None:
        return ":white_check_mark: In your plan"
    if progress.nudged:
        return ":seedling: In your plan: this week"
    return f":white_check_mark: In your plan: its week starts {slack_date(progress.starts_at)}"


def remove_button(progress: StepProgress) -> ButtonElement | None:
    if not progress.running:
        return None
    return ButtonElement(text="Remove", action_id=REMOVE, value=str(progress.step_id))


def progress_blocks(
    assessment_id: int, steps: Sequence[StepProgress], *, can_share: bool
) -> list[Block]:
    """The plan's count and its buttons: share it, stop it."""
    accepted = [s for s in steps if s.stopped_why is None]
    if not steps:
        return []
    over = sum(1 for s in accepted if s.asked)
    done = sum(1 for s in accepted if s.answer == checkin_form.DONE)
    summary = (
        f"*Your plan*: {len(accepted)} step{'s' if len(accepted) != 1 else ''}, "
        f"{over} week{'s' if over != 1 else ''} over, {done} done."
    )
    if len(accepted) < len(steps):
        summary += f" {len(steps) - len(accepted)} stopped."
    buttons: list[ButtonElement] = []
    if can_share and accepted:
        buttons.append(
            ButtonElement(text="Share my plan", action_id=SHARE, value=str(assessment_id))
        )
    if any(s.running for s in steps):
        buttons.append(
            ButtonElement(
                text="Stop my plan",
                action_id=STOP,
                value=str(assessment_id),
                confirm=ConfirmObject(
                    title="Stop your plan?",
                    text="The steps still to come send nothing more. Your answers stay.",
                    confirm="Stop it",
                    deny="Keep it",
                ),
            )
        )
    blocks: list[Block] = [_section(summary)]
    if buttons:
        blocks.append(ActionsBlock(block_id="assess.plan", elements=buttons))
    return blocks


# --- sharing ---------------------------------------------------------------------------------


def share_modal(assessment_id: int) -> dict[str, Any]:
    return View(
        type="modal",
        callback_id=SHARE_VIEW,
        private_metadata=str(assessment_id),
        title="Share my plan",
        submit="Share",
        close="Cancel",
        blocks=[
            _context(
                "They get a DM with the two areas to develop and your plan's steps with how "
                "far along each is. Never your answers, your check-ins or your scores per "
                "contrast; your overall balance only if you tick the box."
            ),
            InputBlock(
                block_id=SHARE_WITH,
                label="Share with (your manager or a mentor)",
                element=UserSelectElement(action_id=SHARE_WITH, placeholder="Pick a person"),
            ),
            InputBlock(
                block_id=SHARE_NOTE,
                label="A note for them",
                optional=True,
                element=PlainTextInputElement(
                    action_id=SHARE_NOTE, multiline=True, max_length=NOTE_LIMIT
                ),
            ),
            InputBlock(
                block_id=SHARE_BALANCE,
                label="Your balance",
                optional=True,
                element=CheckboxesElement(
                    action_id=SHARE_BALANCE,
                    options=[
                        Option(
                            value="include",
                            text="Include my overall balance (where I lean, and my two averages)",
                        )
                    ],
                ),
            ),
        ],
    ).to_dict()


@dataclass(frozen=True)
class SharedStep:
    week: int
    practice_title: str
    area_name: str | None
    status: str  # "to come", "this week", "week over", "stopped"


@dataclass(frozen=True)
class SharedPlan:
    """Exactly what the chosen person is shown: nothing else of the plan leaves its owner."""

    owner: str
    areas: tuple[str, ...]
    steps: tuple[SharedStep, ...]
    note: str | None
    balance: str | None  # the overall lean and two averages, only when the owner ticked it


def shared_message(plan: SharedPlan) -> Message:
    lines = [f":seedling: <@{plan.owner}> shared their growth plan with you."]
    if plan.note:
        lines.append(f"_Their note:_ {escape(plan.note)}")
    blocks: list[Block] = [_section("\n".join(lines))]
    if plan.balance:
        blocks.append(_section(f"*Their balance*: {plan.balance}"))
    blocks.append(
        _section("*Areas they are developing*\n" + "\n".join(f"• {escape(a)}" for a in plan.areas))
    )
    step_lines = [
        f"• Week {s.week}: *{escape(s.practice_title)}*"
        + (f" · for _{escape(s.area_name)}_" if s.area_name else "")
        + f" · {s.status}"
        for s in plan.steps
    ]
    blocks.append(_section("*Their steps*\n" + "\n".join(step_lines)))
    blocks.append(
        _context(
            f"<@{plan.owner}> chose to share this with you. Their answers and check-ins stay "
            "theirs: ask them how it is going."
        )
    )
    return message_of(f"<@{plan.owner}> shared their growth plan with you", blocks)
