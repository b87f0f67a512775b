"""`lvm-bot serve`: the WSGI app behind gunicorn, with threads for Slack's bursts."""

from __future__ import annotations

import logging
from typing import Any

from gunicorn.app.base import BaseApplication

from bot.bank import Bank
from bot.platform.config import Settings
from bot.platform.database import normalize_url

logger = logging.getLogger(__name__)


def build_wsgi_app(settings: Settings, bank: Bank | None = None) -> Any:
    from bot.app import build_app
    from bot.bootstrap import prepare
    from bot.platform.web import LvmWsgiApp

    services = prepare(settings, bank)
    return LvmWsgiApp(build_app(services), services.database, settings.SLACK_SIGNING_SECRET)


def serves_from_one_process(settings: Settings) -> bool:
    """SQLite: one worker process, its threads serving requests and one of them the clock.

    SQLite has one writer at a time; within a process writers queue on a lock
    (bot.platform.database.SqliteWriters), between processes they would poll on SQLite's busy
    handler, and a fork while the clock writes would leave the child a locked database.
    One process with threads serves several times what a bare Bolt app under gunicorn -w 2
    does (docs/benchmarks.md); PostgreSQL is the way to several processes.
    """
    return normalize_url(settings.DATABASE_URL).get_backend_name() == "sqlite"


class GunicornServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn embedded, so the bot has one entry point and one configuration.

    `bank` is loaded once, in the master: forked workers (and the clock) share it. The clock
    runs in the master (PostgreSQL, WEB_CONCURRENCY workers), or in the one worker (SQLite).
    """

    def __init__(
        self, settings: Settings, port: int, bank: Bank | None = None, host: str | None = None
    ) -> None:
        self.settings = settings
        self.host = host or settings.LVM_BIND
        self.port = port
        self.bank = bank
        self.one_process = serves_from_one_process(settings)
        super().__init__()

    def load_config(self) -> None:
        options = {
            "bind": f"{self.host}:{self.port}",
            "workers": 1 if self.one_process else self.settings.WEB_CONCURRENCY,
            # gthread, fed only requests that have fully arrived (bot/platform/request_buffering.py):
            # slow or oversized requests never hold a thread. Threads let one worker serve
            # several Slack requests at once; each is answered as soon as its listener acks.
            "worker_class": "bot.platform.request_buffering.BufferingThreadWorker",
            "threads": self.settings.LVM_THREADS,
            # Each waiting connection may hold up to a request's worth of bytes.
            "worker_connections": 200,
            "limit_request_line": 4094,
            "limit_request_fields": 50,
            "limit_request_field_size": 8190,
            "loglevel": self.settings.LOG_LEVEL.lower(),
            "accesslog": "-" if self.settings.LOG_LEVEL == "DEBUG" else None,
            "graceful_timeout": 10,
            "timeout": 30,
            "keepalive": 5,
        }
        if self.one_process:
            options["post_worker_init"] = self._start_clock
        else:
            options["when_ready"] = self._start_clock
        for key, value in options.items():
            self.cfg.set(key, value)

    def _start_clock(self, _arbiter_or_worker: Any) -> None:
        from bot.clock import start_background_clock

        start_background_clock(self.settings, self.bank)

    def load(self) -> Any:
        # Built inside each worker: App() calls auth.test, and database connections must
        # not cross a fork.
        return build_wsgi_app(self.settings, self.bank)


def _import_worker_code() -> None:
    """Import what the workers run while still in the master: forked workers then start
    with it loaded (it was most of a worker's boot) and share those pages."""
    import bot.app
    import bot.platform.request_buffering
    import bot.platform.web  # noqa: F401


def serve(
    settings: Settings,
    port: int | None = None,
    bank: Bank | None = None,
    host: str | None = None,
) -> None:
    chosen_port = port or settings.PORT
    chosen_host = host or settings.LVM_BIND
    _import_worker_code()
    logger.info("lvm listening on http://%s:%s/slack/events", chosen_host, chosen_port)
    if serves_from_one_process(settings) and settings.WEB_CONCURRENCY > 1:
        logger.info(
            "SQLite: one worker process of %d threads (WEB_CONCURRENCY applies to PostgreSQL)",
            settings.LVM_THREADS,
        )
    GunicornServer(settings, chosen_port, bank, chosen_host).run()
