"""When each accepted step of a growth plan has its week.

Steps come one a week, in the order the person accepted them: the first step's week starts
the first MORNING after it was accepted (the person's own time), each later one the
morning after the previous step's week ends, or the first morning after its own acceptance
if that is later. A week is seven days: its step's practice arrives by DM on the first
morning and its check-in at END_OF_DAY on the seventh day.

Times are the person's wall clock (their Slack time zone when they accepted the step, UTC if
Slack could not say), so a week starts at 9:00 wherever they are and across clock changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.platform.local_time import local_moment, next_moment

MORNING = time(9, 0)
END_OF_DAY = time(16, 0)
WEEK_DAYS = 7
EVERY_DAY = range(7)


@dataclass(frozen=True)
class Week:
    starts_at: datetime  # the nudge DM
    checkin_at: datetime  # the check-in DM, on its last day


def zone_of(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ValueError, OSError):  # a zone Slack named that this machine does not know
        return ZoneInfo("UTC")


def next_week(previous: Sequence[datetime], accepted_at: datetime, zone: ZoneInfo) -> Week:
    """The week of a step accepted at `accepted_at`, after the plan's weeks starting at
    `previous` (its live steps' starts)."""
    start = next_moment(EVERY_DAY, MORNING, zone, accepted_at)
    if previous:
        after_last = max(previous).astimezone(zone).date() + timedelta(days=WEEK_DAYS)
        start = max(start, local_moment(after_last, MORNING, zone))
    last_day = start.astimezone(zone).date() + timedelta(days=WEEK_DAYS - 1)
    return Week(start, local_moment(last_day, END_OF_DAY, zone))
