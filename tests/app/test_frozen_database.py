"""A database that stays locked: every request still answers, in Slack's 3 seconds, and says
to try again; /healthz says "unavailable". Locks are held from another connection, as a
stuck migration or session would hold them.

The app here waits `SHORT` for a lock so the test is quick; the waits it ships with are
checked against Slack's budget separately.
"""

from __future__ import annotations

import json
import sqlite3
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

from bot.migrations.schema import metadata
from bot.platform.database import REQUESTS, Database, Patience
from bot.platform.health import CHECK_SECONDS
from tests.support.harness import ALICE, TEAM_CHANNEL, running_app, text_of

SHORT = Patience(lock_seconds=0.3, statement_seconds=0.5)
SLACK_ACK_SECONDS = 3.0
DATABASE_DOWN = "can't reach my database"


@contextmanager
def frozen(database: Database) -> Iterator[None]:
    """Hold every lvm table locked from another connection."""
    if database.is_sqlite:
        other = sqlite3.connect(database.url.database, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    engine = create_engine(database.url)
    try:
        with engine.connect() as other, other.begin():
            tables = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
            other.execute(text(f"LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE"))
            yield
    finally:
        engine.dispose()


def healthz(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=10) as reply:
            return reply.status, json.load(reply)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_a_locked_database_gets_try_again_answers_and_healthz_says_unavailable(
    database, bank, clock, caplog
):
    impatient = Database(database.url.render_as_string(hide_password=False), patience=SHORT)
    try:
        with running_app(impatient, bank, clock) as harness:
            harness.slack.command(ALICE, "tip", channel_id=TEAM_CHANNEL)
            tip = harness.wait_for_text(ALICE, "Try this week")
            with frozen(database):
                command = harness.slack.command(ALICE, "tip delegation", channel_id=TEAM_CHANNEL)
                assert command.status == 200
                shown = text_of(harness.last_message(ALICE))
                assert DATABASE_DOWN in shown and "try again" in shown.lower()
                assert harness.slack.click(ALICE, tip, "tip.helpful").status == 200
                harness.wait_for_text(ALICE, DATABASE_DOWN)
                status, health = healthz(harness.url)
                assert (status, health) == (
                    503,
                    {"status": "unavailable", "database": "unavailable"},
                )
            assert healthz(harness.url) == (200, {"status": "ok", "database": "ok"})
    finally:
        impatient.dispose()


def test_the_shipped_waits_fit_in_slacks_ack_budget():
    # A request waits for a lock at most this long (then answers "try again"), and a
    # PostgreSQL statement runs at most this long; /healthz gives up on its check in time.
    assert REQUESTS.lock_seconds < SLACK_ACK_SECONDS
    assert REQUESTS.statement_seconds is not None
    assert REQUESTS.statement_seconds < SLACK_ACK_SECONDS
    assert CHECK_SECONDS < SLACK_ACK_SECONDS
    assert REQUESTS.connect_seconds <= SLACK_ACK_SECONDS


def test_healthz_keeps_the_database_error_in_the_log(caplog):
    from bot.platform.local_server import LocalServer
    from bot.platform.web import LvmWsgiApp

    unreachable = Database("postgresql://lvm@127.0.0.1:9/lvm")  # nothing listens on port 9
    try:
        with LocalServer(LvmWsgiApp(None, unreachable)) as server:  # type: ignore[arg-type]
            status, health = healthz(server.url)
    finally:
        unreachable.dispose()
    assert (status, health) == (503, {"status": "unavailable", "database": "unavailable"})
    assert "127.0.0.1" in caplog.text and "9" in caplog.text  # for the operator
