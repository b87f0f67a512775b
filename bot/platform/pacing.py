"""Pace the outbox's Slack calls to Slack's rate limits instead of bouncing off them.

Slack limits each Web API method per workspace (tiers, in calls a minute) and answers a call
over the limit with HTTP 429 and `Retry-After` (whole seconds). So every rule here is kept per
lane, a workspace and a method, for all the threads of a Sender at once:

- Retry-After holds the lane, not only the call that met it: nobody calls that method in that
  workspace until it has passed (each further call would only earn another 429), while other
  workspaces, whose limits are their own, go on.
- Methods with a published tier are paced by a token bucket at that tier's rate, with a
  minute's worth as the burst: a normal round never waits, and a very large fan-out spreads
  its calls out rather than meeting 429s. chat.postMessage has no tier (about one message a
  second in each channel, and a workspace-wide limit Slack does not publish), so it is held
  by Retry-After alone.

The Sender asks for a lane's turn without blocking (`take_turn`) and keeps a row whose lane
is not free in its own queue, so a thread never sleeps on a workspace that is held.

Time here is the process's monotonic clock: rate limits are counted in real seconds, even in
tests that drive the app's own clock by hand.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

# Calls a minute per method, from Slack's published tiers (Tier 2: 20, Tier 3: 50, Tier 4:
# 100). Only the methods the outbox calls are listed; others are held by Retry-After alone.
TIER_PER_MINUTE: dict[str, int] = {
    "conversations.open": 50,
    "chat.update": 50,
    "chat.delete": 50,
    "files.getUploadURLExternal": 20,
    "files.completeUploadExternal": 20,
    "files_upload_v2": 20,  # the outbox's name for the three calls of an upload
    "views.publish": 100,
}
LONGEST_HOLD = 60.0  # seconds; a larger Retry-After is believed only this far

# A workspace (team_id) and a Web API method: what Slack counts a rate limit against.
Lane = tuple[str, str]


@dataclass
class _Bucket:
    per_second: float
    capacity: float
    tokens: float
    updated: float


class Pacer:
    """When each workspace may call each method next; shared by every thread of one Sender."""

    def __init__(
        self,
        *,
        tiers: dict[str, int] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self._tiers = dict(TIER_PER_MINUTE if tiers is None else tiers)
        self._lock = threading.Lock()
        self._held_until: dict[Lane, float] = {}
        self._buckets: dict[Lane, _Bucket] = {}

    def take_turn(self, team_id: str, method: str) -> float:
        """Take the lane's turn if it is free (0.0); else the seconds until it may be, and
        nothing is taken."""
        lane = (team_id, method)
        with self._lock:
            now = self.clock()
            held = self._held_until.get(lane, 0.0) - now
            if held > 0:
                return held
            bucket = self._bucket(lane, now)
            if bucket is None:
                return 0.0
            bucket.tokens = min(
                bucket.capacity, bucket.tokens + (now - bucket.updated) * bucket.per_second
            )
            bucket.updated = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / bucket.per_second

    def wait_turn(self, team_id: str, method: str) -> float:
        """Block until the lane is free, then take its turn; returns seconds waited."""
        waited = 0.0
        while (pause := self.take_turn(team_id, method)) > 0:
            self.sleep(pause)
            waited += pause
        return waited

    def hold(self, team_id: str, method: str, retry_after: float) -> None:
        """Slack said 429: nobody calls `method` in this workspace for `retry_after` seconds."""
        lane = (team_id, method)
        seconds = min(max(retry_after, 0.0), LONGEST_HOLD)
        with self._lock:
            until = self.clock() + seconds
            self._held_until[lane] = max(self._held_until.get(lane, 0.0), until)

    def _bucket(self, lane: Lane, now: float) -> _Bucket | None:
        bucket = self._buckets.get(lane)
        if bucket is None:
            per_minute = self._tiers.get(lane[1])
            if per_minute is None:
                return None
            bucket = _Bucket(per_minute / 60, per_minute, per_minute, now)
            self._buckets[lane] = bucket
        return bucket


def retry_after_of(headers: object) -> float:
    """Seconds from a 429's Retry-After header (1 when missing or unreadable, as slack_sdk)."""
    if not isinstance(headers, dict):
        return 1.0
    for name, value in headers.items():
        if str(name).lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) and value else value
            try:
                return max(float(str(raw)), 0.0)
            except ValueError:
                return 1.0
    return 1.0
