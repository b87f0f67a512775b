"""`/lvm situation`'s use case: answer a submitted form once, with two practices drawn as tips
are (what the person has seen least, "not for me" last) and recorded as shown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.bank import Practice
from bot.platform.services import Services
from bot.situation import store
from bot.situation.guide import Advice, PracticePool, advise
from bot.tips.service import choose_among


@dataclass(frozen=True)
class ChosenPractice:
    practice: Practice
    pool: PracticePool


@dataclass(frozen=True)
class SituationAnswer:
    advice: Advice
    practices: tuple[ChosenPractice, ChosenPractice]


def answer_situation(
    services: Services,
    *,
    team_id: str,
    user_id: str,
    view_id: str,
    factor_ids: Sequence[str],
    event_situation: str | None,
) -> SituationAnswer | None:
    """The answer to a form, or None if this form was answered already.

    Raises guide.NothingChosen or guide.UnknownChoice (nothing is stored then)."""
    bank = services.bank
    advice = advise(bank, factor_ids, event_situation)
    now = services.now()
    with services.database.transaction() as session:
        if not store.claim_answer(session, team_id, view_id, now):
            return None
        chosen: list[ChosenPractice] = []
        for pool in advice.pools:
            taken = {c.practice.id for c in chosen}
            candidates = [p for p in pool.practices if p.id not in taken] or [
                p for p in bank.practices_for_lens(advice.side) if p.id not in taken
            ]
            practice = choose_among(
                session,
                bank,
                candidates,
                team_id=team_id,
                user_id=user_id,
                now=now,
                rng=services.rng,
            )
            chosen.append(ChosenPractice(practice, pool))
    return SituationAnswer(advice, (chosen[0], chosen[1]))
