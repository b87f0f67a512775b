"""Wall-clock times in a person's or team's time zone, the way schedules are written."""

from __future__ import annotations

import difflib
from collections.abc import Container
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class ScheduleError(ValueError):
    """A schedule that cannot be used; the message says what to choose instead."""


WELL_KNOWN_IN_AREA = {
    "europe": ["Europe/London", "Europe/Paris", "Europe/Berlin"],
    "america": ["America/New_York", "America/Chicago", "America/Los_Angeles"],
    "asia": ["Asia/Tokyo", "Asia/Kolkata", "Asia/Singapore"],
    "africa": ["Africa/Lagos", "Africa/Nairobi", "Africa/Johannesburg"],
    "australia": ["Australia/Sydney", "Australia/Melbourne", "Australia/Perth"],
}


def canonical_zone(name: str) -> str:
    """The zone's own spelling when only its case differs (`europe/london`), else `name`."""
    return _known_zones().get(name.strip().lower(), name.strip())


@cache
def _known_zones() -> dict[str, str]:
    """Every zone name, by its lower-cased form."""
    return {zone.lower(): zone for zone in available_timezones()}


def _zone_hint(name: str) -> str:
    """A zone the person probably meant: `europe/london` -> Europe/London, `Europe` -> a city."""
    known = _known_zones()
    typed = name.strip().lower()
    if typed in known:
        return f"Did you mean {known[typed]}?"
    in_area = sorted(zone for key, zone in known.items() if key.startswith(typed + "/"))
    if typed and in_area:
        examples = ", ".join(WELL_KNOWN_IN_AREA.get(typed, in_area[:3]))
        return f"That is a region: add a city from it, like {examples}."
    close = difflib.get_close_matches(typed[:60], list(known), n=1, cutoff=0.8)
    if close:
        return f"Did you mean {known[close[0]]}?"
    return "Use a name like Europe/London or America/New_York."


def zone_or_error(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    # OSError: an area such as "Europe" is a folder of zones, and a name over 255 characters
    # is too long to be a file name; zoneinfo reports both as file errors.
    except (ZoneInfoNotFoundError, ValueError, OSError):
        shown = name if len(name) <= 40 else name[:39] + "…"
        raise ScheduleError(f"'{shown}' is not a time zone I know. {_zone_hint(name)}") from None


def parse_local_time(text: str) -> time:
    try:
        hours, minutes = (int(part) for part in text.strip().split(":"))
        return time(hours, minutes)
    except ValueError:
        shown = text if len(text) <= 40 else text[:39] + "…"
        raise ScheduleError(f"'{shown}' is not a time of day. Use HH:MM, e.g. 10:00.") from None


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`day` at `at` in `zone`, as UTC.

    A time skipped by a spring-forward change resolves (fold=0, the offset before the change)
    to the same distance past the jump; a repeated autumn time takes its first occurrence.
    """
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def latest_moment(weekdays: Container[int], at: time, zone: ZoneInfo, now: datetime) -> datetime:
    """The most recent `at` on one of `weekdays` (0 = Monday) in `zone`, at or before `now`.

    Pulse rounds and scheduled tips both repeat this way; a spring-forward gap resolves as in
    `local_moment`.
    """
    today = now.astimezone(zone).date()
    for back in range(15):
        day = today - timedelta(days=back)
        if day.weekday() in weekdays and (moment := local_moment(day, at, zone)) <= now:
            return moment
    raise ValueError("a schedule needs at least one weekday")


def next_moment(weekdays: Container[int], at: time, zone: ZoneInfo, now: datetime) -> datetime:
    """The first `at` on one of `weekdays` in `zone` strictly after `now`."""
    today = now.astimezone(zone).date()
    for ahead in range(15):
        day = today + timedelta(days=ahead)
        if day.weekday() in weekdays and (moment := local_moment(day, at, zone)) > now:
            return moment
    raise ValueError("a schedule needs at least one weekday")
