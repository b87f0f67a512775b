"""Shared fixtures: databases (SQLite, and PostgreSQL when configured), the bank, a clock,
the running app, and the fake Slack Web API with real WebClients and Senders on it.

No result may depend on the day or hour the suite runs. To prove it, run the suite as if it
started at a chosen moment: `LVM_TEST_NOW=2026-11-29T23:30 pytest` moves this process's
wall clock there (time-machine) and starts `lvm-bot try` subprocesses there too. (libfaketime
is no substitute for the whole suite: it fakes monotonic time too, which hangs the stand-in's
waits; `faketime '2026-11-29 23:30' pytest tests/app/test_try.py` does work.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from slack_sdk import WebClient

from bot.bank import Bank, load_bank
from bot.platform.database import Database
from bot.platform.delivery import Sender
from bot.platform.slack_client import build_web_client
from bot.platform.timekeeping import ManualClock
from slack_standin import FakeSlackServer, Workspace
from tests.support.databases import (
    PostgresSchema,
    iterate_databases,
    migrated_sqlite_template,
    open_database,
    postgres_url,
)
from tests.support.harness import Harness, running_app
from tests.support.wall_clock import TEST_NOW, pinned_start

DATABASES = list(iterate_databases())


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "own_clock: talks to a server in another process, whose wall clock LVM_TEST_NOW "
        "cannot move",
    )


def pytest_report_header() -> str | None:
    return f"wall clock moved to {pinned_start():%a %Y-%m-%d %H:%M %Z}" if TEST_NOW else None


@pytest.fixture(autouse=True)
def _wall_clock_at_test_now(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    start = pinned_start()
    if start is None or request.node.get_closest_marker("own_clock"):
        yield
        return
    monkeypatch.setenv("LVM_TRY_START", start.isoformat())
    with time_machine.travel(start, tick=True):
        yield


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_sqlite_template(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[PostgresSchema]:
    url = postgres_url()
    if not url:
        pytest.skip("LVM_TEST_DATABASE_URL is not set")
    schema = PostgresSchema(url)
    yield schema
    schema.drop()


@pytest.fixture(params=DATABASES)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database of each configured kind."""
    database = open_database(request.param, request, tmp_path)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def bank() -> Bank:
    return load_bank()


@pytest.fixture
def clock() -> ManualClock:
    # A Monday morning in November, so weekday schedules have an obvious anchor.
    return ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))


@pytest.fixture
def harness(database: Database, bank: Bank, clock: ManualClock) -> Iterator[Harness]:
    """The running app, reached through signed requests, talking to a fake Slack."""
    with running_app(database, bank, clock) as running:
        yield running


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
