"""A thread pool that knows when it has nothing left to do.

Bolt runs the app's listeners in a thread pool, and a listener goes on working after its
ack. Whoever drives the app from outside (the `lvm-bot try` terminal, the tests) needs to know
when that work is done, rather than guess from a quiet spell: a chart can take a second to
draw without a word to Slack.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class CountingExecutor(ThreadPoolExecutor):
    """ThreadPoolExecutor that counts submitted tasks not yet finished."""

    def __init__(self, max_workers: int | None = None, thread_name_prefix: str = "") -> None:
        super().__init__(max_workers, thread_name_prefix=thread_name_prefix)
        self._unfinished = 0
        self._idle = threading.Condition()

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        with self._idle:
            self._unfinished += 1
        try:
            future = super().submit(fn, *args, **kwargs)
        except BaseException:
            self._finished(None)
            raise
        future.add_done_callback(self._finished)
        return future

    def _finished(self, _future: Future[Any] | None) -> None:
        with self._idle:
            self._unfinished -= 1
            self._idle.notify_all()

    def wait_until_idle(self, timeout: float) -> bool:
        """Block until every submitted task has finished; False if `timeout` passed first."""
        deadline = time.monotonic() + timeout
        with self._idle:
            return self._idle.wait_for(
                lambda: self._unfinished == 0, timeout=max(0.0, deadline - time.monotonic())
            )
