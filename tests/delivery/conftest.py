"""Fixtures for delivery tests: the fake Slack Web API, a real WebClient, and Senders."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.platform.database import Database
from bot.platform.delivery import Sender
from bot.platform.slack_client import build_web_client
from bot.platform.timekeeping import ManualClock
from slack_standin import FakeSlackServer, Workspace


@pytest.fixture
def slack() -> Iterator[FakeSlackServer]:
    with FakeSlackServer(Workspace()) as server:
        yield server


@pytest.fixture
def client(slack: FakeSlackServer) -> WebClient:
    # As the clock builds it: the Sender, not the client, waits out 429s.
    return build_web_client(slack.bot_token, slack.api_url, wait_out_rate_limits=False)


@pytest.fixture
def make_sender(database: Database, client: WebClient, clock: ManualClock) -> Callable[..., Sender]:
    """Senders on the test database (or `on` another connection to it), timed by `clock`."""

    def make(worker_id: str = "clock-a", *, on: Database | None = None, **options: Any) -> Sender:
        return Sender(on or database, client, now=clock, worker_id=worker_id, **options)

    return make
