"""What the database holds after the click benchmark, against what the clicks should leave."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from bench.click_plan import ClickPlan
from bench.context import SECRET_KEY
from bench.databases import BenchDatabase
from bot.platform.database import Database
from bot.pulse.aggregates import participation_of
from bot.pulse.anonymity import respondent_key
from bot.pulse.store import PulseAnswer
from slack_standin import TEAM_ID


@dataclass(frozen=True)
class Stored:
    """What pulse_answers holds for the round, against what the clicks should have left."""

    rows: int
    expected: int
    doubled: int
    missing: int
    wrong_score: int
    answered: int  # distinct respondents among the answers


def check_answers(database: BenchDatabase, round_id: int, plan: ClickPlan) -> Stored:
    store = Database(database.url)
    try:
        with store.transaction() as session:
            rows = session.execute(
                select(
                    PulseAnswer.respondent_key, PulseAnswer.question_id, PulseAnswer.score
                ).where(PulseAnswer.round_id == round_id)
            ).all()
            # Who answered is not stored per person: count distinct respondent keys.
            answered = participation_of(session, [round_id]).get(round_id, (0, 0))[0]
    finally:
        store.dispose()
    per_answer = Counter((key, question) for key, question, _ in rows)
    scores = {(key, question): score for key, question, score in rows}
    missing = wrong = 0
    for (member, question), score in plan.expected.items():
        key = (respondent_key(SECRET_KEY, TEAM_ID, round_id, member), question)
        if key not in scores:
            missing += 1
        elif scores[key] != score:
            wrong += 1
    return Stored(
        rows=len(rows),
        expected=len(plan.expected),
        doubled=sum(count - 1 for count in per_answer.values()),
        missing=missing,
        wrong_score=wrong,
        answered=answered,
    )
