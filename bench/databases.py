"""Fresh databases for a run: an SQLite file, or a private schema on a PostgreSQL server.

A PostgreSQL schema is migrated with `lvm-bot db upgrade`, as a release would; an SQLite file
is migrated in this process (lvm migrates SQLite files on start anyway), which saves a
process start per database.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.processes import app_environment
from bot.migrations import migrate
from bot.platform.database import Database, normalize_url

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
LABELS = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}


@dataclass(frozen=True)
class BenchDatabase:
    kind: str
    url: str  # what DATABASE_URL is set to
    schema: str | None = None  # PostgreSQL: the schema to drop afterwards

    @property
    def label(self) -> str:
        return LABELS[self.kind]


def sqlite_database(workdir: Path, name: str) -> BenchDatabase:
    return BenchDatabase(SQLITE, f"sqlite:///{workdir / f'{name}.sqlite3'}")


def postgres_database(server_url: str, name: str) -> BenchDatabase:
    schema = f"lvm_bench_{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalize_url(server_url))
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        admin.dispose()
    url = (
        normalize_url(server_url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    return BenchDatabase(POSTGRESQL, url, schema)


def drop(database: BenchDatabase, server_url: str | None) -> None:
    if database.schema is None or server_url is None:
        return
    admin = create_engine(normalize_url(server_url))
    try:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{database.schema}" CASCADE'))
    finally:
        admin.dispose()


def upgrade(database: BenchDatabase, workdir: Path) -> None:
    """Migrate to the latest schema: `lvm-bot db upgrade` for PostgreSQL."""
    if database.kind == SQLITE:
        store = Database(database.url)
        try:
            migrate.upgrade(store)
        finally:
            store.dispose()
        return
    result = subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade"],
        cwd=workdir,
        env=app_environment(DATABASE_URL=database.url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise RuntimeError(f"lvm-bot db upgrade failed: {result.stderr.strip()}")


def postgres_version(server_url: str) -> str | None:
    """The server's version, or None when it cannot be reached."""
    engine = create_engine(normalize_url(server_url), connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("SHOW server_version")).scalar_one())
    except Exception:  # any driver error means "not reachable" here
        return None
    finally:
        engine.dispose()
