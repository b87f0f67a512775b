"""A lead's own self-ratings beside their team's levels, for that lead's own view alone.

The self-ratings come from the lead's private self-assessment (bot/assess, through
`Services.self_ratings`), asked only about the person looking at their own team's summary.
They sit beside the team's windowed level of each area only where that level is shown
(the anonymity rules of bot/summary/disclosure.py already decided it): an area the team
was asked about but too few answered is counted as hidden, never compared.

The gap is own minus team, both at one decimal. A *blind spot* is an area the lead rates
higher than the team does by at least the level's normal variation (`Level.margin`, for
the number who answered); the widest one is offered as a focus candidate in the lead's own
summary (bot/summary/focus.py). A lead rating themselves *lower* than the team does is
shown, not offered: the team's experience there is better than the lead fears, which is
no area to repair.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.orm import Session

from bot.platform.services import Services
from bot.summary.trends import DimensionTrend, RoundView, SelfGap, SelfView


def own_ratings_of(
    services: Services, session: Session, team_id: str, user_id: str
) -> Mapping[str, float] | None:
    """The person's own self-ratings (None: none taken); only ever asked about the person
    who will read what is built from them."""
    if services.self_ratings is None:
        return None
    return services.self_ratings(services, session, team_id, user_id)


def gaps_of(trends: Sequence[DimensionTrend], own: Mapping[str, float]) -> list[SelfGap]:
    """Each area with a shown team level that the lead rated, the widest gap first (ties in
    the bank's order)."""
    gaps = [
        SelfGap(trend.dimension_id, trend.name, own[trend.dimension_id], trend.level)
        for trend in trends
        if trend.dimension_id in own and trend.level is not None
    ]
    return sorted(gaps, key=lambda gap: -abs(gap.gap))


def self_view_of(
    trends: Sequence[DimensionTrend], views: Sequence[RoundView], own: Mapping[str, float]
) -> SelfView | None:
    """The viewing lead's self-ratings beside the team (None when they rated nothing the
    team's rounds asked about)."""
    areas = tuple(gaps_of(trends, own))
    compared = {gap.dimension_id for gap in areas}
    asked = {d for view in views for d in (*view.scores, *view.hidden_dimensions)}
    hidden = len([area for area in own if area in asked and area not in compared])
    if not areas and not hidden:
        return None
    return SelfView(areas=areas, hidden=hidden)


def widest_blind_spot(trends: Sequence[DimensionTrend], own: Mapping[str, float]) -> SelfGap | None:
    """The area the lead rates furthest above the team's level, beyond normal variation."""
    return next((gap for gap in gaps_of(trends, own) if gap.blind_spot), None)
