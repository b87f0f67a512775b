"""Migrations build exactly the schema the models describe, on each database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import JSON, MetaData, func, select, text

from bot.migrations import migrate
from bot.migrations.schema import metadata
from bot.platform.database import Database
from tests.support.databases import PostgresSchema, iterate_databases, postgres_url


def test_database_is_at_head_and_matches_the_models(database):
    assert migrate.is_current(database)
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_upgrading_twice_changes_nothing(database):
    migrate.upgrade(database)
    assert migrate.current_revision(database) == migrate.head_revision()


REVISION_BEFORE_THIS_SESSIONS = "0005"  # the oldest schema installs may still be on


@pytest.fixture(params=iterate_databases())
def unmigrated_database(request, tmp_path) -> Iterator[Database]:
    """An empty database with no tables at all, of each configured kind."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path}/old.sqlite3")
        yield database
        database.dispose()
        return
    schema = PostgresSchema(postgres_url() or "", migrated=False)
    database = Database(schema.url)
    yield database
    database.dispose()
    schema.drop()


def _value_for(column) -> object:
    """A value any NOT NULL column of ours accepts (ids are 1: one row per table)."""
    if column.foreign_keys or column.primary_key:
        return 1
    kind = column.type.python_type if not isinstance(column.type, JSON) else list
    return {
        int: 1,
        bool: False,
        str: "x",
        datetime: datetime(2026, 1, 5, tzinfo=UTC),
        list: [],
        dict: {},
    }[kind]


def _one_row_everywhere(database: Database) -> dict[str, int]:
    """Fill every table with one row (parents first); returns each table's row count."""
    tables = MetaData()
    tables.reflect(database.engine)
    with database.engine.begin() as connection:
        for table in tables.sorted_tables:
            if table.name == "alembic_version":
                continue
            row = {
                c.name: _value_for(c)
                for c in table.columns
                if not c.nullable or c.primary_key or c.foreign_keys
            }
            connection.execute(table.insert().values(row))
    return _counts(database)


def _counts(database: Database) -> dict[str, int]:
    tables = MetaData()
    tables.reflect(database.engine)
    with database.engine.connect() as connection:
        return {
            t.name: connection.execute(select(func.count()).select_from(t)).scalar_one()
            for t in tables.sorted_tables
            if t.name != "alembic_version"
        }


def test_upgrading_and_downgrading_keep_existing_rows(unmigrated_database):
    # SQLite rebuilds a table to alter it; with foreign keys on, dropping the old copy
    # cascaded and deleted every round, answer and recipient of an install being upgraded.
    database = unmigrated_database
    migrate.upgrade(database, REVISION_BEFORE_THIS_SESSIONS)
    before = _one_row_everywhere(database)
    assert set(before.values()) == {1}
    migrate.upgrade(database)
    after = _counts(database)
    assert {name: after[name] for name in before} == before
    migrate.downgrade(database, REVISION_BEFORE_THIS_SESSIONS)
    assert _counts(database) == before


REVISION_BEFORE_DIDNT_COME_UP = "0013_dbprivacy"


def _insert(connection, tables: MetaData, name: str, **values) -> None:
    """One row: `values`, and whatever any other NOT NULL column of `name` accepts."""
    table = tables.tables[name]
    row = {c.name: _value_for(c) for c in table.columns if not c.nullable and c.name != "id"}
    connection.execute(table.insert().values({**row, **values}))


def test_upgrading_counts_stored_totals_favorable_answers_from_their_answers(
    unmigrated_database,
):
    database = unmigrated_database
    migrate.upgrade(database, REVISION_BEFORE_DIDNT_COME_UP)
    tables = MetaData()
    tables.reflect(database.engine)
    scores = {"direction": [5, 4, 2, 4], "trust": [1, 3, 3]}
    with database.engine.begin() as connection:
        _insert(connection, tables, "pulse_teams", id=1)
        _insert(connection, tables, "pulse_rounds", id=1, pulse_team_id=1, period="2026-W40")
        for question, given in scores.items():
            for person, score in enumerate(given):
                _insert(
                    connection,
                    tables,
                    "pulse_answers",
                    round_id=1,
                    question_id=question,
                    respondent_key=f"key{person}",
                    score=score,
                )
            _insert(
                connection,
                tables,
                "pulse_question_totals",
                round_id=1,
                question_id=question,
                score_sum=sum(given),
                answers=len(given),
            )
        # Totals whose answers are no longer all there: their favorable count is unknown.
        _insert(
            connection,
            tables,
            "pulse_question_totals",
            round_id=1,
            question_id="gone",
            score_sum=20,
            answers=5,
        )
    migrate.upgrade(database)

    with database.engine.connect() as connection:
        totals = connection.execute(
            text(
                "SELECT question_id, score_sum, answers, favorable, not_applicable "
                "FROM pulse_question_totals ORDER BY question_id"
            )
        ).all()
        kept = connection.execute(
            text("SELECT question_id, score FROM pulse_answers ORDER BY question_id, score")
        ).all()
    assert [tuple(row) for row in totals] == [
        ("direction", 15, 4, 3, 0),  # 5, 4 and 4 are favorable
        ("gone", 20, 5, None, 0),
        ("trust", 7, 3, 0, 0),
    ]
    assert sorted(kept) == sorted((q, s) for q, given in scores.items() for s in given)
    if database.is_sqlite:
        with database.engine.connect() as connection:
            definition = connection.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'pulse_answers'")
            ).scalar_one()
        assert "WITHOUT ROWID" in definition  # stored in key order, as before

    # "Didn't come up" is an answer without a score, which the old schema cannot hold.
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO pulse_answers (round_id, question_id, respondent_key, score) "
                "VALUES (1, 'trust', 'key9', NULL)"
            )
        )
    migrate.downgrade(database, REVISION_BEFORE_DIDNT_COME_UP)
    with database.engine.connect() as connection:
        left = connection.execute(text("SELECT count(*) FROM pulse_answers")).scalar_one()
    assert left == sum(len(given) for given in scores.values())
