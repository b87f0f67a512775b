"""Migrations build exactly the schema the models describe, on each database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import JSON, MetaData, func, select

from bot.migrations import migrate
from bot.migrations.schema import metadata
from bot.platform.database import Database
from tests.support.databases import PostgresSchema, iterate_databases, postgres_url


def test_database_is_at_head_and_matches_the_models(database):
    assert migrate.is_current(database)
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_upgrading_twice_changes_nothing(database):
    migrate.upgrade(database)
    assert migrate.current_revision(database) == migrate.head_revision()


REVISION_BEFORE_THIS_SESSIONS = "0005"  # the oldest schema installs may still be on


@pytest.fixture(params=iterate_databases())
def unmigrated_database(request, tmp_path) -> Iterator[Database]:
    """An empty database with no tables at all, of each configured kind."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path}/old.sqlite3")
        yield database
        database.dispose()
        return
    schema = PostgresSchema(postgres_url() or "", migrated=False)
    database = Database(schema.url)
    yield database
    database.dispose()
    schema.drop()


def _value_for(column) -> object:
    """A value any NOT NULL column of ours accepts (ids are 1: one row per table)."""
    if column.foreign_keys or column.primary_key:
        return 1
    kind = column.type.python_type if not isinstance(column.type, JSON) else list
    return {
        int: 1,
        bool: False,
        str: "x",
        datetime: datetime(2026, 1, 5, tzinfo=UTC),
        list: [],
        dict: {},
    }[kind]


def _one_row_everywhere(database: Database) -> dict[str, int]:
    """Fill every table with one row (parents first); returns each table's row count."""
    tables = MetaData()
    tables.reflect(database.engine)
    with database.engine.begin() as connection:
        for table in tables.sorted_tables:
            if table.name == "alembic_version":
                continue
            row = {
                c.name: _value_for(c)
                for c in table.columns
                if not c.nullable or c.primary_key or c.foreign_keys
            }
            connection.execute(table.insert().values(row))
    return _counts(database)


def _counts(database: Database) -> dict[str, int]:
    tables = MetaData()
    tables.reflect(database.engine)
    with database.engine.connect() as connection:
        return {
            t.name: connection.execute(select(func.count()).select_from(t)).scalar_one()
            for t in tables.sorted_tables
            if t.name != "alembic_version"
        }


def test_upgrading_and_downgrading_keep_existing_rows(unmigrated_database):
    # SQLite rebuilds a table to alter it; with foreign keys on, dropping the old copy
    # cascaded and deleted every round, answer and recipient of an install being upgraded.
    database = unmigrated_database
    migrate.upgrade(database, REVISION_BEFORE_THIS_SESSIONS)
    before = _one_row_everywhere(database)
    assert set(before.values()) == {1}
    migrate.upgrade(database)
    after = _counts(database)
    assert {name: after[name] for name in before} == before
    migrate.downgrade(database, REVISION_BEFORE_THIS_SESSIONS)
    assert _counts(database) == before
