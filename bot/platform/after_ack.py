"""Post a reply after the ack without a Bolt lazy listener.

Bolt starts every lazy listener with a deep copy of the whole request, whose body it parses
again. A pulse answer's payload carries the full DM, so under a team answering at once that
copy took a quarter of the web workers' CPU (measured with py-spy under bench/), more than
storing the answer. Where the follow-up is only "post this reply to the response_url", the
ack function hands it here instead: a small pool per process, started on first use (so never
before gunicorn forks), logging failures as Bolt's lazy runner does.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any

from bot.platform.counting_executor import CountingExecutor

logger = logging.getLogger(__name__)

THREADS = 4

_lock = threading.Lock()
_pool: tuple[int, CountingExecutor] | None = None


def _executor() -> CountingExecutor:
    global _pool
    with _lock:
        if _pool is None or _pool[0] != os.getpid():
            _pool = (os.getpid(), CountingExecutor(THREADS, thread_name_prefix="after-ack"))
        return _pool[1]


def wait_until_idle(timeout: float) -> bool:
    """Block until every reply handed here has been delivered (or failed); False on timeout."""
    with _lock:
        pool = _pool[1] if _pool is not None and _pool[0] == os.getpid() else None
    return pool is None or pool.wait_until_idle(timeout)


def run_after_ack(function: Callable[..., Any], /, **kwargs: Any) -> None:
    """Call function(**kwargs) on a background thread; exceptions are logged, not raised."""
    _executor().submit(_logged, function, kwargs)


def _logged(function: Callable[..., Any], kwargs: dict[str, Any]) -> None:
    try:
        function(**kwargs)
    except Exception:
        logger.exception("delivering a reply after the ack failed")
