"""The bot's WebClient: Slack's own retry handlers, and logs that never print a call's body."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot.platform.log_privacy import SLACK_API_LOGGER, withhold_payloads

RATE_LIMIT_RETRIES = 3
CONNECTION_RETRIES = 2


def build_web_client(
    token: str | None, base_url: str, *, wait_out_rate_limits: bool = True
) -> WebClient:
    """A WebClient that waits out 429s (Retry-After) and retries dropped connections.

    The outbox's Sender waits out 429s itself (`wait_out_rate_limits=False`): it holds every
    thread on the method for the Retry-After (bot/platform/pacing.py), where this handler would only
    put to sleep the one thread that met it while the others kept meeting the limit.
    Its logger never prints the bodies of calls (bot/platform/log_privacy.py).
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
