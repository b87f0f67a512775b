"""Test databases: a migrated SQLite file per test, and a private PostgreSQL schema per run.

PostgreSQL is used when LVM_TEST_DATABASE_URL is set (CI sets it to the local server).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.migrations import migrate
from bot.migrations.schema import metadata
from bot.platform.database import Database, normalize_url

POSTGRES_URL_VARIABLE = "LVM_TEST_DATABASE_URL"


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_URL_VARIABLE) or None


def migrated_sqlite_template(folder: Path) -> Path:
    """Migrate once per run; each test copies the file, which is far faster than migrating."""
    template = folder / "template.sqlite3"
    database = Database(f"sqlite:///{template}")
    migrate.upgrade(database)
    database.dispose()
    return template


def sqlite_database(template: Path, folder: Path) -> Database:
    target = folder / "lvm.sqlite3"
    shutil.copyfile(template, target)
    return Database(f"sqlite:///{target}")


class PostgresSchema:
    """A throwaway schema on the server, migrated once; tables are emptied between tests."""

    def __init__(self, server_url: str, *, migrated: bool = True) -> None:
        self.server_url = normalize_url(server_url)
        self.name = f"lvm_test_{uuid.uuid4().hex[:10]}"
        admin = create_engine(self.server_url)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{self.name}"'))
        admin.dispose()
        self.url = self.server_url.update_query_dict(
            {"options": f"-csearch_path={self.name}"}
        ).render_as_string(hide_password=False)
        if migrated:
            database = Database(self.url)
            migrate.upgrade(database)
            database.dispose()

    def fresh_database(self) -> Database:
        database = Database(self.url)
        tables = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
        with database.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        return database

    def drop(self) -> None:
        admin = create_engine(self.server_url)
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        admin.dispose()


def describe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def iterate_databases() -> Iterator[str]:
    yield "sqlite"
    if postgres_url():
        yield "postgresql"


def open_database(kind: str, request: pytest.FixtureRequest, folder: Path) -> Database:
    """A migrated, empty database of `kind` ("sqlite": a copy of the session's template in
    `folder`; "postgresql": the session's schema, emptied)."""
    if kind == "sqlite":
        return sqlite_database(request.getfixturevalue("sqlite_template"), folder)
    return request.getfixturevalue("postgres_schema").fresh_database()
