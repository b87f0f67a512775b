"""A growth plan's weeks, the way its tests drive them: Alice presses "Add to my plan", clocks
tick at her mornings, and her DMs are read.

Alice is in Europe/London (BST, UTC+1, until 25 October 2026). She takes the assessment on
Monday 7 September 2026 at 11:00 her time (`START`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot import clock as scheduler
from bot.assess.store import TakenAssessment
from tests.support.assess_steps import result_messages
from tests.support.harness import ALICE, Harness, text_of
from tests.support.pulse_steps import tick

START = datetime(2026, 9, 7, 10, 0, tzinfo=UTC)
ADD = "assess.add_step"
NUDGE = "of your growth plan*:"
CHECKIN = "of your growth plan ends today"
REFLECTION = "Asked two people what they would drop; both had an answer."


def morning(day: int) -> datetime:
    """9:00 in London (08:00 UTC) on 7 September + `day`."""
    return datetime(2026, 9, 7 + day, 8, 0, tzinfo=UTC)


def latest_assessment(harness: Harness, user: str = ALICE) -> TakenAssessment:
    with harness.services.database.reading() as session:
        row = session.scalars(
            select(TakenAssessment)
            .where(TakenAssessment.user_id == user)
            .order_by(TakenAssessment.id.desc())
        ).first()
        assert row is not None
        session.expunge(row)
        return row


def accept(harness: Harness, weeks: list[int], minutes_apart: int = 5) -> TakenAssessment:
    """Alice presses "Add to my plan" on her latest result, week by week in this order."""
    row = latest_assessment(harness)
    for week in weeks:
        harness.services.now.set(harness.services.now() + timedelta(minutes=minutes_apart))
        result = result_messages(harness, ALICE)[-1]
        harness.slack.click(ALICE, result, ADD, value=f"{row.id}:{week}")
        harness.wait_until_idle()
    return row


def two_clocks(harness: Harness, at: datetime) -> None:
    """Two clocks tick at the same moment, then one again a minute later."""
    harness.services.now.set(at)
    for worker in ("clock-a", "clock-b"):
        scheduler.tick(
            harness.services, at, sender=scheduler.build_sender(harness.services, worker)
        )
    tick(harness, at + timedelta(minutes=1))
    harness.wait_until_idle()


def dms(harness: Harness, needle: str, user: str = ALICE) -> list[dict]:
    return [m for m in harness.workspace.dm_messages(user) if needle in text_of(m)]
