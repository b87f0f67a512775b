"""Wall-clock times in a person's or team's time zone, the way schedules are written."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class ScheduleError(ValueError):
    """A schedule that cannot be used; the message says what to choose instead."""


def zone_or_error(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(
            f"'{name}' is not a time zone I know. Use a name like Europe/London or America/New_York."
        ) from None


def parse_local_time(text: str) -> time:
    try:
        hours, minutes = (int(part) for part in text.strip().split(":"))
        return time(hours, minutes)
    except ValueError:
        raise ScheduleError(f"'{text}' is not a time of day. Use HH:MM, e.g. 10:00.") from None


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`day` at `at` in `zone`, as UTC.

    A time skipped by a spring-forward change resolves (fold=0, the offset before the change)
    to the same distance past the jump; a repeated autumn time takes its first occurrence.
    """
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
