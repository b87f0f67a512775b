"""A team's pulse history made through the real request path, as a summary test needs it.

Four fixed questions (one per dimension), four members answering with scores a test can
compute by hand, one member who never answers, and one week where too few answered.
(`summary_history` makes its histories with the pulse functions instead, without requests.)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.bank import Bank
from bot.pulse.blocks import ANSWER_PREFIX
from tests.support.harness import ALICE, BOB, CAROL, DAN, Harness
from tests.support.pulse_steps import (
    MANAGERS_ANSWER,
    pinned_questions,
    pulse_dms,
    question_ids,
    set_up_team,
    tick,
)

ANSWERING = [ALICE, BOB, CAROL, DAN]  # Erin never answers
FIRST_MONDAY = datetime(2026, 9, 7, 9, 0, 30, tzinfo=UTC)  # 10:00 London (BST)
WEEKS = 6
THIN_WEEK = 3  # only two people answer this week: below the threshold of 3


def score(member: int, week: int, question: int) -> int:
    return 1 + (member + week + question) % 5


def build_history(harness: Harness, bank: Bank) -> list[str]:
    harness.services.now.set(FIRST_MONDAY - timedelta(days=3))
    questions = pinned_questions(bank)
    set_up_team(harness, ALICE, questions={"questions": questions}, **MANAGERS_ANSWER)
    for week in range(WEEKS):
        opens = FIRST_MONDAY + timedelta(weeks=week)
        if opens.month >= 11 or (opens.month == 10 and opens.day >= 26):
            opens += timedelta(hours=1)  # London is back on GMT
        tick(harness, opens)
        answering = ANSWERING[:2] if week == THIN_WEEK else ANSWERING
        for member, user in enumerate(answering):
            dm = pulse_dms(harness, user)[-1]
            assert question_ids(dm) == questions
            for index, question in enumerate(questions):
                current = pulse_dms(harness, user)[-1]
                harness.slack.click(
                    user, current, f"{ANSWER_PREFIX}{question}:{score(member, week, index)}"
                )
        tick(harness, opens + timedelta(days=3, minutes=1))  # closes
    return questions
