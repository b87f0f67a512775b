"""Turn a failure inside a listener into a clear message for the person and a log line.

A listener answers Slack with `ack(...)` and goes on working after it (the App runs with
`process_before_response=False`). Whatever fails, before the ack or after it, the person is
told through `tell`: in the ack while Slack still waits for it, else through `respond`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from slack_bolt import Ack
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.platform import notices
from bot.platform.database import DatabaseUnavailable
from bot.platform.messages import Message
from bot.platform.refusals import PulseRefusal

logger = logging.getLogger(__name__)

Reply = Callable[..., Any]


def is_database_down(error: BaseException) -> bool:
    return isinstance(error, DatabaseUnavailable | OperationalError) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    )


def message_for(error: BaseException, what: str) -> Message:
    if is_database_down(error):
        logger.error("database unavailable while %s: %s", what, error)
        return notices.database_down()
    reference = uuid.uuid4().hex[:8]
    logger.exception("failed while %s (ref %s)", what, reference, exc_info=error)
    return notices.unexpected_error(reference)


def form_not_opened(error: SlackApiError, form: str = "the form") -> Message:
    """What a person is told when Slack refused to open a form (an expired trigger, say)."""
    code = error.response.get("error", "")
    return notices.notice(
        f":warning: Slack did not let me open {form} (`{code}`). Please click again."
    )


def form_error_for(error: BaseException, what: str) -> str:
    """A failure as a form's field error: short, saying what to do; logged as message_for."""
    message = message_for(error, what)
    return (
        notices.DATABASE_DOWN_IN_FORM
        if is_database_down(error)
        else str(message["text"]).removeprefix(":warning: ")[:150]
    )


BROKEN_FORM = "This form is broken; please reopen it."


def form_problem(error: Exception, what: str, *, broken: tuple[type[Exception], ...] = ()) -> str:
    """What a form's field says when saving it failed: a refusal's own words, "broken" for
    the `broken` errors (unreadable metadata), else `form_error_for`."""
    if isinstance(error, PulseRefusal):
        return str(error)[:150]
    if isinstance(error, broken):
        return BROKEN_FORM
    return form_error_for(error, what)


def tell(ack: Ack, respond: Reply, message: Message) -> None:
    """Say `message` in the ack if it is not sent yet, else through `respond` (after the ack)."""
    if ack.response is None:
        ack(**message)
    else:
        respond(**message)


@contextmanager
def answered(ack: Ack, respond: Reply, what: str) -> Iterator[None]:
    """Run a listener's body; if it fails, `tell` the person instead of a 500 or silence."""
    try:
        yield
    except Exception as error:
        tell(ack, respond, message_for(error, what))
