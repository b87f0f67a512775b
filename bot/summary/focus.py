"""Strongest, weakest, the candidates for the team's focus, and the focus itself.

An area's *level* is its windowed level (bot/summary/trends.py): the last `WINDOW` shown
rounds of its current series, so one round's chance moves it little. Every rule here reads
levels, never one round's value, and every comparison allows for normal variation (the
noise band for the number who answered, `noise_between`).

A *fall* counts only when it is beyond normal variation, in one of two ways:
- *real*: the level is below the level of the up-to-`WINDOW` shown rounds before its window
  by at least their noise band (`LevelChange.within_noise` is false);
- *sustained*: each of the two latest shown rounds is below the level of the up-to-`WINDOW`
  shown rounds before them, and the two together are below it by at least their noise
  band. A recent shift shows here before four rounds of it fill the window.

*Candidates* (at most `CANDIDATES`, each with its reasons) are offered to the team's
managers, with a button each, to choose the focus:
1. the *lowest* area below `HIGH`. It holds still: the area that is the focus now (carried
   from one round's close to the next, bot/summary/focus_choice.py) stays the lowest
   candidate while no area is lower than it by at least `HOLD` times their noise band;
2. the findings of the rules in `RULES` for areas not offered yet: an area with a real or
   sustained fall, the steepest first;
3. failing those, the next lowest area.
4. In a lead's own summary only, the widest *blind spot* (an area they rate themselves
   higher on than their team does, beyond normal variation: bot/summary/self_view.py), a
   finding of a `PRIVATE` rule: it is added on top of the candidates above, or as a further
   reason on one of them, so the others are exactly those every manager sees. Nothing
   stored depends on it: the focus itself is never picked with it, and a manager's stored
   choice keeps the area, not why.
An area at or above `HIGH` is never a candidate, however far it fell. At the *ceiling*
(every shown area at `HIGH` or above) the candidates are the lowest areas as a *stretch*:
from good to great.

The *focus* is, in this order:
1. the area an active commitment holds (`held_dimension`), while it is shown in the span;
2. the area a manager chose, while it stands: it stops standing when it is no longer shown
   in the span, or when its level has reached `HIGH` while another area is below `HIGH`
   (it no longer needs the focus; the summary says so, and the next close carries the
   suggested focus instead);
3. the first candidate, suggested.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from bot.bank import Bank, Dimension, Practice
from bot.summary.self_view import widest_blind_spot
from bot.summary.trends import (
    WINDOW,
    DimensionScore,
    DimensionTrend,
    Fall,
    Focus,
    FocusCandidate,
    LapsedChoice,
    Level,
    RoundView,
    SelfGap,
    difference,
    noise_between,
    read_level,
)

HIGH = 4.0  # on the 1-5 scale: "agree" and above needs no repair, only a stretch
CANDIDATES = 2
# The focus moves to a lower area only when that area is lower by at least this many noise
# bands: below one, the focus would follow chance (tests/summary/test_focus_simulation.py).
HOLD = 0.5
RECENT = 2  # the latest rounds a sustained fall is read over

SUGGESTED, CHOSEN, HELD = "suggested", "chosen", "held"  # Focus.origin


class Reason(StrEnum):
    LOWEST = "lowest"  # the lowest level (or held as the lowest: see the module docstring)
    FALL = "fall"  # a real or a sustained fall
    NEXT_LOWEST = "next_lowest"
    STRETCH = "stretch"  # at the ceiling: the lowest areas, as a stretch
    # The viewing lead rates themselves higher here than the team does (their view only).
    SELF_ABOVE_TEAM = "self_above_team"


@dataclass(frozen=True)
class FocusChoice:
    """A manager's choice of focus, as stored (bot/summary/focus_store.py)."""

    dimension_id: str
    chosen_by: str
    chosen_at: datetime


@dataclass(frozen=True)
class Finding:
    """Why one area may be the focus, from one rule."""

    trend: DimensionTrend
    reason: Reason
    fall: Fall | None = None
    self_gap: SelfGap | None = None


# A rule: (areas below HIGH, the span's views, the viewing lead's own self-ratings: empty
# unless they are looking at their own team) -> findings, the strongest first.
Rule = Callable[[Sequence[DimensionTrend], Sequence[RoundView], Mapping[str, float]], list[Finding]]


def extremes(
    trends: Sequence[DimensionTrend],
) -> tuple[DimensionTrend | None, DimensionTrend | None]:
    """(strongest, weakest) by windowed level, as the area lines and the focus read them
    (not one round's value); neither when all dimensions are level.

    max/min keep the first of equals, so ties go to the bank's order, stably.
    """
    if not trends:
        return None, None
    high = max(trends, key=lambda trend: level_of(trend).average)
    low = min(trends, key=lambda trend: level_of(trend).average)
    if level_of(high).average == level_of(low).average:
        return None, None
    return high, low


def level_of(trend: DimensionTrend) -> Level:
    """The area's windowed level (a trend built without one: its latest value, one round)."""
    if trend.level is not None:
        return trend.level
    moment = trend.latest_opens_at or datetime.min
    return Level(trend.latest, 1, None, 0.0, 1, 0, 1, moment, moment)


def _points(
    trend: DimensionTrend, views: Sequence[RoundView]
) -> list[tuple[RoundView, DimensionScore]]:
    """The shown rounds of the area's current series (`views`: the span the trend is of)."""
    return [
        (view, view.scores[trend.dimension_id])
        for view in views[trend.series_start :]
        if trend.dimension_id in view.scores
        and view.scores[trend.dimension_id].basis == trend.basis
    ]


def fall_of(trend: DimensionTrend, views: Sequence[RoundView]) -> Fall | None:
    """A real or sustained fall (see the module docstring), or None."""
    change = trend.level_change
    if change is not None and change.change < 0 and not change.within_noise:
        level = level_of(trend)
        return Fall(
            change.change,
            change.noise,
            level.rounds,
            change.previous.rounds,
            level.people,
            sustained=False,
        )
    points = _points(trend, views)
    recent, earlier = points[-RECENT:], points[-RECENT - WINDOW : -RECENT]
    before, now = read_level(earlier), read_level(recent)
    if len(recent) < RECENT or before is None or now is None:
        return None
    if any(score.average >= before.average for _, score in recent):
        return None
    drop = difference(now.average, before.average)
    noise = noise_between(now.weight, before.weight)
    if -drop < noise:
        return None
    return Fall(drop, noise, now.rounds, before.rounds, now.people, sustained=True)


def falling(
    trends: Sequence[DimensionTrend], views: Sequence[RoundView], own: Mapping[str, float]
) -> list[Finding]:
    """Areas with a real or sustained fall, the steepest first."""
    findings = [
        Finding(trend, Reason.FALL, fall)
        for trend in trends
        if (fall := fall_of(trend, views)) is not None
    ]
    return sorted(findings, key=lambda finding: finding.fall.change if finding.fall else 0.0)


def self_above_team(
    trends: Sequence[DimensionTrend], views: Sequence[RoundView], own: Mapping[str, float]
) -> list[Finding]:
    """The widest blind spot among the areas below HIGH (none without self-ratings)."""
    by_id = {trend.dimension_id: trend for trend in trends}
    gap = widest_blind_spot(trends, own)
    if gap is None:
        return []
    return [Finding(by_id[gap.dimension_id], Reason.SELF_ABOVE_TEAM, self_gap=gap)]


# The rules after the lowest level, in the order their findings fill the candidates.
RULES: tuple[Rule, ...] = (falling, self_above_team)
# Rules that read the viewer's own self-ratings: their first finding is added on top of the
# team's candidates (see the module docstring), never in their place.
PRIVATE: frozenset[Rule] = frozenset({self_above_team})


def _lowest(
    ranked: Sequence[DimensionTrend], current: str | None
) -> tuple[DimensionTrend, DimensionTrend | None]:
    """The lowest area, or the current focus held in its place; and the lower one it holds
    against, if any."""
    lowest = ranked[0]
    held = next((trend for trend in ranked if trend.dimension_id == current), None)
    if held is None or held is lowest:
        return lowest, None
    held_level, lowest_level = level_of(held), level_of(lowest)
    gap = difference(held_level.average, lowest_level.average)
    if gap >= HOLD * noise_between(held_level.weight, lowest_level.weight):
        return lowest, None
    return held, lowest


def _candidate(
    trend: DimensionTrend,
    reasons: Sequence[Reason],
    *,
    fall: Fall | None = None,
    lower: DimensionTrend | None = None,
    self_gap: SelfGap | None = None,
) -> FocusCandidate:
    return FocusCandidate(
        dimension_id=trend.dimension_id,
        name=trend.name,
        level=level_of(trend),
        reasons=tuple(str(reason) for reason in reasons),
        fall=fall,
        lower=None if lower is None else (lower.name, level_of(lower).average),
        self_gap=self_gap,
    )


def at_ceiling(trends: Sequence[DimensionTrend]) -> bool:
    return bool(trends) and all(level_of(trend).average >= HIGH for trend in trends)


def candidates_of(
    trends: Sequence[DimensionTrend],
    views: Sequence[RoundView],
    *,
    current: str | None = None,
    rules: Sequence[Rule] = RULES,
    own: Mapping[str, float] | None = None,
) -> tuple[FocusCandidate, ...]:
    """The areas offered as the focus, with their reasons (see the module docstring).

    `views`: the span `trends` were built from; `current`: the area that is the focus now;
    `own`: the viewing lead's self-ratings, only when they look at their own team.
    """
    shared = _shared_candidates(
        trends, views, current=current, rules=[r for r in rules if r not in PRIVATE]
    )
    ranked = [trend for trend in trends if level_of(trend).average < HIGH]
    if not own or not shared or at_ceiling(trends):
        return shared
    private = [finding for rule in rules if rule in PRIVATE for finding in rule(ranked, views, own)]
    if not private:
        return shared
    first = private[0]
    for index, candidate in enumerate(shared):
        if candidate.dimension_id == first.trend.dimension_id:
            widened = replace(
                candidate,
                reasons=(*candidate.reasons, str(first.reason)),
                self_gap=first.self_gap,
            )
            return (*shared[:index], widened, *shared[index + 1 :])
    return (*shared, _candidate(first.trend, [first.reason], self_gap=first.self_gap))


def _shared_candidates(
    trends: Sequence[DimensionTrend],
    views: Sequence[RoundView],
    *,
    current: str | None,
    rules: Sequence[Rule],
) -> tuple[FocusCandidate, ...]:
    """The candidates every manager of the team sees (no private rule among `rules`)."""
    ranked = sorted(trends, key=lambda trend: level_of(trend).average)  # stable: bank order
    if at_ceiling(trends):
        return tuple(_candidate(trend, [Reason.STRETCH]) for trend in ranked[:CANDIDATES])
    ranked = [trend for trend in ranked if level_of(trend).average < HIGH]
    if not ranked:
        return ()
    first, lower = _lowest(ranked, current)
    findings = [finding for rule in rules for finding in rule(ranked, views, {})]
    own = next((f for f in findings if f.trend is first), None)
    chosen = [
        _candidate(
            first,
            [Reason.LOWEST, *([own.reason] if own else [])],
            fall=own.fall if own else None,
            lower=lower,
        )
    ]
    offered = {first.dimension_id}
    for finding in findings:
        if len(chosen) >= CANDIDATES:
            break
        if finding.trend.dimension_id not in offered:
            chosen.append(_candidate(finding.trend, [finding.reason], fall=finding.fall))
            offered.add(finding.trend.dimension_id)
    for trend in ranked:
        if len(chosen) >= CANDIDATES:
            break
        if trend.dimension_id not in offered:
            chosen.append(_candidate(trend, [Reason.NEXT_LOWEST]))
            offered.add(trend.dimension_id)
    return tuple(chosen)


def practices_for(bank: Bank, dimension: Dimension) -> list[Practice]:
    """The dimension's pool: the practices curated as acting on its statements."""
    return bank.practices_for_dimension(dimension.id)


def pick_practice(
    bank: Bank, dimension: Dimension, *, avoid: Collection[str], rng: random.Random
) -> Practice | None:
    """A practice from the dimension's pool, preferring ones the team has not committed to."""
    pool = practices_for(bank, dimension)
    fresh = [p for p in pool if p.id not in avoid] or pool
    return rng.choice(fresh) if fresh else None


def choice_stands(choice: FocusChoice, trends: Sequence[DimensionTrend]) -> bool:
    """Whether a manager's choice is still the focus (see the module docstring)."""
    trend = next((t for t in trends if t.dimension_id == choice.dimension_id), None)
    if trend is None:
        return False
    return level_of(trend).average < HIGH or at_ceiling(trends)


def lapsed(choice: FocusChoice | None, trends: Sequence[DimensionTrend]) -> LapsedChoice | None:
    """A manager's choice that no longer stands, to say so in the summary."""
    if choice is None or choice_stands(choice, trends):
        return None
    trend = next((t for t in trends if t.dimension_id == choice.dimension_id), None)
    return LapsedChoice(
        dimension_id=choice.dimension_id,
        name=trend.name if trend is not None else choice.dimension_id,
        chosen_by=choice.chosen_by,
        level=level_of(trend).average if trend is not None else None,
    )


def choose_focus(
    trends: Sequence[DimensionTrend],
    bank: Bank,
    *,
    views: Sequence[RoundView],
    committed_practices: Collection[str],
    rng: random.Random,
    current: str | None = None,
    chosen: FocusChoice | None = None,
    held_dimension: str | None = None,
) -> Focus | None:
    """The team's focus (see the module docstring), with a practice from its pool.

    `current`: the area that is the focus now, so the suggestion holds still; `chosen`: a
    manager's stored choice; `held_dimension`: the area an active commitment holds.
    """
    candidates = candidates_of(trends, views, current=current)
    by_id = {trend.dimension_id: trend for trend in trends}
    origin, chosen_by, chosen_at = SUGGESTED, None, None
    if held_dimension is not None and held_dimension in by_id:
        trend, origin = by_id[held_dimension], HELD
    elif chosen is not None and choice_stands(chosen, trends):
        trend, origin = by_id[chosen.dimension_id], CHOSEN
        chosen_by, chosen_at = chosen.chosen_by, chosen.chosen_at
    elif candidates:
        trend = by_id[candidates[0].dimension_id]
    else:
        return None
    dimension = bank.dimension_by_id.get(trend.dimension_id)
    if dimension is None:
        return None
    practice = pick_practice(bank, dimension, avoid=committed_practices, rng=rng)
    if practice is None:
        return None
    return Focus(
        dimension_id=trend.dimension_id,
        name=trend.name,
        practice=practice,
        level=level_of(trend),
        origin=origin,
        candidate=next((c for c in candidates if c.dimension_id == trend.dimension_id), None),
        stretch=at_ceiling(trends),
        chosen_by=chosen_by,
        chosen_at=chosen_at,
    )


def carried(focus: Focus | None) -> str | None:
    """What a round's close remembers as the focus now, so the next suggestion holds still:
    the suggested area (a manager's choice and a commitment's hold are kept elsewhere)."""
    return focus.dimension_id if focus is not None and focus.origin == SUGGESTED else None
