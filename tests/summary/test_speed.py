"""Two years of weekly rounds for one team, in a database holding hundreds of teams.

The summary must come from grouped queries that reach rows through indexes starting with
the team or the round, so its cost follows the team's own history, not the database's size.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from sqlalchemy import event, insert, text

from bot.store.pulse import CLOSED, PulseAnswer, PulseRecipient, PulseRound, PulseTeam
from bot.summary import build_summary
from tests.summary.history import PINNED, WEEK_ZERO

OTHER_TEAMS = 300
OTHER_ROUNDS = 4
HISTORY_WEEKS = 104
PEOPLE = 8
RESPONDENTS = 6
SUMMARY_BUDGET_SECONDS = 1.0


def _team_row(team_id: int) -> dict:
    return {
        "id": team_id,
        "team_id": "T0SPEED",
        "channel_id": f"C{team_id:06d}",
        "name": f"Team {team_id}",
        "managers": ["U0MANAGER"],
        "weekday": 0,
        "local_time": "10:00",
        "timezone": "UTC",
        "open_days": 3,
        "remind_after_hours": 24,
        "question_ids": PINNED,
        "anonymity_threshold": 5,
        "status": "active",
        "created_by": "U0MANAGER",
        "created_at": WEEK_ZERO,
        "updated_at": WEEK_ZERO,
    }


def fill(session) -> int:
    """Bulk-insert the history (the real pulse functions would take minutes); returns the
    id of the team with two years of rounds."""
    rng = random.Random(42)
    teams = [_team_row(team_id) for team_id in range(1, OTHER_TEAMS + 2)]
    rounds, recipients, answers = [], [], []
    round_id = 0
    for team in teams:
        weeks = HISTORY_WEEKS if team["id"] == 1 else OTHER_ROUNDS
        for week in range(weeks):
            round_id += 1
            opens = WEEK_ZERO + timedelta(weeks=week)
            rounds.append(
                {
                    "id": round_id,
                    "team_id": "T0SPEED",
                    "pulse_team_id": team["id"],
                    "period": f"W{week:04d}",
                    "question_ids": PINNED,
                    "opens_at": opens,
                    "remind_at": opens + timedelta(days=1),
                    "closes_at": opens + timedelta(days=3),
                    "status": CLOSED,
                    "anonymity_threshold": 5,
                    "opened_by": "schedule",
                    "closed_at": opens + timedelta(days=3),
                }
            )
            for person in range(PEOPLE):
                recipients.append(
                    {
                        "round_id": round_id,
                        "user_id": f"U{person:05d}",
                        "answered": person < RESPONDENTS,
                        "reminded": False,
                    }
                )
            for person in range(RESPONDENTS):
                for question in PINNED:
                    answers.append(
                        {
                            "round_id": round_id,
                            "question_id": question,
                            "respondent_key": f"{round_id:08d}{person:056d}",
                            "score": rng.randint(1, 5),
                        }
                    )
    session.execute(insert(PulseTeam), teams)
    session.execute(insert(PulseRound), rounds)
    session.execute(insert(PulseRecipient), recipients)
    session.execute(insert(PulseAnswer), answers)
    return 1


def test_two_years_of_one_team_among_hundreds_is_fast(database, bank):
    with database.transaction() as session:
        team_id = fill(session)
    if not database.is_sqlite:
        with database.engine.connect() as connection:
            connection.execute(text("ANALYZE"))
    statements: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    now = WEEK_ZERO + timedelta(weeks=HISTORY_WEEKS - 1, days=4)  # the last round has closed
    with database.transaction() as session:
        team = session.get(PulseTeam, team_id)
        event.listen(database.engine, "before_cursor_execute", record)
        try:
            started = time.perf_counter()
            summary = build_summary(
                session, bank, team, weeks=HISTORY_WEEKS, now=now, rng=random.Random(1)
            )
            elapsed = time.perf_counter() - started
        finally:
            event.remove(database.engine, "before_cursor_execute", record)
    assert len(summary.rounds) == HISTORY_WEEKS
    assert all(view.shown for view in summary.rounds)
    assert elapsed < SUMMARY_BUDGET_SECONDS, f"summary took {elapsed:.3f}s"

    if database.is_sqlite:
        with database.engine.connect() as connection:
            for statement, parameters in statements:
                plan = [
                    row[-1]
                    for row in connection.exec_driver_sql(
                        f"EXPLAIN QUERY PLAN {statement}", parameters
                    )
                ]
                for step in plan:
                    table = next(
                        (
                            name
                            for name in ("pulse_answers", "pulse_recipients", "pulse_rounds")
                            if f" {name} " in f" {step} "
                        ),
                        None,
                    )
                    if table:
                        assert step.startswith("SEARCH"), (statement, plan)
