"""The local stand-in for Slack, populated for a benchmark, and a workspace-wide rate limit.

The stand-in (slack_standin/) limits chat.postMessage per channel, as Slack does (about one message a second
in each channel). A round's DMs go to a different channel each, so that limit never binds:
Slack's other limit on posting, across the whole workspace, is what a fan-out meets. The
fake's fault registry is extended here (not edited) with that limit: a token bucket over all
calls to a method, answering 429 with Retry-After in whole seconds, like the fake's own.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

from slack_standin import FakeSlackServer, Workspace
from slack_standin.faults import Failure, Faults

MEMBER_PREFIX = "UM"


def member_ids(count: int, prefix: str = MEMBER_PREFIX) -> list[str]:
    return [f"{prefix}{n:05d}" for n in range(count)]


def populated_fake(channel_id: str, members: list[str]) -> FakeSlackServer:
    """A started fake whose channel holds these people (and the bot)."""
    workspace = Workspace()
    for user_id in members:
        workspace.add_user(user_id, user_id.lower(), tz="Europe/London")
    workspace.add_channel(channel_id, channel_id.lower(), members)
    return FakeSlackServer(workspace).start()


class WorkspaceWideFaults(Faults):
    """The fake's faults, plus one token bucket per method across the whole workspace."""

    def __init__(self, clock: Callable[[], float]) -> None:
        super().__init__(clock)
        self._wide_lock = threading.Lock()
        self._wide: dict[str, list[float]] = {}  # method -> [per_second, burst, tokens, at]

    def limit_workspace(self, method: str, per_second: float, burst: int) -> None:
        if per_second <= 0 or burst < 1:
            raise ValueError("per_second must be > 0 and burst >= 1")
        with self._wide_lock:
            self._wide[method] = [per_second, float(burst), float(burst), self._clock()]

    def check(self, method: str, scope: str = "") -> Failure | None:
        failure = super().check(method, scope)
        if failure is not None:
            return failure
        with self._wide_lock:
            bucket = self._wide.get(method)
            if bucket is None:
                return None
            per_second, burst, tokens, at = bucket
            now = self._clock()
            tokens = min(burst, tokens + (now - at) * per_second)
            if tokens >= 1.0:
                bucket[2:] = [tokens - 1.0, now]
                return None
            bucket[2:] = [tokens, now]
            wait = (1.0 - tokens) / per_second
        with self._lock:
            self.ratelimited[method] += 1
        return Failure(error="ratelimited", status=429, retry_after=max(1, math.ceil(wait)))


def limit_workspace_wide(
    fake: FakeSlackServer, method: str, per_second: float, burst: int
) -> WorkspaceWideFaults:
    """Install the workspace-wide bucket on a fake; set per-channel limits after this."""
    faults = WorkspaceWideFaults(fake.workspace.clock)
    faults.limit_workspace(method, per_second, burst)
    fake.faults = faults
    return faults
