"""Failure injection for the fake Web API: rate limits and one-off errors.

Slack rate-limits each method per workspace (tiers) and, for chat.postMessage,
roughly one message per second per channel; it answers HTTP 429 with a
Retry-After header in whole seconds. So every bucket here is a workspace's own,
and a failure may be queued for one workspace's calls only. Tests use this to
prove the app backs off and retries.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Failure:
    """What to answer instead of running the method."""

    error: str
    status: int = 200
    retry_after: int | None = None
    team_id: str | None = None  # served only to this workspace's calls (None: any)


@dataclass
class _Bucket:
    per_second: float
    burst: int
    tokens: float
    updated: float


class Faults:
    """Thread-safe registry of token buckets and queued injected failures."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._limits: dict[str, tuple[float, int]] = {}
        self._buckets: dict[tuple[str, str, str], _Bucket] = {}  # method, workspace, scope
        self._queued: dict[str, list[Failure]] = {}
        self.ratelimited: Counter[str] = Counter()

    def rate_limit(self, method: str, per_second: float, burst: int = 1) -> None:
        if per_second <= 0 or burst < 1:
            raise ValueError("per_second must be > 0 and burst >= 1")
        with self._lock:
            self._limits[method] = (per_second, burst)
            self._buckets = {k: b for k, b in self._buckets.items() if k[0] != method}

    def fail_next(
        self,
        method: str,
        error: str,
        *,
        status: int = 200,
        times: int = 1,
        retry_after: int | None = None,
        team_id: str | None = None,
    ) -> None:
        if status == 429 and retry_after is None:
            retry_after = 1
        failure = Failure(error=error, status=status, retry_after=retry_after, team_id=team_id)
        with self._lock:
            self._queued.setdefault(method, []).extend([failure] * times)

    def clear(self) -> None:
        """Drop queued failures and rate limits (the 429 counters are kept)."""
        with self._lock:
            self._queued.clear()
            self._limits.clear()
            self._buckets.clear()

    def check(self, method: str, scope: str = "", team_id: str = "") -> Failure | None:
        """Failure to serve for this call of workspace `team_id`, if any. `scope` is e.g.
        the channel id, so chat.postMessage is limited per channel like Slack does."""
        with self._lock:
            failure = self._pop_queued(method, team_id) or self._take_token(method, team_id, scope)
            if failure is not None and failure.status == 429:
                self.ratelimited[method] += 1
            return failure

    def _pop_queued(self, method: str, team_id: str) -> Failure | None:
        queued = self._queued.get(method) or []
        for index, failure in enumerate(queued):
            if failure.team_id in (None, team_id):
                return queued.pop(index)
        return None

    def _take_token(self, method: str, team_id: str, scope: str) -> Failure | None:
        limit = self._limits.get(method)
        if limit is None:
            return None
        per_second, burst = limit
        now = self._clock()
        key = (method, team_id, scope)
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = _Bucket(per_second, burst, float(burst), now)
            self._buckets[key] = bucket
        bucket.tokens = min(
            float(bucket.burst), bucket.tokens + (now - bucket.updated) * bucket.per_second
        )
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return None
        wait = (1.0 - bucket.tokens) / bucket.per_second
        return Failure(error="ratelimited", status=429, retry_after=max(1, math.ceil(wait)))

    @property
    def total_ratelimited(self) -> int:
        with self._lock:
            return sum(self.ratelimited.values())
