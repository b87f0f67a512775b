"""What every benchmark of one run shares: its mode, a scratch folder, databases, cleanup."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from bench import databases
from bench.databases import BenchDatabase

T = TypeVar("T")
SECRET_KEY = "bench-secret-key-for-respondent-keys"


def stderr_log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class RunContext:
    quick: bool
    workdir: Path
    postgres_url: str | None = None  # the server to make schemas on; None: SQLite only
    log: Callable[[str], None] = stderr_log
    cleanup: ExitStack = field(default_factory=ExitStack)
    memo: dict[str, Any] = field(default_factory=dict)  # results one benchmark reuses

    def size(self, full: T, quick: T) -> T:
        return quick if self.quick else full

    def database_kinds(self) -> list[str]:
        kinds = [databases.SQLITE]
        if self.postgres_url:
            kinds.append(databases.POSTGRESQL)
        return kinds

    def new_database(self, kind: str, name: str) -> BenchDatabase:
        """A fresh, migrated database, dropped when the run ends."""
        if kind == databases.SQLITE:
            database = databases.sqlite_database(self.workdir, name)
        else:
            assert self.postgres_url is not None
            database = databases.postgres_database(self.postgres_url, name)
            self.cleanup.callback(databases.drop, database, self.postgres_url)
        databases.upgrade(database, self.workdir)
        return database
