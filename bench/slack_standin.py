"""The local stand-in for Slack, populated for a benchmark, and a workspace-wide rate limit.

The stand-in (slack_standin/) limits chat.postMessage per channel, as Slack does (about one message a second
in each channel). A round's DMs go to a different channel each, so that limit never binds:
Slack's other limit on posting, across the whole workspace, is what a fan-out meets. The
fake's fault registry is extended here (not edited) with that limit: a token bucket over all
of a workspace's calls to a method (each workspace its own, as Slack counts them), answering
429 with Retry-After in whole seconds, like the fake's own.
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
    """The fake's faults, plus one token bucket per method across each whole workspace."""

    def __init__(self, clock: Callable[[], float]) -> None:
        super().__init__(clock)
        self._wide_lock = threading.Lock()
        self._limits_wide: dict[str, tuple[float, int]] = {}  # method -> (per_second, burst)
        # (method, workspace) -> [tokens, at]
        self._wide: dict[tuple[str, str], list[float]] = {}

    def limit_workspace(self, method: str, per_second: float, burst: int) -> None:
        if per_second <= 0 or burst < 1:
            raise ValueError("per_second must be > 0 and burst >= 1")
        with self._wide_lock:
            self._limits_wide[method] = (per_second, burst)
            self._wide = {key: bucket for key, bucket in self._wide.items() if key[0] != method}

    def check(self, method: str, scope: str = "", team_id: str = "") -> Failure | None:
        failure = super().check(method, scope, team_id)
        if failure is not None:
            return failure
        with self._wide_lock:
            limit = self._limits_wide.get(method)
            if limit is None:
                return None
            per_second, burst = limit
            now = self._clock()
            bucket = self._wide.setdefault((method, team_id), [float(burst), now])
            tokens, at = bucket
            tokens = min(float(burst), tokens + (now - at) * per_second)
            if tokens >= 1.0:
                bucket[:] = [tokens - 1.0, now]
                return None
            bucket[:] = [tokens, now]
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
