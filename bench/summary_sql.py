"""The summary's SQL timed against the straightforward way: load the answers, sum in Python.

The statements `build_summary` sends are recorded once, then replayed and fetched in full on
a connection (so SQLite, which computes rows as they are fetched, is timed for all of its
work). The baseline loads the same team's answers for the same closed rounds with one plain
SELECT and averages them per round and dimension in Python, applying the same per-question
threshold; both go through the same SQLAlchemy connection, alternating, and the medians are
compared. The summary's numbers must equal the baseline's, and its participation what the
history wrote.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, event, select

from bot.bank import Bank
from bot.platform.database import Database
from bot.pulse.store import CLOSED, PulseAnswer, PulseRound, PulseTeam
from bot.summary.build import build_summary
from bot.summary.disclosure import dimension_of_question, effective_threshold
from bot.summary.trends import TeamSummary, one_decimal

Statement = tuple[str, Any]  # as the driver receives it: SQL text and parameters
RoundDimension = tuple[int, str]


@dataclass(frozen=True)
class SpanTiming:
    weeks: int
    rounds: int  # closed rounds in the summary
    answer_rows: int  # rows the baseline loads
    statements: int  # what build_summary sends
    sql_ms: float  # medians of `repeats`
    python_ms: float
    build_ms: float  # build_summary in this process: its SQL through the ORM, and Python
    repeats: int
    scores_match: bool
    participation_match: bool
    all_shown: bool

    @property
    def ratio(self) -> float:
        return self.python_ms / self.sql_ms if self.sql_ms else 0.0


def time_span(
    database: Database,
    bank: Bank,
    team_id: int,
    *,
    weeks: int,
    now: datetime,
    repeats: int,
    participation: dict[str, tuple[int, int]],
) -> SpanTiming:
    """Median SQL time of one summary against the Python aggregation, and their agreement."""
    summary, statements = _summary_and_statements(database, bank, team_id, weeks, now)
    baseline = _baseline_query(team_id, since=now - timedelta(weeks=weeks), now=now)
    threshold = effective_threshold(summary.threshold)
    sql, python, build = [], [], []
    with database.engine.connect() as connection:
        _replay(connection, statements)  # warm-up: caches, and the pages of this team
        expected, answer_rows = aggregate_in_python(connection, baseline, bank, threshold)
        for _ in range(repeats):
            sql.append(_replay(connection, statements))
            started = time.perf_counter()
            aggregate_in_python(connection, baseline, bank, threshold)
            python.append(time.perf_counter() - started)
    for _ in range(repeats):
        build.append(_build_seconds(database, bank, team_id, weeks, now))
    return SpanTiming(
        weeks=weeks,
        rounds=len(summary.rounds),
        answer_rows=answer_rows,
        statements=len(statements),
        sql_ms=statistics.median(sql) * 1000,
        python_ms=statistics.median(python) * 1000,
        build_ms=statistics.median(build) * 1000,
        repeats=repeats,
        scores_match=_scores(summary) == _means(expected),
        participation_match=all(
            participation.get(view.period) == (view.answered, view.asked) for view in summary.rounds
        ),
        all_shown=all(view.shown and not view.hidden_dimensions for view in summary.rounds),
    )


def aggregate_in_python(
    connection: Connection, baseline: Select, bank: Bank, threshold: int
) -> tuple[dict[RoundDimension, tuple[int, int]], int]:
    """The straightforward summary: every answer row into Python, summed per round and
    dimension there (questions answered by fewer than `threshold` people left out, and a
    dimension read from its anchor alone in a round that asked it); the sums and counts,
    and how many rows were loaded."""
    dimension_of = dimension_of_question(bank)
    anchors = {q.id for q in bank.asked_questions if q.anchor}
    per_question: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    rows = 0
    for round_id, question_id, score in connection.execute(baseline):
        total = per_question[round_id, question_id]
        total[0] += score
        total[1] += 1
        rows += 1
    anchored = {
        (round_id, dimension_of[question_id])
        for round_id, question_id in per_question
        if question_id in anchors
    }
    per_dimension: dict[RoundDimension, tuple[int, int]] = {}
    for (round_id, question_id), (score_sum, answers) in per_question.items():
        dimension = dimension_of.get(question_id)
        if dimension is None or answers < threshold:
            continue
        if (round_id, dimension) in anchored and question_id not in anchors:
            continue
        before = per_dimension.get((round_id, dimension), (0, 0))
        per_dimension[round_id, dimension] = (before[0] + score_sum, before[1] + answers)
    return per_dimension, rows


def _baseline_query(team_id: int, *, since: datetime, now: datetime) -> Select:
    """The team's answers in the rounds that opened in (since, now] and closed by now."""
    return (
        select(PulseAnswer.round_id, PulseAnswer.question_id, PulseAnswer.score)
        .join(PulseRound, PulseRound.id == PulseAnswer.round_id)
        .where(
            PulseRound.pulse_team_id == team_id,
            PulseRound.opens_at > since,
            PulseRound.opens_at <= now,
            PulseRound.status == CLOSED,
            PulseRound.closed_at <= now,
        )
    )


def _means(totals: dict[RoundDimension, tuple[int, int]]) -> dict[RoundDimension, Any]:
    return {key: (one_decimal(s, n), n) for key, (s, n) in totals.items()}


def _scores(summary: TeamSummary) -> dict[RoundDimension, Any]:
    return {
        (view.round_id, dimension): (score.average, score.answers)
        for view in summary.rounds
        for dimension, score in view.scores.items()
    }


def _summary_and_statements(
    database: Database, bank: Bank, team_id: int, weeks: int, now: datetime
) -> tuple[TeamSummary, list[Statement]]:
    statements: list[Statement] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    with database.transaction() as session:
        team = session.get(PulseTeam, team_id)
        assert team is not None
        with _listening(database, record):
            summary = build_summary(session, bank, team, weeks=weeks, now=now, rng=random.Random(1))
    return summary, statements


@contextmanager
def _listening(database: Database, record: Any) -> Iterator[None]:
    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def _replay(connection: Connection, statements: list[Statement]) -> float:
    """Seconds to run and fetch every statement, as the driver got it."""
    started = time.perf_counter()
    for statement, parameters in statements:
        connection.exec_driver_sql(statement, parameters).all()
    return time.perf_counter() - started


def _build_seconds(
    database: Database, bank: Bank, team_id: int, weeks: int, now: datetime
) -> float:
    with database.transaction() as session:
        team = session.get(PulseTeam, team_id)
        assert team is not None
        started = time.perf_counter()
        build_summary(session, bank, team, weeks=weeks, now=now, rng=random.Random(1))
        return time.perf_counter() - started
