"""Pulse history for summary tests, made with the real pulse functions and a fixed secret.

`run_round` opens a round on a given Monday, records each person's answers and comments as
they would arrive, and closes it (or leaves it open). The numbers each test expects are
written out in the test, from the scores given here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time, timedelta

from sqlalchemy.orm import Session

from bot.bank import Bank
from bot.pulse.rounds import close_round, open_round, record_answer, record_comment
from bot.pulse.schedule import Schedule
from bot.pulse.store import PulseRound, PulseTeam
from bot.pulse.teams import TeamSettings, save_team

SECRET = "summary-tests-secret"
WORKSPACE = "T0SUMMARY"
CHANNEL = "C0PLATFORM"
MANAGER = "U0MANAGER"
P1, P2, P3, P4, P5, P6 = (f"U0PERSON{n}" for n in range(1, 7))
PEOPLE = (P1, P2, P3, P4, P5, P6)

TRUST_SAFE = "trust-lead-checks-in"
TRUST_CARED = "trust-lead-keeps-word"
GOALS = "goals-lead-clear-priorities"
WORKLOAD = "workload-sustainable-pace"
GROWTH = "growth-lead-feedback"
PINNED = [TRUST_SAFE, TRUST_CARED, GOALS, WORKLOAD, GROWTH]

# Monday 7 September 2026, 10:00 UTC: week 0 of every history.
WEEK_ZERO = datetime(2026, 9, 7, 10, 0, tzinfo=UTC)
OPEN_FOR = timedelta(days=3)


def monday(week: int) -> datetime:
    return WEEK_ZERO + timedelta(weeks=week)


def make_team(
    session: Session,
    *,
    threshold: int = 3,
    question_ids: list[str] | None = PINNED,
    channel_id: str = CHANNEL,
    name: str = "Platform",
    workspace: str = WORKSPACE,
) -> PulseTeam:
    settings = TeamSettings(
        name=name,
        managers=[MANAGER],
        schedule=Schedule(
            weekday=0,
            local_time=time(10, 0),
            timezone="UTC",
            open_days=3,
            remind_after_hours=24,
        ),
        question_ids=question_ids,
        anonymity_threshold=threshold,
    )
    team, _ = save_team(
        session,
        team_id=workspace,
        channel_id=channel_id,
        settings=settings,
        actor=MANAGER,
        now=WEEK_ZERO - timedelta(weeks=1),
    )
    return team


def run_round(
    session: Session,
    bank: Bank,
    team: PulseTeam,
    week: int,
    answers: Mapping[str, Mapping[str, int]],
    *,
    comments: Mapping[str, str] | None = None,
    members: Sequence[str] = PEOPLE,
    close: bool = True,
    asked: Sequence[str] | None = None,
) -> PulseRound:
    """One weekly round: `answers` maps a person to their score per question.

    `asked`: the statements the round asked, as an older version stored them (retired ones
    included), in place of what the team's settings choose today."""
    opens = monday(week)
    pulse_round = open_round(session, bank, team, members=members, now=opens).round
    if asked is not None:
        pulse_round.question_ids = list(asked)
    answered_at = opens + timedelta(hours=2)
    for person, scores in answers.items():
        for question_id, score in scores.items():
            record_answer(
                session,
                secret=SECRET,
                team_id=team.team_id,
                round_id=pulse_round.id,
                user_id=person,
                question_id=question_id,
                score=score,
                now=answered_at,
            )
    for person, text in (comments or {}).items():
        record_comment(
            session,
            secret=SECRET,
            team_id=team.team_id,
            round_id=pulse_round.id,
            user_id=person,
            text=text,
            now=answered_at,
        )
    if close:
        close_round(session, pulse_round, opens + OPEN_FOR)
    session.flush()
    return pulse_round


def same_scores(people: Sequence[str], scores: Mapping[str, Sequence[int]]) -> dict:
    """{person: {question: score}} from one list of scores per question, in people's order.

    A person with no score for a question (a list shorter than `people`) skips it.
    """
    result: dict[str, dict[str, int]] = {person: {} for person in people}
    for question_id, values in scores.items():
        for person, value in zip(people, values, strict=False):
            result[person][question_id] = value
    return {person: answers for person, answers in result.items() if answers}


NOW = monday(4) + timedelta(days=1)  # week 4's round is open; weeks 0 to 3 have closed
WEEK_THREE_COMMENTS = ("More focus time, please.", "Stand-ups run long.", "Thanks for the offsite!")
HIDDEN_COMMENT = "Only two of us answered this week."
EARLIER_COMMENT = "A comment from week two."
OPEN_COMMENT = "Written while the round is still open."


def platform_history(
    session: Session, bank: Bank, team: PulseTeam, *, week_one_score: int = 1
) -> None:
    """Four closed weeks and an open one, for a team with threshold 3 and six people.

    week 0: P1-P4 answer everything.
    week 1: only P1 and P2 answer (below the threshold), all with `week_one_score`.
    week 2: P1-P5 answer, but only P1 and P2 answer the growth question.
    week 3: P5 has left and P6 joined; only P1 and P2 answer the second trust question.
    week 4: open; P1-P5 answer 5 to everything.
    """
    run_round(
        session,
        bank,
        team,
        0,
        same_scores(
            (P1, P2, P3, P4),
            {
                TRUST_SAFE: [4, 4, 3, 5],
                TRUST_CARED: [5, 4, 4, 3],
                GOALS: [3, 3, 2, 4],
                WORKLOAD: [3, 2, 3, 2],
                GROWTH: [4, 4, 4, 4],
            },
        ),
    )
    run_round(
        session,
        bank,
        team,
        1,
        same_scores((P1, P2), {question: [week_one_score] * 2 for question in PINNED}),
        comments={P1: HIDDEN_COMMENT},
    )
    run_round(
        session,
        bank,
        team,
        2,
        same_scores(
            (P1, P2, P3, P4, P5),
            {
                TRUST_SAFE: [4, 4, 4, 4, 4],
                TRUST_CARED: [4, 4, 4, 4, 5],
                GOALS: [2, 2, 3, 2, 2],
                WORKLOAD: [3, 3, 3, 2, 2],
                GROWTH: [5, 5],
            },
        ),
        comments={P2: EARLIER_COMMENT},
    )
    run_round(
        session,
        bank,
        team,
        3,
        same_scores(
            (P1, P2, P3, P4, P6),
            {
                TRUST_SAFE: [5, 4, 4, 4, 4],
                TRUST_CARED: [4, 4],
                GOALS: [2, 2, 2, 2, 3],
                WORKLOAD: [3, 3, 2, 2, 2],
                GROWTH: [3, 4, 3, 4, 3],
            },
        ),
        comments=dict(zip((P1, P3, P6), WEEK_THREE_COMMENTS, strict=True)),
        members=(P1, P2, P3, P4, P6),
    )
    run_round(
        session,
        bank,
        team,
        4,
        same_scores((P1, P2, P3, P4, P5), {question: [5] * 5 for question in PINNED}),
        comments={P1: OPEN_COMMENT},
        close=False,
    )
