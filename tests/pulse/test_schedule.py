"""Schedule arithmetic in a team's time zone, across daylight-saving changes."""

from __future__ import annotations

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


def test_pinned_question_sets_are_checked(bank):
    both_sides = [bank.anchor_of(d).id for d in ["direction", "trust", "goals", "workload"]]
    assert questions.validate_pinned(bank, both_sides) == both_sides
    with pytest.raises(questions.QuestionSetError, match="from the list; these are unknown: nope"):
        questions.validate_pinned(bank, ["nope", *both_sides[:3]])
    with pytest.raises(questions.QuestionSetError, match="No longer asked, so remove it"):
        questions.validate_pinned(bank, ["growth-useful-feedback", *both_sides[:3]])
    # A follow-up is asked once, after a commitment falls due: never in a team's own set.
    with pytest.raises(questions.QuestionSetError, match="unknown: followup-goals"):
        questions.validate_pinned(bank, ["followup-goals", *both_sides])
    with pytest.raises(questions.QuestionSetError, match="between"):
        questions.validate_pinned(bank, both_sides[:2])
    with pytest.raises(questions.QuestionSetError, match="between"):
        questions.validate_pinned(bank, [q.id for q in bank.asked_questions[:7]])


@pytest.mark.parametrize(
    ("areas", "missing"),
    [
        (["direction", "change", "trust"], ["how you manage", "management score", "Managing"]),
        (["goals", "planning", "voice"], ["how you lead", "leadership score", "Leading"]),
        (["voice", "workload", "outcome"], ["how you lead", "how you manage", "both scores"]),
    ],
    ids=["no-managing", "no-leading", "neither"],
)
def test_a_pinned_set_may_not_drop_a_side(bank, areas, missing):
    chosen = [bank.anchor_of(d).id for d in areas]
    with pytest.raises(questions.QuestionSetError) as refused:
        questions.validate_pinned(bank, chosen)
    for words in missing:
        assert words in str(refused.value)
