"""The self-assessment's surfaces: its form, the result (an ephemeral message or a DM), and
its section of the person's own App Home. Every text a person reads about a statement, a
pole or an area comes from the bank (content/assessment.yaml, questions.yaml, topics.yaml).
"""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.assess import plan, plan_blocks
from bot.assess.form import FormReply
from bot.assess.scoring import HIGHEST, LOWEST, Change, Lean, Scores, change_since, one_decimal
from bot.assess.service import AssessmentResult, PlanStep
from bot.bank import Assessment, Bank
from bot.platform.column_types import row_id
from bot.platform.messages import Message, message_of
from bot.platform.mrkdwn import escape
from bot.platform.subcommands import COMMAND
from bot.pulse.blocks import slack_date

FORM_VIEW = "assess.form"
TAKE = "assess.take"  # opens the form: "Take the self-assessment", "Retake"
ADD_STEP = "assess.add_step"
TITLE = "Your balance: leading and managing"
PRIVATE = (
    ":lock: Only you see this: not your managers, not workspace admins, and no summary or export."
)
ELSEWHERE = "The chart is in your DM with me, and your App Home keeps this result."


def assessment_modal(assessment: Assessment, reply: FormReply) -> dict[str, Any]:
    """Every statement, each a required 1-5 choice; block and action id are its id."""
    options = [
        Option(value=str(score), text=assessment.label_of(score))
        for score in range(LOWEST, HIGHEST + 1)
    ]
    intro = (
        f"{len(assessment.statements)} statements about how you lead and manage. Answer for "
        "how you work these days, not how you would like to. Only you will see the result."
    )
    blocks: list[Block] = [ContextBlock(elements=[MarkdownTextObject(text=intro)])]
    blocks += [
        InputBlock(
            block_id=statement.id,
            label=statement.text,
            element=StaticSelectElement(
                action_id=statement.id, placeholder="How much do you agree?", options=options
            ),
        )
        for statement in assessment.statements
    ]
    return View(
        type="modal",
        callback_id=FORM_VIEW,
        private_metadata=reply.to_metadata(),
        title="Your balance",
        submit="See my result",
        close="Cancel",
        blocks=blocks,
    ).to_dict()


def step_value(assessment_id: int, week: int) -> str:
    return f"{assessment_id}:{week}"


def parse_step_value(value: str) -> tuple[int, int]:
    """(assessment id, week) from an "Add to my plan" button; ValueError if it is broken."""
    assessment_part, _, week_part = value.partition(":")
    week = int(week_part)
    if not 1 <= week <= plan.WEEKS:
        raise ValueError(f"week {week} is not in a plan")
    return row_id(assessment_part), week


def _number(value: Fraction | None) -> str:
    return "–" if value is None else str(one_decimal(value))


def _lower_first(words: str) -> str:
    return words[:1].lower() + words[1:]


def _overall(scores: Scores, assessment: Assessment) -> str:
    averages = (
        f"Your leading statements average {_number(scores.leading)} and your managing ones "
        f"{_number(scores.managing)}, each on the 1 to 5 scale"
    )
    balance = scores.balance
    if scores.lean is Lean.BALANCED or balance is None:
        return (
            f"*You are balanced.* {averages}: within {assessment.lean_threshold:g} of each other."
        )
    side = "leading" if balance > 0 else "managing"
    return f"*You are {scores.lean}.* {averages}: {_number(abs(balance))} toward {side}."


def _contrast_lines(scores: Scores, bank: Bank, assessment: Assessment) -> str:
    lines = ["*On each contrast*"]
    limit = Fraction(str(assessment.contrast_lean_threshold))
    for contrast in scores.contrasts:
        poles = assessment.contrast_by_id[contrast.contrast_id]
        topic = bank.topic_by_id.get(contrast.contrast_id)
        name = topic.name if topic else contrast.contrast_id
        balance = contrast.balance
        if balance is None:
            lines.append(f"• *{name}*: not answered")
            continue
        if balance >= limit:
            lean = f"leans to _{_lower_first(poles.leading)}_"
        elif balance <= -limit:
            lean = f"leans to _{_lower_first(poles.managing)}_"
        else:
            lean = "even"
        lines.append(
            f"• *{name}*: {lean} ({poles.leading} {_number(contrast.leading)} · "
            f"{poles.managing} {_number(contrast.managing)})"
        )
    return "\n".join(lines)


def _moved(change: Fraction | None) -> bool:
    """Whether a change shows: one too small to show at one decimal is no change."""
    return change is not None and one_decimal(abs(change)) != 0


def _move(change: Fraction) -> str:
    side = "leading" if change > 0 else "managing"
    return f"you moved {_number(abs(change))} toward {side}"


def _change_lines(change: Change, since: datetime | None, bank: Bank) -> str:
    when = f" ({slack_date(since)})" if since is not None else ""
    overall = (
        f"{_move(change.overall)} overall"
        if change.overall is not None and _moved(change.overall)
        else "your overall balance did not move"
    )
    lines = [f"*Since last time*{when}: {overall}."]
    still: list[str] = []
    for contrast_id, moved in change.contrasts:
        topic = bank.topic_by_id.get(contrast_id)
        name = topic.name if topic else contrast_id
        if _moved(moved):
            lines.append(f"• {_move(moved)} on *{name}*")
        else:
            still.append(name)
    if still:
        lines.append(f"• no change on {', '.join(still)}")
    return "\n".join(lines)


def _areas(scores: Scores, bank: Bank, assessment: Assessment) -> str:
    ratings = scores.area_by_id
    lines = [f"*{'Two areas' if len(scores.to_develop) == 2 else 'Areas'} to develop*"]
    for area_id in scores.to_develop:
        dimension = bank.dimension_by_id.get(area_id)
        area = assessment.area_by_id.get(area_id)
        name = dimension.name if dimension else area_id
        advice = area.advice if area else ""
        lines.append(
            f"• *{name}* (you rate yourself {_number(ratings[area_id].rating)} of 5): {advice}"
        )
    return "\n".join(lines)


def _plan_blocks(result: AssessmentResult, bank: Bank) -> list[Block]:
    if not result.plan:
        return []
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text="*A growth plan: one practice a week, aimed at those areas.* Add the "
                "ones you mean to try."
            )
        )
    ]
    for step in result.plan:
        blocks.append(_step_block(result, step, bank))
    progress = [step.progress for step in result.plan if step.progress is not None]
    return blocks + plan_blocks.progress_blocks(result.assessment_id, progress, can_share=True)


def _step_block(result: AssessmentResult, step: PlanStep, bank: Bank) -> Block:
    practice = bank.practice_by_id.get(step.practice_id)
    if practice is None:  # retired from the bank since the plan was offered
        return SectionBlock(
            text=MarkdownTextObject(text=f"*Week {step.week}*: that practice has been retired.")
        )
    area = plan.area_of(bank, practice.id, result.scores.to_develop)
    dimension = bank.dimension_by_id.get(area) if area else None
    aimed = f" · for _{dimension.name}_" if dimension else ""
    text = f"*Week {step.week} · {escape(practice.title)}*{aimed}\n{escape(practice.try_this)}"
    if step.progress is not None:  # accepted: how it is going, and a way to take it out
        return SectionBlock(
            block_id=f"{ADD_STEP}.{step.week}",
            text=MarkdownTextObject(text=f"{text}\n{plan_blocks.status_line(step.progress)}"),
            accessory=plan_blocks.remove_button(step.progress),
        )
    status = "\n:white_check_mark: In your plan" if step.accepted else ""
    return SectionBlock(
        block_id=f"{ADD_STEP}.{step.week}",
        text=MarkdownTextObject(text=text + status),
        accessory=None
        if step.accepted
        else ButtonElement(
            text="Add to my plan",
            action_id=ADD_STEP,
            value=step_value(result.assessment_id, step.week),
        ),
    )


def result_blocks(
    result: AssessmentResult, bank: Bank, assessment: Assessment, *, on_home: bool = False
) -> list[Block]:
    scores = result.scores
    blocks: list[Block] = [
        HeaderBlock(text=TITLE),
        SectionBlock(text=MarkdownTextObject(text=_overall(scores, assessment))),
    ]
    if result.previous is not None:
        change = change_since(scores, result.previous)
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=_change_lines(change, result.previous_taken_at, bank))
            )
        )
    blocks += [
        SectionBlock(text=MarkdownTextObject(text=_contrast_lines(scores, bank, assessment))),
        SectionBlock(text=MarkdownTextObject(text=_areas(scores, bank, assessment))),
        *_plan_blocks(result, bank),
        ActionsBlock(
            block_id=TAKE,
            elements=[ButtonElement(text="Retake", action_id=TAKE, value="retake")],
        ),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=f"{PRIVATE} Taken {slack_date(result.taken_at)}."
                    + ("" if on_home else " " + ELSEWHERE)
                )
            ]
        ),
    ]
    return blocks


def result_message(result: AssessmentResult, bank: Bank, assessment: Assessment) -> Message:
    return message_of(
        f"Your balance between leading and managing: {result.scores.lean}",
        result_blocks(result, bank, assessment),
    )


def home_blocks(
    result: AssessmentResult | None, bank: Bank, assessment: Assessment
) -> list[dict[str, Any]]:
    """The person's own section of their App Home: their latest result, or an invitation."""
    if result is not None:
        return [block.to_dict() for block in result_blocks(result, bank, assessment, on_home=True)]
    invitation = (
        f"{len(assessment.statements)} short statements, a few minutes: see where you lean "
        "between leading and managing on each contrast, the two areas to develop, and a "
        f"plan of practices for them. Only you see the result. (Or type `{COMMAND} assess`.)"
    )
    blocks: list[Block] = [
        HeaderBlock(text="Know your balance"),
        SectionBlock(text=MarkdownTextObject(text=invitation)),
        ActionsBlock(
            block_id=TAKE,
            elements=[ButtonElement(text="Take the self-assessment", action_id=TAKE, value="take")],
        ),
    ]
    return [block.to_dict() for block in blocks]
