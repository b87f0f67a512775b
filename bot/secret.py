"""The server secret behind pulse respondent keys.

Set LVM_SECRET_KEY in production. A single-process SQLite install may leave it unset: a
random secret is then kept in a file beside the database, readable only by its owner.
Keeping it out of the database is the point: a copy of the database alone must not be
enough to tell who answered what.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from bot.config import WHERE_TO_GET, ConfigError, Settings
from bot.store.database import Database

SECRET_FILE_SUFFIX = ".secret"


def pulse_secret(settings: Settings, database: Database) -> str:
    if settings.LVM_SECRET_KEY:
        return settings.LVM_SECRET_KEY
    if not database.is_sqlite or not database.url.database:
        raise ConfigError(
            f"LVM_SECRET_KEY is not set. With a shared database every process needs the same "
            f"secret: {WHERE_TO_GET['LVM_SECRET_KEY']}."
        )
    path = Path(database.url.database).resolve().with_suffix(SECRET_FILE_SUFFIX)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()
