"""Two years of weekly rounds for one team, in a database holding hundreds of teams.

The summary must come from grouped queries that reach rows through indexes starting with
the team or the round, so its cost follows the team's own history, not the database's size;
once the clock has stored the closed rounds' totals, from those alone. The history is written
in bulk by the benchmarks' filler (bench/pulse_history.py): the real pulse functions would
take minutes.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import event

from bench.pulse_history import HistoryShape, analyze, fill_history
from bot.pulse.store import PulseTeam
from bot.summary.build import build_summary
from bot.summary.stored_totals import store_totals
from tests.support.summary_history import PINNED, SECRET, WEEK_ZERO

HISTORY_WEEKS = 104
SHAPE = HistoryShape(
    teams=301,  # the measured team and 300 others
    weeks=HISTORY_WEEKS,
    other_weeks=4,
    members=(8, 8),
    answering=(0.75, 0.75),  # 6 of 8
    question_ids=PINNED,
    threshold=5,
    workspace="T0SPEED",
)
TABLES = (
    "pulse_answers",
    "pulse_recipients",
    "pulse_rounds",
    "pulse_question_totals",
)


def summary_and_statements(database, bank, team_id, now) -> tuple[object, list]:
    statements: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    with database.transaction() as session:
        team = session.get(PulseTeam, team_id)
        event.listen(database.engine, "before_cursor_execute", record)
        try:
            summary = build_summary(
                session, bank, team, weeks=HISTORY_WEEKS, now=now, rng=random.Random(1)
            )
        finally:
            event.remove(database.engine, "before_cursor_execute", record)
    return summary, statements


def assert_every_step_searches_an_index(database, statements) -> None:
    with database.engine.connect() as connection:
        for statement, parameters in statements:
            plan = [
                row[-1]
                for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            ]
            for step in plan:
                if any(f" {table} " in f" {step} " for table in TABLES):
                    assert step.startswith("SEARCH"), (statement, plan)


def test_two_years_of_one_team_among_hundreds_read_through_indexes(database, bank):
    # How fast is measured in bench/ (benchmark 3), never here: these machines are shared.
    last_opening = WEEK_ZERO + timedelta(weeks=HISTORY_WEEKS - 1)
    with database.transaction() as session:
        filled = fill_history(
            session.connection(), bank, SHAPE, last_opening=last_opening, secret=SECRET
        )
    analyze(database.engine)
    now = last_opening + timedelta(days=4)  # the last round has closed

    computed, statements = summary_and_statements(database, bank, filled.team_id, now)
    assert len(computed.rounds) == HISTORY_WEEKS
    assert all(view.shown for view in computed.rounds)
    if database.is_sqlite:
        assert_every_step_searches_an_index(database, statements)

    with database.transaction() as session:
        while store_totals(session, now):
            pass
    analyze(database.engine)
    stored, statements = summary_and_statements(database, bank, filled.team_id, now)
    assert stored.rounds == computed.rounds
    assert not [s for s, _ in statements if "pulse_answers" in s]
    if database.is_sqlite:
        assert_every_step_searches_an_index(database, statements)
