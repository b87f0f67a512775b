"""Transactions on a live database: readers and writers on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.platform.database import Database
from bot.tips import store as tip_store
from bot.tips.store import TipShown

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
WAIT_SECONDS = 30  # only reached if a reader waits for the writer: the test then fails


def shown_count(session) -> int:
    return int(session.scalar(select(func.count()).select_from(TipShown)))


def test_a_reader_goes_on_while_a_writer_holds_its_transaction(database: Database):
    with database.transaction() as session:
        tip_store.record_shown(session, "T1", "U1", "practice-a", NOW)
    writer_has_written, reader_is_done = threading.Event(), threading.Event()
    seen_by_writer: list[bool] = []

    def write_and_hold() -> None:
        with database.transaction() as session:
            tip_store.record_shown(session, "T1", "U2", "practice-b", NOW)
            writer_has_written.set()
            # Held open until the reader has finished (or WAIT_SECONDS, if it waits on us).
            seen_by_writer.append(reader_is_done.wait(WAIT_SECONDS))

    writer = threading.Thread(target=write_and_hold)
    writer.start()
    assert writer_has_written.wait(WAIT_SECONDS)
    with database.reading() as session:
        before_the_commit = shown_count(session)  # a snapshot without the uncommitted row
    reader_is_done.set()
    writer.join()
    assert seen_by_writer == [True]  # the reader finished while the write was still open
    assert before_the_commit == 1
    with database.reading() as session:
        assert shown_count(session) == 2


def test_the_tip_connection_commits_its_statements(database: Database):
    with database.connection() as connection:
        tip_store.record_shown(connection, "T1", "U1", "practice-a", NOW)
    with database.reading() as session:
        assert tip_store.history_of(
            session, "T1", "U1", since=datetime(2000, 1, 1, tzinfo=UTC)
        ).shown == {"practice-a": 1}


def test_a_lock_held_elsewhere_reads_as_the_database_being_unavailable(tmp_path, monkeypatch):
    import sqlite3

    from bot.migrations import migrate
    from bot.platform.database import Patience
    from bot.platform.failures import is_database_down

    path = tmp_path / "locked.sqlite3"
    database = Database(f"sqlite:///{path}", patience=Patience(0.05, None))
    migrate.upgrade(database)
    other_tool = sqlite3.connect(path, isolation_level=None)  # e.g. the sqlite3 shell
    other_tool.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(Exception) as failed, database.transaction() as session:
            shown_count(session)
    finally:
        other_tool.execute("ROLLBACK")
        other_tool.close()
        database.dispose()
    assert is_database_down(failed.value), repr(failed.value)


def test_two_databases_on_one_sqlite_file_queue_together(tmp_path):
    # `lvm-bot serve` on SQLite: the clock's Database and the requests' share one process, so
    # a request's writer queues behind the clock's instead of meeting its busy timeout.
    from bot.migrations import migrate
    from bot.platform.database import Patience

    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    clock = Database(url, patience=Patience(10.0, None))
    requests = Database(url, patience=Patience(0.05, None))  # its busy timeout: 50 ms
    migrate.upgrade(clock)
    clock_is_writing, release_clock = threading.Event(), threading.Event()
    request_done: list[bool] = []

    def write_as_a_request() -> None:
        with requests.transaction() as session:
            tip_store.record_shown(session, "T1", "U2", "practice-b", NOW)
        request_done.append(True)

    try:
        with clock.transaction() as session:
            tip_store.record_shown(session, "T1", "U1", "practice-a", NOW)
            clock_is_writing.set()
            request = threading.Thread(target=write_as_a_request)
            request.start()
            # Longer than the request's busy timeout: it waits in the queue, not on SQLite.
            release_clock.wait(0.3)
        request.join(WAIT_SECONDS)
        assert request_done == [True]
        with requests.reading() as session:
            assert shown_count(session) == 2
    finally:
        clock.dispose()
        requests.dispose()
