"""Migrations build exactly the schema the models describe, on each database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.store import migrate
from bot.store.schema import metadata


def test_database_is_at_head_and_matches_the_models(database):
    assert migrate.is_current(database)
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_upgrading_twice_changes_nothing(database):
    migrate.upgrade(database)
    assert migrate.current_revision(database) == migrate.head_revision()
