"""Which questions a round asks: a team's pinned set, or a default that rotates weekly."""

from __future__ import annotations

from bot.bank import Bank, Question

DEFAULT_SIZE = 5
MIN_QUESTIONS = 3
MAX_QUESTIONS = 6


class QuestionSetError(ValueError):
    pass


def rotating_default(bank: Bank, week_index: int) -> list[Question]:
    """Five dimensions a week, walking round all of them, each asked with its anchor."""
    dimensions = [d.id for d in bank.dimensions]
    size = min(DEFAULT_SIZE, len(dimensions))
    start = (week_index * size) % len(dimensions)
    chosen = [dimensions[(start + offset) % len(dimensions)] for offset in range(size)]
    return [bank.anchor_of(dimension) for dimension in chosen]


def validate_pinned(bank: Bank, question_ids: list[str]) -> list[str]:
    known = {q.id for q in bank.asked_questions}
    unknown = [qid for qid in question_ids if qid not in known]
    if unknown:
        raise QuestionSetError(f"Unknown question(s): {', '.join(unknown)}.")
    if not MIN_QUESTIONS <= len(question_ids) <= MAX_QUESTIONS:
        raise QuestionSetError(
            f"Pick between {MIN_QUESTIONS} and {MAX_QUESTIONS} questions, so answering takes "
            "under two minutes (or none, for the rotating default)."
        )
    return list(dict.fromkeys(question_ids))


def week_index(period: str) -> int:
    """A running week number from an ISO period like "2026-W48"."""
    year, week = period.split("-W")
    return int(year) * 53 + int(week)
