"""A lead's own self-ratings per pulse area, for their own view of their team beside them.

The composition root hands this to summaries as `Services.self_ratings` (summary sits below
assess and cannot read these tables itself). It is only ever called with the person who is
looking: a summary asks it about its viewer, never about someone else.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.assess import store
from bot.assess.scoring import one_decimal, score
from bot.platform.services import Services


def own_ratings(
    services: Services, session: Session, team_id: str, user_id: str
) -> dict[str, float] | None:
    """{area (dimension) id: the person's latest self-rating, 1-5 at one decimal}, or None
    when they have not taken the self-assessment (or this install has none)."""
    assessment = services.bank.assessment
    if assessment is None:
        return None
    row = store.latest(session, team_id, user_id)
    if row is None:
        return None
    areas = score(assessment, row.answers).areas
    # At one decimal: the number the person reads on their own result is the one compared.
    return {area.dimension_id: float(one_decimal(area.rating)) for area in areas}
