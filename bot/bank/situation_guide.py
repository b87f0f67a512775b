"""The cross-checks of content/situation_guide.yaml: every id it names exists, each side
and each factor can be answered, and every practice bound to a moment can be reached."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bot.bank.models import Lens, Practice, Situation, SituationGuide, Topic

# Slack shows at most 10 checkboxes in one group, and 100 options in a select.
MAX_FACTORS = 10
MAX_EVENTS = 100


def check_situation_guide(
    guide: SituationGuide,
    path: Path,
    topics: list[Topic],
    situations: list[Situation],
    practices: list[Practice],
) -> list[str]:
    """Every problem of the guide, each as "file: entry: what is wrong"."""
    return [
        *_check_factors(guide, path, {topic.id for topic in topics}),
        *_check_styles(guide, path, {topic.id for topic in topics}, situations),
        *_check_events(guide, path, situations, practices),
    ]


def _repeated(ids: list[str]) -> list[str]:
    return sorted(item for item, count in Counter(ids).items() if count > 1)


def _check_factors(guide: SituationGuide, path: Path, topic_ids: set[str]) -> list[str]:
    problems: list[str] = []
    for repeated in _repeated([factor.id for factor in guide.factors]):
        problems.append(f"{path}: factor '{repeated}' is defined more than once")
    if len(guide.factors) > MAX_FACTORS:
        problems.append(
            f"{path}: {len(guide.factors)} factors; a form shows at most {MAX_FACTORS} checkboxes"
        )
    for factor in guide.factors:
        where = f"{path}: factor '{factor.id}'"
        if factor.side not in (Lens.LEADERSHIP, Lens.MANAGEMENT):
            problems.append(f"{where}: side is 'leadership' or 'management'")
        for topic_id in factor.topics:
            if topic_id not in topic_ids:
                problems.append(f"{where}: unknown topic '{topic_id}'")
    for side in (Lens.LEADERSHIP, Lens.MANAGEMENT):
        if not any(factor.side is side for factor in guide.factors):
            problems.append(f"{path}: no factor on the {side} side")
    return problems


def _check_styles(
    guide: SituationGuide, path: Path, topic_ids: set[str], situations: list[Situation]
) -> list[str]:
    problems: list[str] = []
    factor_ids = set(guide.factor_by_id)
    situation_ids = {situation.id for situation in situations}
    for repeated in _repeated([style.id for style in guide.styles]):
        problems.append(f"{path}: style '{repeated}' is defined more than once")
    if len(guide.styles) < 2:
        problems.append(f"{path}: needs at least two styles (one that fits, one to avoid)")
    for style in guide.styles:
        where = f"{path}: style '{style.id}'"
        if style.topic not in topic_ids:
            problems.append(f"{where}: unknown topic '{style.topic}'")
        for field, ids, known, kind in (
            ("helps", style.helps, factor_ids, "factor"),
            ("hurts", style.hurts, factor_ids, "factor"),
            ("helps_after", style.helps_after, situation_ids, "situation"),
            ("hurts_after", style.hurts_after, situation_ids, "situation"),
        ):
            for unknown in [i for i in ids if i not in known]:
                problems.append(f"{where}: {field}: unknown {kind} '{unknown}'")
        for both in sorted(set(style.helps) & set(style.hurts)):
            problems.append(f"{where}: '{both}' is under both helps and hurts")
        for both in sorted(set(style.helps_after) & set(style.hurts_after)):
            problems.append(f"{where}: '{both}' is under both helps_after and hurts_after")
    # A factor no style helps (or hurts) chosen alone would leave that half of the answer
    # to the tie-break, with nothing to say for it.
    for factor in guide.factors:
        for field in ("helps", "hurts"):
            if not any(factor.id in getattr(style, field) for style in guide.styles):
                problems.append(f"{path}: factor '{factor.id}': no style lists it under {field}")
    return problems


def _check_events(
    guide: SituationGuide, path: Path, situations: list[Situation], practices: list[Practice]
) -> list[str]:
    problems: list[str] = []
    situation_ids = {situation.id for situation in situations}
    factor_ids = set(guide.factor_by_id)
    # An unknown situation in `only_when` is the practice's problem, reported by the loader.
    bound = {s for practice in practices for s in practice.only_when if s in situation_ids}
    for repeated in _repeated([event.situation for event in guide.events]):
        problems.append(f"{path}: event '{repeated}' is listed more than once")
    if len(guide.events) > MAX_EVENTS:
        problems.append(f"{path}: {len(guide.events)} events; a menu holds at most {MAX_EVENTS}")
    for event in guide.events:
        where = f"{path}: event '{event.situation}'"
        if event.situation not in situation_ids:
            problems.append(f"{where}: unknown situation (the situations are in topics.yaml)")
        elif event.situation not in bound:
            problems.append(
                f"{where}: no practice is bound to it (only_when), so there is nothing "
                "to offer for it"
            )
        for unknown in [i for i in event.implies if i not in factor_ids]:
            problems.append(f"{where}: implies: unknown factor '{unknown}'")
    listed = {event.situation for event in guide.events}
    for situation_id in sorted(bound - listed):
        problems.append(
            f"{path}: practices are bound to situation '{situation_id}' but no event names "
            "it, so nothing reaches them; add it under events:"
        )
    return problems
