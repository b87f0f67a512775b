"""Schedule arithmetic in a team's time zone, across daylight-saving changes."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.platform.local_time import ScheduleError, local_moment
from bot.pulse import questions
from bot.pulse.schedule import Schedule, latest_opening, next_opening, validate, window_from


def monday_ten(zone: str, **changes) -> Schedule:
    values = dict(
        weekday=0, local_time=time(10, 0), timezone=zone, open_days=3, remind_after_hours=24
    )
    values.update(changes)
    return Schedule(**values)


def test_opening_keeps_local_time_across_the_autumn_change_in_london():
    schedule = monday_ten("Europe/London")
    before = next_opening(schedule, datetime(2026, 10, 18, tzinfo=UTC))
    after = next_opening(schedule, before + timedelta(minutes=1))
    assert before == datetime(2026, 10, 19, 9, 0, tzinfo=UTC)  # 10:00 BST
    assert after == datetime(2026, 10, 26, 10, 0, tzinfo=UTC)  # 10:00 GMT, clocks went back


def test_opening_keeps_local_time_across_the_spring_change_in_new_york():
    schedule = monday_ten("America/New_York")
    before = next_opening(schedule, datetime(2027, 3, 2, tzinfo=UTC))
    after = next_opening(schedule, before + timedelta(minutes=1))
    assert before == datetime(2027, 3, 8, 15, 0, tzinfo=UTC)  # 10:00 EST
    assert after == datetime(2027, 3, 15, 14, 0, tzinfo=UTC)  # 10:00 EDT


def test_a_round_that_spans_the_change_closes_at_the_same_local_time():
    schedule = monday_ten("Europe/London", weekday=4, open_days=3)  # Friday, over the weekend
    opens = datetime(2026, 10, 23, 9, 0, tzinfo=UTC)  # Fri 10:00 BST
    window = window_from(opens, schedule)
    assert window.closes_at == datetime(2026, 10, 26, 10, 0, tzinfo=UTC)  # Mon 10:00 GMT
    assert window.remind_at == opens + timedelta(hours=24)
    assert window.period == "2026-W43"


def test_latest_opening_is_at_or_before_now():
    schedule = monday_ten("Asia/Tokyo")
    now = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # Wednesday in Tokyo
    latest = latest_opening(schedule, now)
    assert latest == datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Mon 10:00 JST
    assert latest_opening(schedule, latest) == latest


def test_a_skipped_local_time_moves_forward():
    zone = monday_ten("Europe/London").zone
    moment = local_moment(datetime(2027, 3, 28).date(), time(1, 30), zone)
    assert moment.astimezone(zone).hour == 2  # 01:30 does not exist that night


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"weekday": 6}, "working day"),
        ({"local_time": time(21, 0)}, "working hours"),
        ({"timezone": "Mars/Olympus"}, "time zone"),
        ({"open_days": 2, "remind_after_hours": 48}, "before the round closes"),
    ],
)
def test_bad_schedules_say_what_to_choose(changes, words):
    with pytest.raises(ScheduleError, match=words):
        validate(monday_ten("Europe/London", **changes))


def test_default_rotation_asks_every_dimension_within_any_four_weeks(bank):
    dimension_of = {q.id: q.dimension for q in bank.questions}
    for first_week in range(0, 60):
        asked = Counter(
            dimension_of[q.id]
            for week in range(first_week, first_week + 4)
            for q in questions.rotating_default(bank, week)
        )
        assert set(asked) == {d.id for d in bank.dimensions}
    sizes = {len(questions.rotating_default(bank, week)) for week in range(20)}
    assert sizes <= set(range(questions.MIN_QUESTIONS, questions.MAX_QUESTIONS + 1))


def test_pinned_question_sets_are_checked(bank):
    ids = [q.id for q in bank.questions]
    assert questions.validate_pinned(bank, ids[:4]) == ids[:4]
    with pytest.raises(questions.QuestionSetError, match="Unknown"):
        questions.validate_pinned(bank, ["nope", *ids[:3]])
    with pytest.raises(questions.QuestionSetError, match="between"):
        questions.validate_pinned(bank, ids[:2])
