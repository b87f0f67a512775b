"""The server secret behind pulse respondent keys, kept apart from the database.

Set LVM_SECRET_KEY in production. A single-process SQLite install may leave it unset: a
random secret is then kept in the user's configuration folder, `$XDG_CONFIG_HOME/lvm/secret`
(by default `~/.config/lvm/secret`), readable only by its owner. Never beside the database:
a copy of the data folder alone must not be enough to tell who answered what. A secret an
older version kept beside the database (`<database>.secret`) is moved there on start.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
from pathlib import Path

from bot.platform.config import WHERE_TO_GET, ConfigError, Settings
from bot.platform.database import Database

logger = logging.getLogger(__name__)

OLD_SECRET_SUFFIX = ".secret"  # where older versions kept it: beside the database
OWNER_ONLY = 0o600


def secret_file() -> Path:
    """Where a SQLite install keeps its secret when LVM_SECRET_KEY is not set."""
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config_home) / "lvm" / "secret"


def pulse_secret(settings: Settings, database: Database) -> str:
    if settings.LVM_SECRET_KEY:
        return settings.LVM_SECRET_KEY
    if not database.is_sqlite or not database.url.database:
        raise ConfigError(
            f"LVM_SECRET_KEY is not set. With a shared database every process needs the same "
            f"secret: {WHERE_TO_GET['LVM_SECRET_KEY']}."
        )
    path = secret_file()
    old = Path(database.url.database).resolve().with_suffix(OLD_SECRET_SUFFIX)
    if old.exists():
        _move_old_secret(old, path)
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
        logger.info("created the pulse secret in %s: back it up apart from the database", path)
    return path.read_text().strip()


def _move_old_secret(old: Path, path: Path) -> None:
    """Move a secret kept beside the database to the configuration folder."""
    if path.exists() and path.read_text().strip() != old.read_text().strip():
        raise ConfigError(
            f"Two pulse secrets: {old} (beside the database) and {path}. Keep the one this "
            f"database was answered under: move it to {path}, or set LVM_SECRET_KEY to it, "
            f"and delete the other."
        )
    if path.exists():
        old.unlink()
    else:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.move(old, path)
        path.chmod(OWNER_ONLY)
    logger.warning(
        "moved the pulse secret from beside the database (%s) to %s: a copy of the data "
        "folder no longer holds it; back it up separately",
        old,
        path,
    )
