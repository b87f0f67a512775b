"""Fixtures for summary tests.

Tests that change history get a fresh database each (`session`, `team`). Tests that only
read summaries share one stored history per kind of database (`stored_history`), since
making it through the real pulse functions is most of a test's cost on PostgreSQL.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.bank import Bank
from bot.platform.database import Database
from bot.pulse.store import PulseTeam
from bot.summary.build import build_summary
from bot.summary.trends import TeamSummary
from tests.support.databases import PostgresSchema, iterate_databases, postgres_url, sqlite_database
from tests.support.summary_history import NOW, make_team, platform_history


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    with database.transaction() as session:
        yield session


@pytest.fixture
def team(session: Session, bank: Bank) -> PulseTeam:
    """The Platform team with its four closed weeks and one open week (see history.py)."""
    team = make_team(session)
    platform_history(session, bank, team)
    return team


class StoredHistory:
    """The Platform history in a database of its own, to read summaries from."""

    def __init__(self, database: Database, bank: Bank, team_id: int) -> None:
        self.database = database
        self.bank = bank
        self.team_id = team_id

    def summary(self, *, weeks: int = 12, now: datetime = NOW, seed: int = 7) -> TeamSummary:
        with self.database.transaction() as session:
            team = session.get(PulseTeam, self.team_id)
            assert team is not None
            return build_summary(
                session, self.bank, team, weeks=weeks, now=now, rng=random.Random(seed)
            )


@contextmanager
def _stored_history(kind: str, folder: Path, template: Path, bank: Bank) -> Iterator[StoredHistory]:
    schema: PostgresSchema | None = None
    if kind == "sqlite":
        database = sqlite_database(template, folder)
    else:
        # A schema of its own: the shared one is emptied before every function-scoped test.
        schema = PostgresSchema(postgres_url() or "")
        database = Database(schema.url)
    try:
        with database.transaction() as session:
            team = make_team(session)
            platform_history(session, bank, team)
            team_id = team.id
        yield StoredHistory(database, bank, team_id)
    finally:
        database.dispose()
        if schema is not None:
            schema.drop()


@pytest.fixture(scope="session", params=list(iterate_databases()))
def stored_history(
    request: pytest.FixtureRequest,
    sqlite_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    bank: Bank,
) -> Iterator[StoredHistory]:
    folder = tmp_path_factory.mktemp("stored-history")
    with _stored_history(request.param, folder, sqlite_template, bank) as history:
        yield history


@pytest.fixture(scope="session")
def sqlite_history(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory, bank: Bank
) -> Iterator[StoredHistory]:
    """For what is made from a summary (blocks, CSV, chart): one database kind is enough."""
    folder = tmp_path_factory.mktemp("sqlite-history")
    with _stored_history("sqlite", folder, sqlite_template, bank) as history:
        yield history


@pytest.fixture
def summary(stored_history: StoredHistory) -> TeamSummary:
    return stored_history.summary()
