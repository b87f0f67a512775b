"""Firing many signed requests at the running app at once, the way Slack delivers them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

Result = TypeVar("Result")


def all_at_once(calls: list[Callable[[], Result]]) -> list[Result]:
    """Run every call from its own thread, released together by a barrier; their results."""
    start = threading.Barrier(len(calls))

    def released(call: Callable[[], Result]) -> Result:
        start.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        futures = [pool.submit(released, call) for call in calls]
        return [future.result() for future in futures]
