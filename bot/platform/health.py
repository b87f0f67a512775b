"""`/healthz`'s check of the database: answered within Slack's budget, detail kept in the log.

The check runs on a thread of its own and is given up on after CHECK_SECONDS, so a database
that hangs (frozen, or behind a network that drops packets) reads as "unavailable" instead of
hanging the probe; while a check is still stuck, later probes answer at once. What went wrong
(host, port, the driver's words) goes to the operator's log only: `/healthz` is public.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from bot.platform.database import Database, DatabaseUnavailable

logger = logging.getLogger(__name__)

CHECK_SECONDS = 2.5


class DatabaseHealth:
    def __init__(self, database: Database, check_seconds: float = CHECK_SECONDS) -> None:
        self.database = database
        self.check_seconds = check_seconds
        self._lock = threading.Lock()
        self._running: Future[None] | None = None
        self._pool: ThreadPoolExecutor | None = None

    def check(self) -> bool:
        """Whether the database answered a trivial query in time."""
        with self._lock:
            if self._running is not None and not self._running.done():
                logger.warning("database health: the previous check has not returned yet")
                return False
            if self._pool is None:  # made on first use: never before gunicorn forks
                self._pool = ThreadPoolExecutor(1, thread_name_prefix="health")
            running = self._running = self._pool.submit(self.database.health_check)
        try:
            running.result(timeout=self.check_seconds)
        except FutureTimeout:
            logger.error("database health: no answer within %.1f s", self.check_seconds)
            return False
        except DatabaseUnavailable as error:
            logger.error("database health: unavailable: %s", error)
            return False
        return True
