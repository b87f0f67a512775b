"""One place where anything a listener did not handle becomes a log line for the operator."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import App, BoltResponse

from bot.platform.services import Services


def register(app: App, services: Services) -> None:
    @app.error
    def log_unhandled(error: Exception, body: dict[str, Any], logger: Logger) -> BoltResponse:
        kind = body.get("type") or body.get("command") or "request"
        logger.error("unhandled error in a %s listener: %r", kind, error, exc_info=error)
        # Slack shows its own generic failure for a non-2xx answer; say it in our words.
        return BoltResponse(
            status=200,
            body="Something went wrong on lvm's side and nothing was changed. Please try again.",
        )
