"""The clock: one APScheduler job that ticks and hands due work to its handlers.

Durable state lives in our own tables (APScheduler 3 cannot share its job store between
processes), so a tick only ever asks "what is due now?". Until scheduled features land,
the tick has no work kinds and only proves the clock and the database are alive.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.blocking import BlockingScheduler

from bot.config import Settings
from bot.services import Services

logger = logging.getLogger(__name__)

TICK_SECONDS = 30

# Each work kind takes the services and "now" and returns how many items it handled.
WorkKind = Callable[[Services, datetime], int]
WORK_KINDS: tuple[WorkKind, ...] = ()


def tick(services: Services, now: datetime | None = None) -> int:
    """Run every work kind once for `now`; returns the number of items handled."""
    moment = now or services.now()
    handled = 0
    for work in WORK_KINDS:
        handled += work(services, moment)
    services.database.ping()
    return handled


def run_scheduler(settings: Settings) -> None:
    from bot.bootstrap import prepare

    services = prepare(settings)
    scheduler = BlockingScheduler(timezone="UTC")
    scheduler.add_job(
        tick,
        "interval",
        seconds=TICK_SECONDS,
        args=[services],
        id="lvm-tick",
        max_instances=1,
        coalesce=True,
        next_run_time=services.now(),
    )
    logger.info("lvm clock ticking every %ss (%d work kinds)", TICK_SECONDS, len(WORK_KINDS))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        logger.info("lvm clock stopped")
