"""Alembic, driven from Python so `lvm-bot db upgrade` needs no alembic.ini."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from bot.platform.database import Database

MIGRATIONS = Path(__file__).parent


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "no migrations found"
    return head


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(database: Database, revision: str = "head") -> None:
    _migrate(database, lambda config: command.upgrade(config, revision))


def downgrade(database: Database, revision: str) -> None:
    _migrate(database, lambda config: command.downgrade(config, revision))


def _migrate(database: Database, run: Callable[[Config], None]) -> None:
    config = _config()
    with database.engine.connect() as connection:
        driver = connection.connection.driver_connection
        if database.is_sqlite:
            # A batch migration rebuilds a table (copy, DROP, rename). With foreign keys on,
            # that DROP cascades through every table referring to it and deletes their rows,
            # so they are off while migrating; SQLite ignores this pragma inside a
            # transaction, hence straight to the driver, before one begins.
            driver.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                run(config)
                if database.is_sqlite:
                    _require_intact_references(connection)
        finally:
            if database.is_sqlite:
                driver.execute("PRAGMA foreign_keys=ON")


def _require_intact_references(connection: Connection) -> None:
    """What foreign keys would have refused while they were off: fail (and roll back)."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"the migration left rows pointing at nothing: {broken[:5]}")


def is_current(database: Database) -> bool:
    return current_revision(database) == head_revision()
