"""`lvm-bot serve`: the WSGI app behind gunicorn, with threads for Slack's bursts."""

from __future__ import annotations

import logging
from typing import Any

from gunicorn.app.base import BaseApplication

from bot.config import Settings

logger = logging.getLogger(__name__)


def build_wsgi_app(settings: Settings) -> Any:
    from bot.app import build_app
    from bot.bootstrap import prepare
    from bot.web import LvmWsgiApp

    services = prepare(settings)
    return LvmWsgiApp(build_app(services), services.database)


class GunicornServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn embedded, so the bot has one entry point and one configuration."""

    def __init__(self, settings: Settings, port: int) -> None:
        self.settings = settings
        self.port = port
        super().__init__()

    def load_config(self) -> None:
        options = {
            "bind": f"0.0.0.0:{self.port}",
            "workers": self.settings.WEB_CONCURRENCY,
            # Threads let one worker hold many slow Slack requests at once; with
            # process_before_response each request is answered as soon as it is handled.
            "worker_class": "gthread",
            "threads": self.settings.LVM_THREADS,
            "loglevel": self.settings.LOG_LEVEL.lower(),
            "accesslog": "-" if self.settings.LOG_LEVEL == "DEBUG" else None,
            "graceful_timeout": 10,
            "timeout": 30,
            "keepalive": 5,
            "when_ready": self._start_clock,
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def _start_clock(self, _arbiter: Any) -> None:
        from bot.scheduler import start_background_clock

        start_background_clock(self.settings)

    def load(self) -> Any:
        # Built inside each worker: App() calls auth.test, and database connections must
        # not cross a fork.
        return build_wsgi_app(self.settings)


def serve(settings: Settings, port: int | None = None) -> None:
    chosen = port or settings.PORT
    logger.info("lvm listening on http://0.0.0.0:%s/slack/events", chosen)
    GunicornServer(settings, chosen).run()
