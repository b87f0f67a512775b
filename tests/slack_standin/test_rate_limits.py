"""HTTP 429 + Retry-After, per method and per channel, as slack_sdk expects them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from slack_standin import FakeSlackServer, Workspace

TOKEN = "xoxb-fake-token"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def timed_server(clock: FakeClock) -> Iterator[FakeSlackServer]:
    ws = Workspace(clock=clock)
    ws.add_user("U0ALICE", "alice")
    ws.add_channel("C0TEAM", "team", ["U0ALICE"])
    with FakeSlackServer(ws, bot_token=TOKEN) as srv:
        yield srv


def test_real_retry_after_is_honoured(server: FakeSlackServer, workspace: Workspace) -> None:
    """One real 1 s wait: the SDK's handler sleeps Retry-After, then succeeds."""
    server.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=1)
    client = WebClient(
        token=TOKEN,
        base_url=server.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    started = time.monotonic()
    assert client.chat_postMessage(channel="C0TEAM", text="after a pause")["ok"]
    assert time.monotonic() - started >= 1.0
    assert server.ratelimited_count == 1
    assert [c.status for c in workspace.calls_to("chat.postMessage")] == [429, 200]


def test_token_bucket_with_sdk_retry(
    timed_server: FakeSlackServer, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SDK's sleep advances the fake clock, so the bucket refills instantly."""
    slept: list[float] = []

    def fake_sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.now += seconds

    monkeypatch.setattr(builtin_handlers, "time", SimpleNamespace(sleep=fake_sleep))
    timed_server.rate_limit("chat.postMessage", per_second=1.0, burst=1)
    client = WebClient(
        token=TOKEN,
        base_url=timed_server.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )
    for i in range(3):
        assert client.chat_postMessage(channel="C0TEAM", text=f"m{i}")["ok"]
    assert timed_server.ratelimited_count == 2
    assert timed_server.ratelimited_count_for("chat.postMessage") == 2
    assert all(1.0 <= s < 2.0 for s in slept)  # Retry-After: 1 (+ SDK jitter)


def test_429_shape_and_per_channel_buckets(timed_server: FakeSlackServer) -> None:
    client = WebClient(token=TOKEN, base_url=timed_server.api_url, retry_handlers=[])
    timed_server.rate_limit("chat.postMessage", per_second=1.0, burst=1)
    client.chat_postMessage(channel="C0TEAM", text="one")
    client.chat_postMessage(channel="U0ALICE", text="other channel is fine")
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel="C0TEAM", text="too fast")
    response = info.value.response
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    assert response.data == {"ok": False, "error": "ratelimited"}


def test_burst_then_longer_retry_after(timed_server: FakeSlackServer, clock: FakeClock) -> None:
    client = WebClient(token=TOKEN, base_url=timed_server.api_url, retry_handlers=[])
    timed_server.rate_limit("users.info", per_second=0.5, burst=3)
    for _ in range(3):
        client.users_info(user="U0ALICE")
    with pytest.raises(SlackApiError) as info:
        client.users_info(user="U0ALICE")
    assert info.value.response.headers["Retry-After"] == "2"
    clock.now += 2.0
    assert client.users_info(user="U0ALICE")["ok"]


def installed_client(server: FakeSlackServer, team_id: str) -> tuple[Workspace, WebClient]:
    """Another workspace with the app installed (by OAuth): its own token and records."""
    other = Workspace(clock=server.workspace.clock)
    other.team_id = team_id
    other.add_user("U0ALICE", "alice")
    other.add_channel("C0TEAM", "team", ["U0ALICE"])
    token = server.grants.exchange(
        {},
        {
            "client_id": server.grants.client_id,
            "client_secret": server.grants.client_secret,
            "code": server.approve_install(other),
        },
    )["access_token"]
    return other, WebClient(token=token, base_url=server.api_url, retry_handlers=[])


def test_each_workspace_has_its_own_buckets(timed_server: FakeSlackServer) -> None:
    _, first = installed_client(timed_server, "T0FIRST")
    _, second = installed_client(timed_server, "T0SECOND")
    timed_server.rate_limit("users.info", per_second=1.0, burst=1)
    assert first.users_info(user="U0ALICE")["ok"]
    with pytest.raises(SlackApiError) as info:
        first.users_info(user="U0ALICE")
    assert info.value.response.status_code == 429
    assert second.users_info(user="U0ALICE")["ok"]  # the same channel id, another workspace


def test_a_failure_queued_for_one_workspace_is_served_to_it_alone(
    timed_server: FakeSlackServer,
) -> None:
    held, first = installed_client(timed_server, "T0FIRST")
    other, second = installed_client(timed_server, "T0SECOND")
    timed_server.fail_next(
        "chat.postMessage", "ratelimited", status=429, retry_after=7, team_id="T0FIRST"
    )
    assert second.chat_postMessage(channel="C0TEAM", text="not for me")["ok"]
    with pytest.raises(SlackApiError) as info:
        first.chat_postMessage(channel="C0TEAM", text="held")
    assert info.value.response.headers["Retry-After"] == "7"
    assert [c.status for c in held.calls_to("chat.postMessage")] == [429]
    assert [c.status for c in other.calls_to("chat.postMessage")] == [200]
