"""Shared fixtures: databases (SQLite, and PostgreSQL when configured), the bank, a clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.bank import Bank, load_bank
from bot.store.database import Database
from bot.timekeeping import ManualClock
from tests.databases import (
    PostgresSchema,
    iterate_databases,
    migrated_sqlite_template,
    postgres_url,
    sqlite_database,
)
from tests.harness import Harness, running_app

DATABASES = list(iterate_databases())


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
    if request.param == "sqlite":
        database = sqlite_database(request.getfixturevalue("sqlite_template"), tmp_path)
    else:
        database = request.getfixturevalue("postgres_schema").fresh_database()
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
