"""The rules of `/lvm situation`: from the factors a person ticked (and the moment they named),
the side to lean on, the style that fits and the one to avoid, and where its two practices
come from. Plain functions of the bank (content/situation_guide.yaml); no Slack, no database.

- Side: each factor counted (ticked, or brought by the moment) pulls toward its side; the side
  with more wins, and a tie means both, in balance.
- Styles: a style scores one for each counted factor and the moment it helps with, minus one
  for each it hurts. The style that fits is the highest score (ties: the one that hurts fewer,
  then the earlier in the guide); the one to avoid is the lowest of the rest (ties: the one
  that hurts more, then the earlier).
- Practices: with a moment, one bound to it (`only_when`) and one for the side; without, one
  for the side and one for the style that fits. The side's are the practices served at random
  on the counted factors' topics, of that side's lens or both (any lens in balance).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.bank import Bank, LeadershipStyle, Lens, Practice, SituationEvent, SituationFactor

SIDES = (Lens.LEADERSHIP, Lens.MANAGEMENT)


class NothingChosen(ValueError):
    """Neither a factor nor a moment was chosen."""


class UnknownChoice(ValueError):
    """A factor or moment the guide does not hold (an old form, or a forged one)."""


class UnknownFactor(UnknownChoice):
    pass


class UnknownEvent(UnknownChoice):
    pass


@dataclass(frozen=True)
class Counted:
    """A factor the answer counts; `from_event` when only the moment brought it."""

    factor: SituationFactor
    from_event: bool = False


@dataclass(frozen=True)
class StyleCall:
    """A style, its score here, and what it helps with (or hurts) among what was counted."""

    style: LeadershipStyle
    score: int
    helps: tuple[str, ...]  # the labels of the factors and the moment it helps with
    hurts: tuple[str, ...]


@dataclass(frozen=True)
class PracticePool:
    """Where one of the two practices is drawn from; `query_text` is what "Another tip" asks."""

    kind: str  # EVENT, SIDE or STYLE
    practices: tuple[Practice, ...]
    query_text: str


EVENT, SIDE, STYLE = "event", "side", "style"


@dataclass(frozen=True)
class Advice:
    event: SituationEvent | None
    counted: tuple[Counted, ...]
    side: Lens  # LEADERSHIP, MANAGEMENT, or BOTH for a balance
    fits: StyleCall
    avoid: StyleCall
    pools: tuple[PracticePool, PracticePool]

    def on_side(self, side: Lens) -> tuple[Counted, ...]:
        return tuple(c for c in self.counted if c.factor.side is side)


def advise(bank: Bank, factor_ids: Sequence[str], event_situation: str | None = None) -> Advice:
    """The answer to a situation; raises NothingChosen or UnknownChoice (naming the ids)."""
    guide = bank.situation_guide
    unknown = [i for i in factor_ids if i not in guide.factor_by_id]
    if unknown:
        raise UnknownFactor(", ".join(unknown))
    event = None
    if event_situation:
        event = guide.event_by_situation.get(event_situation)
        if event is None:
            raise UnknownEvent(event_situation)
    if not factor_ids and event is None:
        raise NothingChosen()
    counted = count_factors(bank, factor_ids, event)
    side = lean(counted)
    fits, avoid = judge_styles(bank, counted, event)
    return Advice(
        event=event,
        counted=counted,
        side=side,
        fits=fits,
        avoid=avoid,
        pools=practice_pools(bank, counted, side, fits.style, event),
    )


def count_factors(
    bank: Bank, factor_ids: Sequence[str], event: SituationEvent | None
) -> tuple[Counted, ...]:
    """The ticked factors and the moment's, each once, in the guide's order."""
    ticked = set(factor_ids)
    brought = set(event.implies) if event else set()
    return tuple(
        Counted(factor, from_event=factor.id not in ticked)
        for factor in bank.situation_guide.factors
        if factor.id in ticked or factor.id in brought
    )


def lean(counted: Sequence[Counted]) -> Lens:
    """The side with more counted factors; BOTH on a tie."""
    leading = sum(1 for c in counted if c.factor.side is Lens.LEADERSHIP)
    managing = sum(1 for c in counted if c.factor.side is Lens.MANAGEMENT)
    if leading > managing:
        return Lens.LEADERSHIP
    if managing > leading:
        return Lens.MANAGEMENT
    return Lens.BOTH


def style_call(
    style: LeadershipStyle, counted: Sequence[Counted], event: SituationEvent | None
) -> StyleCall:
    helps = [c.factor.label for c in counted if c.factor.id in style.helps]
    hurts = [c.factor.label for c in counted if c.factor.id in style.hurts]
    if event and event.situation in style.helps_after:
        helps.append(event.label)
    if event and event.situation in style.hurts_after:
        hurts.append(event.label)
    return StyleCall(style, len(helps) - len(hurts), tuple(helps), tuple(hurts))


def judge_styles(
    bank: Bank, counted: Sequence[Counted], event: SituationEvent | None
) -> tuple[StyleCall, StyleCall]:
    """(the style that fits, the one to avoid): never the same one."""
    calls = [style_call(style, counted, event) for style in bank.situation_guide.styles]
    order = {call.style.id: index for index, call in enumerate(calls)}
    fits = min(calls, key=lambda c: (-c.score, len(c.hurts), order[c.style.id]))
    rest = [call for call in calls if call is not fits]
    avoid = min(rest, key=lambda c: (c.score, -len(c.hurts), order[c.style.id]))
    return fits, avoid


def side_pool(bank: Bank, counted: Sequence[Counted], side: Lens) -> PracticePool:
    """Practices served at random on the topics of the side's counted factors (all of them in
    a balance), of the side's lens or both; the side's whole lens if none are on them."""
    on_side = [c for c in counted if side is Lens.BOTH or c.factor.side is side]
    topics = {topic for c in on_side for topic in c.factor.topics}
    lenses = set(Lens) if side is Lens.BOTH else {side, Lens.BOTH}
    practices = tuple(
        p for p in bank.practices_at_random if p.lens in lenses and topics.intersection(p.topics)
    )
    return PracticePool(SIDE, practices or tuple(bank.practices_for_lens(side)), side.value)


def practice_pools(
    bank: Bank,
    counted: Sequence[Counted],
    side: Lens,
    fits: LeadershipStyle,
    event: SituationEvent | None,
) -> tuple[PracticePool, PracticePool]:
    leaning = side_pool(bank, counted, side)
    if event is not None:
        bound = tuple(p for p in bank.practices if event.situation in p.only_when)
        return PracticePool(EVENT, bound, event.situation), leaning
    style = PracticePool(STYLE, tuple(bank.practices_for_topic(fits.topic)), fits.topic)
    return leaning, style


def event_named(bank: Bank, text: str) -> SituationEvent | None:
    """The moment typed after `/lvm situation`, by its situation's id or an alias
    (`reorg`, `outage`, `missed deadlines`); None if the text names none of them."""
    words = [word.lower().replace("_", "-") for word in text.split()]
    if not words:
        return None
    names = {
        name.lower(): situation.id
        for situation in bank.situations
        for name in (situation.id, *situation.aliases)
    }
    for phrase in ("-".join(words), *words):
        situation_id = names.get(phrase)
        if situation_id in bank.situation_guide.event_by_situation:
            return bank.situation_guide.event_by_situation[situation_id]
    return None
