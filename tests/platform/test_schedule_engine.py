"""One schedule engine for pulse rounds and scheduled tips: the latest and next moments."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.platform.local_time import latest_moment, next_moment

ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC"]

moments = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
weekday_sets = st.sets(st.integers(0, 6), min_size=1)
times = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@given(moments, weekday_sets, times, st.sampled_from(ZONES))
def test_latest_is_not_after_now_and_next_is_after_it(now, weekdays, at, zone_name):
    zone = ZoneInfo(zone_name)
    latest = latest_moment(weekdays, at, zone, now)
    following = next_moment(weekdays, at, zone, now)
    assert latest <= now < following
    for moment in (latest, following):
        assert moment.astimezone(zone).weekday() in weekdays
    # Nothing scheduled falls between them: the next after `latest` is `following`.
    assert next_moment(weekdays, at, zone, latest) == following


def test_daily_on_working_days_skips_the_weekend():
    saturday_noon = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    latest = latest_moment(range(5), time(9, 0), ZoneInfo("Europe/London"), saturday_noon)
    assert latest == datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    following = next_moment(range(5), time(9, 0), ZoneInfo("Europe/London"), saturday_noon)
    assert following == latest + timedelta(days=3)


def test_a_time_in_the_spring_gap_moves_past_the_jump():
    # 2026-03-29 01:30 does not exist in London; it resolves to 02:30 BST (01:30 UTC).
    now = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
    latest = latest_moment({6}, time(1, 30), ZoneInfo("Europe/London"), now)
    assert latest == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
