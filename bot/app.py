"""Build the Bolt App. A factory, because App() calls auth.test the moment it is made."""

from __future__ import annotations

import logging
from concurrent.futures import Executor

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot.listeners import register_listeners
from bot.log_privacy import BOLT_LOGGER, SLACK_API_LOGGER, withhold_payloads
from bot.services import Services

logger = logging.getLogger(__name__)

RATE_LIMIT_RETRIES = 3
CONNECTION_RETRIES = 2


def build_web_client(
    token: str | None, base_url: str, *, wait_out_rate_limits: bool = True
) -> WebClient:
    """A WebClient that waits out 429s (Retry-After) and retries dropped connections.

    The outbox's Sender waits out 429s itself (`wait_out_rate_limits=False`): it holds every
    thread on the method for the Retry-After (bot/pacing.py), where this handler would only
    put to sleep the one thread that met it while the others kept meeting the limit.
    Its logger never prints the bodies of calls (bot/log_privacy.py).
    """
    withhold_payloads()
    handlers: list[RetryHandler] = [ConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES)]
    if wait_out_rate_limits:
        handlers.insert(0, RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    return WebClient(
        token=token,
        base_url=base_url,
        logger=logging.getLogger(SLACK_API_LOGGER),
        retry_handlers=handlers,
    )


def build_app(services: Services, listener_executor: Executor | None = None) -> App:
    """The app; `listener_executor` runs lazy listeners (Bolt's own pool when None)."""
    settings = services.settings
    settings.require_slack()
    withhold_payloads()  # before App(): Bolt copies its logger's filters as it makes its own
    app = App(
        client=build_web_client(settings.SLACK_BOT_TOKEN, settings.SLACK_API_URL),
        signing_secret=settings.SLACK_SIGNING_SECRET,
        # Run each listener in the request thread and answer as soon as it returns: Bolt's
        # default polls for ack() every 10 ms. Slow work goes to lazy listeners instead.
        process_before_response=True,
        logger=logging.getLogger(BOLT_LOGGER),
        listener_executor=listener_executor,
    )
    if services.client is None:
        services.client = app.client
    register_listeners(app, services)
    return app
