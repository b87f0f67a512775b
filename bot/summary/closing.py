"""What a summary needs when pulse rounds close: their final totals, and the managers' digests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.platform.services import Services
from bot.pulse.store import PulseRound
from bot.summary.digests import plan_digests
from bot.summary.stored_totals import store_round_totals


def after_rounds_close(
    services: Services, session: Session, closed: list[PulseRound], now: datetime
) -> None:
    """Store the closed rounds' final totals, then plan digests that read exactly those."""
    store_round_totals(session, [pulse_round.id for pulse_round in closed], now)
    plan_digests(services, session, closed, now)
