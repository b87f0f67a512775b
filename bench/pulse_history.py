"""Years of weekly pulse rounds for many teams, written in bulk into lvm's own tables.

Making millions of answers through the pulse functions (one upsert per click) would take far
longer than a benchmark may, so the rows are generated here and written the fastest way each database offers:
COPY on PostgreSQL, one executemany per table in a single transaction on SQLite. They are
the rows lvm writes: every member is asked (`pulse_recipients`), the respondents answer the
round's questions (the team's pinned ones or the rotating default) under respondent keys made
by `bot.pulse.anonymity`, some also comment, and every round has closed.

The first team is the one a benchmark or test looks at: it has the most members.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, insert

from bot.bank import Bank
from bot.pulse.anonymity import respondent_key
from bot.pulse.questions import rotating_default, week_index
from bot.pulse.schedule import period_of
from bot.pulse.store import CLOSED, PulseRound, PulseTeam

UTC_ZONE = ZoneInfo("UTC")
MANAGER = "UMANAGER"
OPEN_DAYS = 3
SCORE_SPREAD = 0.9  # how far one person's score strays from the team's mood
MOOD_STEP = 0.06  # how far a team's mood in a dimension drifts in a week
ROUNDS_PER_WRITE = 500  # rounds whose rows are generated, then written, at a time
COMMENTS = (
    "Planning was clearer this week.",
    "Too many meetings on Tuesday.",
    "Would love more time with the new tooling.",
    "Thanks for shielding us during the incident.",
    "The on-call handover still loses things.",
)
RECIPIENT_COLUMNS = ("round_id", "user_id")  # who was asked; who answered is not stored
ANSWER_COLUMNS = ("round_id", "question_id", "respondent_key", "score")
COMMENT_COLUMNS = ("round_id", "respondent_key", "text")
# Every table a summary reads, the stored totals too (they fill up later, from the clock).
SUMMARY_TABLES = (
    "pulse_teams",
    "pulse_rounds",
    "pulse_recipients",
    "pulse_answers",
    "pulse_comments",
    "pulse_question_totals",
)


@dataclass(frozen=True)
class HistoryShape:
    teams: int
    weeks: int  # closed weekly rounds of the first team
    other_weeks: int  # closed weekly rounds of every other team
    members: tuple[int, int]  # people per team, drawn from this range; the first has the most
    answering: tuple[float, float]  # share of the members who answer, drawn per round
    question_ids: list[str] | None = None  # pinned for every team; None: the rotating default
    threshold: int = 3
    skip_chance: float = 0.0  # a respondent leaves a question unanswered
    comment_chance: float = 0.0  # a respondent also writes a comment
    workspace: str = "T0LVM"
    seed: int = 42


@dataclass
class FilledHistory:
    """What was written, and the first team's participation to check a summary against."""

    team_id: int  # pulse_teams.id of the first team
    channel_id: str
    team_name: str
    members: list[str]  # the first team's people (its manager is MANAGER)
    teams: int = 0
    rounds: int = 0
    recipients: int = 0
    answers: int = 0
    comments: int = 0
    # The first team's (answered, asked) per round, by period.
    participation: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass
class _Rows:
    recipients: list[tuple[Any, ...]] = field(default_factory=list)
    answers: list[tuple[Any, ...]] = field(default_factory=list)
    comments: list[tuple[Any, ...]] = field(default_factory=list)


def name_of(team_number: int) -> str:
    return f"Team {team_number}"


def channel_of(team_number: int) -> str:
    return f"C{team_number:06d}"


def members_of(team_number: int, count: int) -> list[str]:
    return [f"U{team_number:05d}{person:03d}" for person in range(count)]


def fill_history(
    connection: Connection,
    bank: Bank,
    shape: HistoryShape,
    *,
    last_opening: datetime,
    secret: str,
) -> FilledHistory:
    """Write the history in the connection's transaction; rounds end with `last_opening`."""
    rng = random.Random(shape.seed)
    sizes = [shape.members[1]] + [rng.randint(*shape.members) for _ in range(shape.teams - 1)]
    first_opening = last_opening - timedelta(weeks=max(shape.weeks, shape.other_weeks) - 1)
    team_ids = _insert_returning_ids(
        connection,
        PulseTeam,
        [_team_row(shape, number, last_opening, first_opening) for number in range(shape.teams)],
    )
    filled = FilledHistory(
        team_ids[0], channel_of(0), name_of(0), members_of(0, sizes[0]), teams=len(team_ids)
    )
    schedule = [
        (team_ids[number], number, opens)
        for number in range(shape.teams)
        for opens in _openings(last_opening, shape.weeks if number == 0 else shape.other_weeks)
    ]
    round_rows = [_round_row(shape, bank, team_id, opens) for team_id, _, opens in schedule]
    round_ids = _insert_returning_ids(connection, PulseRound, round_rows)
    filled.rounds = len(round_ids)
    moods = _Moods(rng, bank)
    for start in range(0, len(round_ids), ROUNDS_PER_WRITE):
        rows = _Rows()
        for index in range(start, min(start + ROUNDS_PER_WRITE, len(round_ids))):
            team_id, number, _ = schedule[index]
            round_row = round_rows[index]
            answered, asked = _one_round(
                rows,
                rng,
                shape,
                round_id=round_ids[index],
                people=members_of(number, sizes[number]),
                questions=round_row["question_ids"],
                mood=moods.of(team_id),
                secret=secret,
            )
            if number == 0:
                filled.participation[round_row["period"]] = (answered, asked)
        _write(connection, "pulse_recipients", RECIPIENT_COLUMNS, rows.recipients)
        _write(connection, "pulse_answers", ANSWER_COLUMNS, rows.answers)
        _write(connection, "pulse_comments", COMMENT_COLUMNS, rows.comments)
        filled.recipients += len(rows.recipients)
        filled.answers += len(rows.answers)
        filled.comments += len(rows.comments)
    return filled


def analyze(engine: Engine) -> None:
    """Fresh planner statistics, as a database that has been running for a while has.

    On PostgreSQL a VACUUM as well: autovacuum would long have marked two years of rows
    all-visible, which index-only scans rely on, and a bulk load has not.
    """
    if engine.dialect.name == "postgresql":
        # Named, so only this schema's tables (found through the search path) are processed.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(f"VACUUM ANALYZE {', '.join(SUMMARY_TABLES)}")
        return
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")


def _openings(last_opening: datetime, weeks: int) -> list[datetime]:
    return [last_opening - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]


def _team_row(
    shape: HistoryShape, number: int, last_opening: datetime, first_opening: datetime
) -> dict[str, Any]:
    created = first_opening - timedelta(weeks=1)
    return {
        "team_id": shape.workspace,
        "channel_id": channel_of(number),
        "name": name_of(number),
        "managers": [MANAGER],
        "weekday": last_opening.weekday(),
        "local_time": last_opening.strftime("%H:%M"),
        "timezone": "UTC",
        "open_days": OPEN_DAYS,
        "remind_after_hours": 24,
        "question_ids": shape.question_ids,
        "anonymity_threshold": shape.threshold,
        "status": "active",
        "created_by": MANAGER,
        "created_at": created,
        "updated_at": created,
    }


def _round_row(shape: HistoryShape, bank: Bank, team_id: int, opens: datetime) -> dict[str, Any]:
    period = period_of(opens, UTC_ZONE)
    questions = shape.question_ids or [
        question.id for question in rotating_default(bank, week_index(period))
    ]
    closes = opens + timedelta(days=OPEN_DAYS)
    return {
        "team_id": shape.workspace,
        "pulse_team_id": team_id,
        "period": period,
        "question_ids": questions,
        "opens_at": opens,
        "remind_at": opens + timedelta(days=1),
        "closes_at": closes,
        "status": CLOSED,
        "anonymity_threshold": shape.threshold,
        "opened_by": "schedule",
        "reminded_at": opens + timedelta(days=1),
        "closed_at": closes,
    }


class _Moods:
    """Each team's mood per dimension, drifting a little every week."""

    def __init__(self, rng: random.Random, bank: Bank) -> None:
        self._rng = rng
        self._dimension_of = {question.id: question.dimension for question in bank.asked_questions}
        self._dimensions = [dimension.id for dimension in bank.dimensions]
        self._moods: dict[int, dict[str, float]] = {}

    def of(self, team_id: int) -> dict[str, float]:
        """The team's mood per question this week (called once per round, oldest first)."""
        moods = self._moods.get(team_id)
        if moods is None:
            moods = {d: self._rng.uniform(2.6, 4.3) for d in self._dimensions}
            self._moods[team_id] = moods
        for dimension, mood in moods.items():
            moods[dimension] = min(4.6, max(1.6, mood + self._rng.gauss(0.0, MOOD_STEP)))
        return {question: moods[dimension] for question, dimension in self._dimension_of.items()}


def _one_round(
    rows: _Rows,
    rng: random.Random,
    shape: HistoryShape,
    *,
    round_id: int,
    people: list[str],
    questions: Sequence[str],
    mood: dict[str, float],
    secret: str,
) -> tuple[int, int]:
    """Append one round's rows; returns (answered, asked)."""
    share = rng.uniform(*shape.answering)
    respondents = set(rng.sample(people, round(len(people) * share)))
    for person in people:
        rows.recipients.append((round_id, person))
    answered = 0  # counted as lvm counts it: distinct keys among answers and comments
    for person in sorted(respondents):
        key = respondent_key(secret, shape.workspace, round_id, person)
        said = 0
        for question in questions:
            if rng.random() < shape.skip_chance:
                continue
            score = round(rng.gauss(mood[question], SCORE_SPREAD))
            rows.answers.append((round_id, question, key, min(5, max(1, score))))
            said += 1
        if rng.random() < shape.comment_chance:
            rows.comments.append((round_id, key, rng.choice(COMMENTS)))
            said += 1
        answered += said > 0
    return answered, len(people)


def _insert_returning_ids(
    connection: Connection, model: type[PulseTeam] | type[PulseRound], rows: list[dict[str, Any]]
) -> list[int]:
    """Insert the rows (few enough for SQLAlchemy's batched INSERT); their ids, in order."""
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(connection.execute(statement, rows).scalars())


def _write(
    connection: Connection, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Append rows to a table inside the connection's transaction, in bulk."""
    driver = connection.connection.driver_connection
    assert driver is not None
    names = ", ".join(columns)
    if connection.dialect.name == "postgresql":
        # COPY streams the rows in one statement: executemany of millions is far slower.
        with driver.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    driver.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def timed_fill(
    engine: Engine, bank: Bank, shape: HistoryShape, *, last_opening: datetime, secret: str
) -> tuple[FilledHistory, float, float]:
    """Fill in one transaction, then analyze; the history, and seconds for each step."""
    started = time.perf_counter()
    with engine.begin() as connection:
        filled = fill_history(connection, bank, shape, last_opening=last_opening, secret=secret)
    written = time.perf_counter()
    analyze(engine)
    return filled, written - started, time.perf_counter() - written
