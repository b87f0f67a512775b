"""Keep what people answer and write out of the logs, at every level.

slack_sdk logs every Web API call's body at DEBUG (a pulse DM's update says "you said 4",
next to the channel of the person's DM), Bolt logs the body of each response it sends and of
each request it refuses, and Socket Mode logs whole envelopes. Those lines are cut where the
payload starts: the operator still sees that a call was made, and to which method, never
what it carried. lvm's own log lines name a person or a team, never both with an answer.
"""

from __future__ import annotations

import logging

WITHHELD = "(payload withheld)"
# Where the libraries' messages start printing a payload.
PAYLOAD_MARKERS = (
    "query_params:",
    "body_params:",
    "json_body:",
    "body:",
    "payload:",
    "message:",
    "Request body",
    "request body",
)
# The loggers WebClient and Bolt are given (bot/app.py); Bolt copies this one's filters
# onto each logger it makes from it.
SLACK_API_LOGGER = "bot.slack_api"
BOLT_LOGGER = "bot.bolt"
# Loggers the libraries use when not given one.
LIBRARY_LOGGERS = (
    "slack_sdk.web.base_client",
    # Bolt's respond() and lvm's own replies to a response_url log whole bodies here.
    "slack_sdk.webhook.client",
    "slack_sdk.socket_mode.builtin.client",
    "slack_sdk.socket_mode.builtin.connection",
    "slack_bolt.RequestVerification",
)


class WithholdPayloads(logging.Filter):
    """Cut a library's log message where its payload starts."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cuts = [i for i in (message.find(m) for m in PAYLOAD_MARKERS) if i >= 0]
        if cuts:
            record.msg = message[: min(cuts)] + WITHHELD
            record.args = ()
        return True


_FILTER = WithholdPayloads()


def withhold_payloads() -> None:
    """Install the filter on every logger that may print a Slack payload (idempotent)."""
    for name in (SLACK_API_LOGGER, BOLT_LOGGER, *LIBRARY_LOGGERS):
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
