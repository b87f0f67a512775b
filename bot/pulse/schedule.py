"""When a team's rounds open, remind and close, in the team's own time zone.

All arithmetic is on local wall-clock dates and times, converted to UTC at the end, so a
"Monday 10:00" round stays at 10:00 on both sides of a daylight-saving change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.platform.local_time import (
    WEEKDAYS,
    ScheduleError,
    latest_moment,
    local_moment,
    next_moment,
    zone_or_error,
)

WORKDAY_START = time(8, 0)
WORKDAY_END = time(18, 0)
WORKING_WEEKDAYS = range(0, 5)


@dataclass(frozen=True)
class Schedule:
    weekday: int  # 0 = Monday
    local_time: time
    timezone: str
    open_days: int
    remind_after_hours: int  # 0 = no reminder

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class Window:
    period: str
    opens_at: datetime
    remind_at: datetime
    closes_at: datetime


def problems(schedule: Schedule) -> dict[str, str]:
    """Every rule the schedule breaks, by the field that breaks it (weekday, local_time,
    open_days, remind_after_hours): a form can then show them all at once."""
    found: dict[str, str] = {}
    if schedule.weekday not in WORKING_WEEKDAYS:
        found["weekday"] = "Rounds open on a working day: pick Monday to Friday."
    if not WORKDAY_START <= schedule.local_time <= WORKDAY_END:
        found["local_time"] = (
            "Rounds open in working hours: pick a time between 08:00 and 18:00 in the team's "
            "time zone."
        )
    if not 1 <= schedule.open_days <= 6:
        found["open_days"] = "A round stays open between 1 and 6 days."
    elif schedule.remind_after_hours and not (
        0 < schedule.remind_after_hours < schedule.open_days * 24
    ):
        found["remind_after_hours"] = "The reminder has to go out before the round closes."
    return found


def validate(schedule: Schedule) -> None:
    """Rounds open on a working day, in working hours, and remind before they close."""
    zone_or_error(schedule.timezone)
    for problem in problems(schedule).values():
        raise ScheduleError(problem)


def period_of(moment: datetime, zone: ZoneInfo) -> str:
    year, week, _ = moment.astimezone(zone).isocalendar()
    return f"{year}-W{week:02d}"


def window_from(opens_at: datetime, schedule: Schedule) -> Window:
    """The reminder and closing times of a round opened at `opens_at`."""
    zone = schedule.zone
    local_open = opens_at.astimezone(zone)
    closes_at = local_moment(
        local_open.date() + timedelta(days=schedule.open_days), local_open.time(), zone
    )
    remind_at = (
        opens_at + timedelta(hours=schedule.remind_after_hours)
        if schedule.remind_after_hours
        else closes_at
    )
    return Window(period_of(opens_at, zone), opens_at, min(remind_at, closes_at), closes_at)


def latest_opening(schedule: Schedule, now: datetime) -> datetime:
    """The most recent scheduled opening at or before `now`."""
    return latest_moment({schedule.weekday}, schedule.local_time, schedule.zone, now)


def next_opening(schedule: Schedule, now: datetime) -> datetime:
    """The first scheduled opening strictly after `now`."""
    return next_moment({schedule.weekday}, schedule.local_time, schedule.zone, now)


def before_next_week(window: Window, schedule: Schedule) -> Window:
    """A round started by hand closes by the next scheduled opening of a later week.

    Otherwise a round started late in the week would still be open when next week's round
    falls due, and that round would be skipped: people expect both, so the one started by
    hand gives way. (A round started earlier in the same week as a scheduled opening still
    ahead is that week's round; the caller tells the manager.)
    """
    following = next_opening(schedule, window.opens_at)
    if period_of(following, schedule.zone) == window.period:
        following = next_opening(schedule, following)
    if window.closes_at <= following:
        return window
    return Window(window.period, window.opens_at, min(window.remind_at, following), following)


def describe(schedule: Schedule) -> str:
    return (
        f"{WEEKDAYS[schedule.weekday]}s at {schedule.local_time:%H:%M} ({schedule.timezone}), "
        f"open {schedule.open_days} day{'s' if schedule.open_days != 1 else ''}"
    )
