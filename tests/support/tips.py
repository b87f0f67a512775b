"""What the tips feature showed: the practice behind a tip message, and how many were shown."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.bank import Practice
from bot.tips.store import TipShown
from tests.support.harness import Harness


def shown_practice(harness: Harness, message: dict) -> Practice:
    practice_id = next(
        element["value"]
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == "tip.helpful"
    )
    return harness.services.bank.practice_by_id[practice_id]


def shown_count(harness: Harness) -> int:
    with harness.services.database.transaction() as session:
        return session.scalar(select(func.count()).select_from(TipShown)) or 0
