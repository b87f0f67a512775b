"""A monotonic clock for the Pacer that moves only when someone sleeps on it."""

from __future__ import annotations

import threading


class SimulatedSeconds:
    """Seconds that pass only when a sleep is asked for, so waits are counted, not slept."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.now += seconds
