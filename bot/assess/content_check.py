"""The self-assessment's part of `lvm-bot content check`: its form and results rendered as
Slack would take them, and a line on what it asks."""

from __future__ import annotations

from datetime import UTC, datetime

from slack_sdk.errors import SlackObjectFormationError

from bot.assess import plan
from bot.assess.blocks import assessment_modal, home_blocks, result_message
from bot.assess.form import FormReply
from bot.assess.scoring import HIGHEST, LOWEST, score
from bot.assess.service import AssessmentResult, PlanStep
from bot.bank import Bank, BankError

SAMPLE_DAY = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def check_rendering(bank: Bank) -> None:
    """Build the form, and a result for all-lowest and all-highest answers (the longest
    texts: every contrast leaning, a change on each), within Block Kit's limits."""
    assessment = bank.assessment
    if assessment is None:
        return
    try:
        assessment_modal(assessment, FormReply("https://hooks.slack.com/commands/T0/1/x"))
        for answer, before in ((LOWEST, HIGHEST), (HIGHEST, LOWEST)):
            scores = score(assessment, {s.id: answer for s in assessment.statements})
            offered = plan.offer(bank, scores.to_develop, set())
            result = AssessmentResult(
                assessment_id=1,
                taken_at=SAMPLE_DAY,
                scores=scores,
                plan=tuple(PlanStep(week, p, False) for week, p in enumerate(offered, start=1)),
                previous=score(assessment, {s.id: before for s in assessment.statements}),
                previous_taken_at=SAMPLE_DAY,
            )
            result_message(result, bank, assessment)
            home_blocks(result, bank, assessment)
    except SlackObjectFormationError as error:
        raise BankError([f"content: assessment.yaml: breaks a Block Kit limit: {error}"]) from None


def describe(bank: Bank) -> list[str]:
    assessment = bank.assessment
    if assessment is None:
        return []
    reverse = sum(1 for s in assessment.statements if s.reverse)
    return [
        f"self-assessment: {len(assessment.statements)} statements on "
        f"{len(assessment.contrasts)} contrasts ({reverse} reverse-worded), "
        f"{len(assessment.areas)} areas; leaning at a balance of {assessment.lean_threshold:g}"
    ]
