"""One engine per process, one transaction per use case.

SQLite is tuned for a multi-threaded web server (WAL, a busy timeout); PostgreSQL is reached
through psycopg 3 whatever scheme the URL was given with.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker


@dataclass(frozen=True)
class Patience:
    """How long work waits on a database that is locked, slow or gone before giving up.

    A request must answer within Slack's 3 seconds, so it waits for a lock (SQLite's writer
    turn and busy handler, PostgreSQL's lock_timeout and pool) at most `lock_seconds`, and
    a PostgreSQL statement runs at most `statement_seconds`; then the person is told to try
    again. The clock and migrations can afford to wait longer.
    """

    lock_seconds: float
    statement_seconds: float | None
    # Connections are pooled, so this is rare: Slack's whole budget for a request.
    connect_seconds: int = 3


REQUESTS = Patience(lock_seconds=2.0, statement_seconds=2.5)
BACKGROUND = Patience(lock_seconds=10.0, statement_seconds=120.0, connect_seconds=10)
MIGRATIONS = Patience(lock_seconds=30.0, statement_seconds=None, connect_seconds=10)
# How long a writer queues behind this process's other writers (see SqliteWriters.turn).
QUEUE_SECONDS = 10.0
# Right after a writer found the database locked by another program, later writers only try.
LOCKED_OUT_BUSY_MS = 10


class DatabaseUnavailable(Exception):
    """The database could not be reached; the message says what to check."""


def normalize_url(url: str) -> URL:
    """Accept the URL forms hosting platforms hand out (postgres://, postgresql://)."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


BUSY_MS = "lvm_busy_ms"  # a pooled SQLite connection's current busy timeout


def _sqlite_tuner(busy_ms: int) -> Any:
    def tune(dbapi_connection: Any, record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        record.info[BUSY_MS] = busy_ms

    return tune


# An execution option marking connections that only read (Database.reading).
READ_ONLY = "lvm_read_only"


def _sqlite_begin(conn: Any, writers: SqliteWriters, wait_seconds: float) -> None:
    # Writers take the write lock when the transaction starts, so two writers queue on the
    # busy timeout instead of one failing half-way with "database is locked". Readers start
    # a plain BEGIN: under WAL they read a snapshot, and neither wait for writers nor hold
    # them up. Straight to the driver: through exec_driver_sql this statement cost as much
    # as the tip's INSERT.
    read_only = conn.get_execution_options().get(READ_ONLY)
    statement = "BEGIN" if read_only else "BEGIN IMMEDIATE"
    driver = conn.connection.driver_connection
    busy_ms = writers.busy_ms(wait_seconds)
    try:
        info = conn.connection.info
        if not read_only and info.get(BUSY_MS) != busy_ms:
            # What is left of this writer's wait after queueing for its turn.
            driver.execute(f"PRAGMA busy_timeout={busy_ms}")
            info[BUSY_MS] = busy_ms
        driver.execute(statement)
    except sqlite3.Error as error:
        if not read_only and "locked" in str(error):
            writers.locked_out(wait_seconds)
        # Past SQLAlchemy's own error handling: wrap it as exec_driver_sql would have, so
        # a database that stays locked reads as "database unavailable" to callers.
        raise OperationalError(statement, None, error) from error


class SqliteWriters:
    """Make this process's SQLite writers queue for their turn instead of polling for it.

    SQLite has one writer at a time, and every transaction here starts with BEGIN IMMEDIATE.
    A connection that finds the lock taken retries on SQLite's busy handler, which sleeps 1,
    2, 5 ... up to 100 ms between tries: under steady writes an unlucky request waits for
    hundreds of milliseconds while later ones pass it. Here a transaction first takes its
    turn on a lock, so each writer is woken as soon as the one before it commits: at 50
    clients this halves `/lvm tip`'s p99 (docs/benchmarks.md). One queue per database file,
    shared by every Database of the process on it (the web's and the clock's). `lvm-bot serve`
    runs one process on SQLite (bot/server.py), so its writers all queue here; another
    program writing the file (the sqlite3 shell, `lvm-bot db upgrade`) meets the busy handler.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()  # held by the writing thread of this process
        self.locked_out_until = 0.0
        self._held = threading.local()

    @contextmanager
    def turn(self, wait_seconds: float) -> Iterator[None]:
        if getattr(self._held, "depth", 0):  # nested on this thread: SQLite decides, as before
            yield
            return
        # Writers queue here, behind each other's short transactions: as long as SQLite's own
        # lock is free that wait is theirs to take (a fan-out's follow-up queues behind the
        # clicks it causes), up to QUEUE_SECONDS.
        if not self.lock.acquire(timeout=QUEUE_SECONDS):
            yield  # a writer stuck in this process: fall back to SQLite's busy handler
            return
        self._held.depth = 1
        self._held.deadline = time.monotonic() + wait_seconds
        try:
            yield
        finally:
            self._held.depth = 0
            self.lock.release()

    def locked_out(self, wait_seconds: float) -> None:
        """A BEGIN waited its whole busy timeout: for as long again, the writers queued behind
        it only try once (and fail at once if it is still locked) rather than each waiting
        its own timeout in turn."""
        self.locked_out_until = time.monotonic() + wait_seconds

    def busy_ms(self, wait_seconds: float) -> int:
        """The busy timeout for this thread's next BEGIN: what is left of its wait, rounded to
        tenths of a second (so an unhurried turn leaves the connection's setting alone)."""
        full = int(wait_seconds * 1000)
        if time.monotonic() < self.locked_out_until:
            return LOCKED_OUT_BUSY_MS
        if not getattr(self._held, "depth", 0):
            return full
        left = (self._held.deadline - time.monotonic()) * 1000
        return max(100, min(full, round(left / 100.0) * 100))


_writers_by_file: dict[str, SqliteWriters] = {}
_writers_by_file_lock = threading.Lock()


def writers_of(database_file: str | None) -> SqliteWriters:
    """The queue of this process's writers to an SQLite file (an in-memory one has its own)."""
    if not database_file or database_file == ":memory:":
        return SqliteWriters()
    path = str(Path(database_file).resolve())
    with _writers_by_file_lock:
        return _writers_by_file.setdefault(path, SqliteWriters())


class Database:
    def __init__(self, url: str, *, echo: bool = False, patience: Patience = REQUESTS) -> None:
        self.url = normalize_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self.patience = patience
        options: dict[str, Any] = {}
        if self.is_sqlite:
            # The pysqlite driver's own transaction handling is replaced by BEGIN IMMEDIATE.
            options["connect_args"] = {"check_same_thread": False, "isolation_level": None}
        else:
            options["connect_args"] = _postgres_timeouts(self.url, patience)
            options["pool_timeout"] = patience.lock_seconds
        self.engine: Engine = create_engine(
            self.url,
            echo=echo,
            pool_pre_ping=not self.is_sqlite,
            # Errors and logs never carry statement parameters: they hold answers, comments
            # and user ids.
            hide_parameters=True,
            **options,
        )
        self.writers = writers_of(self.url.database) if self.is_sqlite else None
        if self.writers is not None:
            writers, wait = self.writers, patience.lock_seconds
            event.listen(self.engine, "connect", _sqlite_tuner(int(wait * 1000)))
            event.listen(self.engine, "begin", lambda conn: _sqlite_begin(conn, writers, wait))
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._reading_sessions = sessionmaker(
            self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
        )

    def _turn(self) -> AbstractContextManager[None]:
        if self.writers is None:
            return nullcontext()
        return self.writers.turn(self.patience.lock_seconds)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        with self._turn(), self._sessions.begin() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only (a summary, App Home), which must not write.

        On SQLite it neither takes the writers' turn nor the write lock, so a summary that
        reads two years of rounds does not hold up the clicks of a team answering a round.
        """
        with self._reading_sessions.begin() as session:
            yield session

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A Core connection for a hot path of a statement or two that need no ORM objects.

        `/lvm tip` runs its read and its insert here: through a Session they cost about
        twice as much CPU (docs/benchmarks.md). On SQLite they run in one BEGIN IMMEDIATE
        transaction, as everywhere; on PostgreSQL each commits by itself, which saves the
        BEGIN and COMMIT round trips and changes nothing a read-then-insert can see under
        READ COMMITTED. So on PostgreSQL nothing is rolled back: one write, and last.
        """
        with self._turn(), self.engine.connect() as connection:
            if not self.is_sqlite:
                connection.execution_options(isolation_level="AUTOCOMMIT")
            with connection.begin():
                yield connection

    def ping(self) -> None:
        """Raise DatabaseUnavailable unless a trivial query succeeds."""
        try:
            # On SQLite this is a transaction too (BEGIN IMMEDIATE), so it takes its turn.
            with self._turn(), self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as error:  # any driver error means "not reachable" to the caller
            raise DatabaseUnavailable(describe_database_error(error)) from error

    def health_check(self) -> None:
        """Raise DatabaseUnavailable unless the database can do lvm's work right now.

        On SQLite, `ping` already takes the write lock. On PostgreSQL a trivial query
        succeeds even while lvm's tables are locked (by a migration or a stuck session), so
        the outbox, which every message goes through, is read too, within lock_timeout.
        """
        self.ping()
        if self.is_sqlite:
            return
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1 FROM outbox LIMIT 1"))
        except Exception as error:
            raise DatabaseUnavailable(describe_database_error(error)) from error

    def dispose(self) -> None:
        self.engine.dispose()

    def display_url(self) -> str:
        return self.url.render_as_string(hide_password=True)


def _postgres_timeouts(url: URL, patience: Patience) -> dict[str, Any]:
    """libpq connection settings: a connect timeout, and lock and statement timeouts set at
    connection start (no extra round trip), added to any `options` the URL already has."""
    settings = [f"-c lock_timeout={int(patience.lock_seconds * 1000)}"]
    if patience.statement_seconds is not None:
        settings.append(f"-c statement_timeout={int(patience.statement_seconds * 1000)}")
    given = url.query.get("options")
    if isinstance(given, str) and given:
        settings.insert(0, given)
    return {"connect_timeout": patience.connect_seconds, "options": " ".join(settings)}


def describe_database_error(error: BaseException) -> str:
    first_line = str(getattr(error, "orig", error)).strip().splitlines()
    return first_line[0] if first_line else type(error).__name__
