"""The clock: one APScheduler job that ticks and hands due work to its handlers.

Durable state lives in our own tables (APScheduler 3 cannot share its job store between
processes), so a tick only ever asks "what is due now?". Work kinds turn what is due into
outbox rows; the tick ends by draining the outbox (bot.platform.delivery), so whatever this tick (or
another clock) enqueued goes out at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.assess.plan_nudges import plan_step_dms
from bot.bank import Bank
from bot.nudges.planning import plan_nudges
from bot.platform import delivery, outbox
from bot.platform.config import Settings
from bot.platform.delivery import Sender
from bot.platform.oauth import purge_expired_install_states
from bot.platform.services import Services
from bot.pulse import automation as pulse_automation
from bot.rights.retention import purge_old_answers
from bot.rights.uninstall import delete_removed_workspaces
from bot.summary.checkins import plan_checkins
from bot.summary.stored_totals import store_due_totals
from bot.threads import relay as thread_relay

logger = logging.getLogger(__name__)

TICK_SECONDS = 30

# Each work kind takes the services and "now" and returns how many items it handled.
WorkKind = Callable[[Services, datetime], int]


WORK_KINDS: tuple[WorkKind, ...] = (
    *pulse_automation.WORK_KINDS,
    plan_nudges,
    store_due_totals,
    # After the totals: a round's answers go only once its totals are stored.
    purge_old_answers,
    plan_checkins,
    plan_step_dms,
    *thread_relay.WORK_KINDS,
    outbox.purge_finished_messages,
    purge_expired_install_states,
    delete_removed_workspaces,
)


def build_sender(services: Services, worker_id: str | None = None) -> Sender:
    """A sender of every feature's outbox rows, with each feature's on-sent hooks."""
    return delivery.build_sender(
        services, pulse_automation.on_sent_hooks(services), worker_id=worker_id
    )


def tick(services: Services, now: datetime | None = None, sender: Sender | None = None) -> int:
    """Run every work kind once for `now`, then drain the outbox; returns items handled."""
    moment = now or services.now()
    handled = 0
    for work in WORK_KINDS:
        # One work kind that fails (a bad row, a bug) must not stop the others, nor delivery.
        try:
            handled += work(services, moment)
        except Exception:
            logger.exception("the clock's %s failed this tick", work.__name__)
    if sender is not None:
        handled += delivery.drain_outbox(sender)
    services.database.ping()
    return handled


def _schedule_tick(
    scheduler: BaseScheduler, settings: Settings, bank: Bank | None = None
) -> Services:
    from bot.bootstrap import prepare
    from bot.platform.database import BACKGROUND

    # Without a token every send would fail as not_authed, and be recorded failed for good.
    settings.require_tokens()
    services = prepare(settings, bank, BACKGROUND)  # nobody waits on the clock's answer
    sender = build_sender(services)
    scheduler.add_job(
        tick,
        "interval",
        seconds=TICK_SECONDS,
        args=[services],
        kwargs={"sender": sender},
        id="lvm-tick",
        max_instances=1,
        coalesce=True,
        next_run_time=services.now(),
    )
    logger.info("lvm clock ticking every %ss (%d work kinds)", TICK_SECONDS, len(WORK_KINDS))
    return services


def run_scheduler(settings: Settings) -> None:
    """The clock alone, in the foreground (the Procfile's `clock` process)."""
    scheduler = BlockingScheduler(timezone="UTC")
    _schedule_tick(scheduler, settings)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        logger.info("lvm clock stopped")


def start_background_clock(
    settings: Settings, bank: Bank | None = None
) -> BackgroundScheduler | None:
    """The clock in a thread of this process, unless LVM_SCHEDULER=off.

    `lvm-bot serve` starts it in gunicorn's master, which serves no requests, so however
    many workers run there is one clock per server; more clocks are safe, only wasteful.
    """
    if settings.LVM_SCHEDULER == "off":
        logger.info("lvm clock not started here (LVM_SCHEDULER=off)")
        return None
    scheduler = BackgroundScheduler(timezone="UTC", daemon=True)
    _schedule_tick(scheduler, settings, bank)
    scheduler.start()
    return scheduler
