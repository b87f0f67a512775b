"""A database reader without the server secret links no answer or comment to anyone.

A realistic round runs through the real request path: three members answer and one of them
comments on the first day, the clock reminds the other two, one of them answers and comments
after the reminder, and the round closes. At two moments (after the late answer, while the
round is open, and after the close) the reader dumps every table, with PostgreSQL's system
columns xmin and ctid and SQLite's rowid where a table has one, and tries what worked
against earlier versions:
- a row naming a person that carries a respondent key;
- a row naming a person written in the same transaction (xmin) as an answer or a comment;
- who was reminded (so, with the order answers were written in, who answered late).
Each must recover nobody. The order of a closed round's answers must be the key order.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import MetaData, text
from sqlalchemy.exc import OperationalError

from bot.pulse.automation import REMINDER
from bot.pulse.blocks import COMMENT, COMMENT_INPUT
from tests.support.harness import ALICE, BOB, CAROL, DAN, ERIN, TEAM_CHANNEL
from tests.support.pulse_steps import (
    MANAGERS_ANSWER,
    answer,
    pulse_dms,
    question_ids,
    set_up_team,
    tick,
)

MEMBERS = [ALICE, BOB, CAROL, DAN, ERIN]
OPENED = datetime(2026, 11, 23, 10, 0, 30, tzinfo=UTC)  # Monday 10:00 London
REMINDED = OPENED + timedelta(hours=24)
CLOSED = datetime(2026, 11, 26, 10, 0, 30, tzinfo=UTC)
SAID = {"pulse_answers", "pulse_comments"}


def dump(database) -> dict[str, list[dict]]:
    """Every row of every table, as a reader with SQL access sees it."""
    tables = MetaData()
    tables.reflect(database.engine)
    postgres = not database.is_sqlite
    found: dict[str, list[dict]] = {}
    with database.engine.connect() as connection:
        for table in tables.sorted_tables:
            system = "xmin::text AS _xmin, ctid::text AS _ctid, " if postgres else ""
            if not postgres:
                try:
                    connection.execute(text(f'SELECT rowid FROM "{table.name}" LIMIT 1'))
                    system = "rowid AS _rowid, "
                except OperationalError:  # a WITHOUT ROWID table
                    system = ""
            result = connection.execute(text(f'SELECT {system}* FROM "{table.name}"'))
            found[table.name] = [dict(row._mapping) for row in result]
    return found


def people_in(row: dict) -> set[str]:
    flat = json.dumps({k: v for k, v in row.items() if not k.startswith("_")}, default=str)
    return {person for person in MEMBERS if person in flat}


def links(tables: dict[str, list[dict]]) -> dict[str, set[str]]:
    """Everyone the reader can tie to something said, by each means of attack."""
    said = [row for name in SAID for row in tables[name]]
    keys = {row["respondent_key"] for row in said}
    naming = [(name, row) for name, rows in tables.items() for row in rows if people_in(row)]
    found: dict[str, set[str]] = {"same row as a key": set(), "same xmin": set()}
    for _name, row in naming:
        if any(key in json.dumps(row, default=str) for key in keys):
            found["same row as a key"] |= people_in(row)
    xmins = {row["_xmin"] for row in said if "_xmin" in row}
    for _name, row in naming:
        if row.get("_xmin") in xmins:
            found["same xmin"] |= people_in(row)
    # Who was reminded: the late answers (by id, rowid, xmin or ctid) are theirs.
    reminded = set()
    for row in tables["outbox"]:
        if row["kind"] == REMINDER:
            reminded |= people_in(row)
    for row in tables["pulse_recipients"]:
        if any(row.get(flag) for flag in ("answered", "reminded")):
            reminded |= people_in(row)
    found["reminded (answers after it are theirs)"] = reminded
    return found


def comment(harness, user: str, words: str) -> None:
    harness.slack.click(user, pulse_dms(harness, user)[-1], COMMENT)
    modal = harness.workspace.wait_for(
        lambda: harness.workspace.top_view(user), what="the comment modal"
    )
    response = harness.slack.submit_view(user, modal, {COMMENT_INPUT: {COMMENT_INPUT: words}})
    assert response.ok and not (response.json or {}).get("errors"), response.json


def answer_all(harness, user: str, score: int) -> None:
    asked = question_ids(pulse_dms(harness, user)[-1])
    for question in asked:
        answer(harness, user, pulse_dms(harness, user)[-1], question, score)
    harness.wait_for_text(user, f"Recorded {len(asked)} of {len(asked)}")


def test_a_database_reader_links_no_answer_or_comment_to_anyone(harness):
    harness.services.now.set(OPENED - timedelta(hours=1))
    set_up_team(harness, ALICE, **MANAGERS_ANSWER)
    tick(harness, OPENED)
    harness.services.now.set(OPENED + timedelta(hours=1))
    for score, user in enumerate([ALICE, BOB, CAROL], start=2):
        answer_all(harness, user, score)
    comment(harness, BOB, "Too many meetings this week.")
    tick(harness, REMINDED + timedelta(seconds=30))
    assert [len(pulse_dms(harness, user)) for user in MEMBERS] == [1, 1, 1, 2, 2]
    harness.services.now.set(REMINDED + timedelta(hours=2))
    answer_all(harness, DAN, 1)  # the only one to answer after the reminder
    comment(harness, DAN, "I answered late: it was a long week.")

    while_open = dump(harness.services.database)
    asked = len(question_ids(pulse_dms(harness, DAN)[-1]))
    assert len(while_open["pulse_answers"]) == 4 * asked  # four people answered every one
    assert len(while_open["pulse_comments"]) == 2
    assert links(while_open) == {
        "same row as a key": set(),
        "same xmin": set(),
        "reminded (answers after it are theirs)": set(),
    }

    tick(harness, CLOSED)
    after_close = dump(harness.services.database)
    assert links(after_close) == {
        "same row as a key": set(),
        "same xmin": set(),
        "reminded (answers after it are theirs)": set(),
    }
    (closed,) = after_close["pulse_rounds"]
    assert (closed["status"], closed["answered"], closed["asked"]) == ("closed", 4, 5)
    for name in SAID:
        rows = after_close[name]
        assert not any("_rowid" in row or "id" in row for row in rows), name  # no write order
        if not harness.services.database.is_sqlite:
            # Rewritten at the close in key order: one transaction, places in key order.
            assert len({row["_xmin"] for row in rows}) == 1, name
            by_place = sorted(rows, key=lambda row: tuple(map(int, row["_ctid"][1:-1].split(","))))
            assert [r["respondent_key"] for r in by_place] == sorted(
                r["respondent_key"] for r in by_place
            ), name


def test_lvm_privacy_promises_what_the_reader_attack_shows(harness):
    reply = harness.slack.command(BOB, "privacy", channel_id=TEAM_CHANNEL)
    text = json.dumps(reply.json)
    assert "without the secret cannot link any answer or comment to you" in text
    assert "not who answered or when" in text
