"""The growth plan a result offers: three practices, one a week, aimed at the areas to develop.

The weeks take turns between the areas, the weakest first (A, B, A), each drawing from its
pool of practices that act on that area (`Bank.practices_for_dimension`, which never holds an
event-bound practice). Practices the person accepted into an earlier plan come last in each
pool, so a retake offers fresh ones while any are left; a plan never repeats a practice.
"""

from __future__ import annotations

from collections.abc import Sequence, Set

from bot.bank import Bank, Practice

WEEKS = 3


def offer(bank: Bank, areas: Sequence[str], accepted_before: Set[str]) -> list[str]:
    """Practice ids for weeks 1..WEEKS (fewer only if the pools run dry)."""
    pools = [
        sorted(bank.practices_for_dimension(area), key=lambda p: p.id in accepted_before)
        for area in areas
    ]
    chosen: list[Practice] = []
    turn = 0
    while len(chosen) < WEEKS and any(pools):
        pool = pools[turn % len(pools)]
        turn += 1
        fresh = next((p for p in pool if p not in chosen), None)
        if fresh is None:
            pool.clear()
            continue
        chosen.append(fresh)
    return [practice.id for practice in chosen]


def area_of(bank: Bank, practice_id: str, areas: Sequence[str]) -> str | None:
    """Which of the areas to develop a practice of the plan was offered for."""
    practice = bank.practice_by_id.get(practice_id)
    if practice is None:
        return None
    return next((area for area in areas if area in practice.dimensions), None)
