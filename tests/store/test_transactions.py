"""Transactions on a live database: readers and writers on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.store import tips as tip_store
from bot.store.database import Database
from bot.store.models import TipShown

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
        assert tip_store.history_of(session, "T1", "U1").shown == {"practice-a": 1}
