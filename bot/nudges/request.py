"""Reading `/lvm nudge ...` as people type it: a schedule, a time, then what to send.

`weekly mon 09:00 delegation`, `monday 9am`, `every weekday 8:30 leadership`, `daily 9 focus`;
`daily` means working days. Anything else is refused with the accepted forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from bot.bank import Bank
from bot.nudges.store import DAILY, WEEKLY
from bot.platform.local_time import WEEKDAYS
from bot.platform.subcommands import closest_name
from bot.tips import service as tips

# Instead of a topic: the area the pulse suggests working on (the summary's focus).
FOCUS = "focus"
ACCEPTED_FORMS = (
    "`/lvm nudge weekly mon 09:00 [leadership | management | topic | focus]` (or `monday 9am`), "
    "`/lvm nudge daily 09:00 [leadership | management | topic | focus]` (working days), "
    "`/lvm nudge` to see it, `/lvm nudge off` to stop"
)


# A query longer than this matches nothing (every word must appear in one practice), and its
# description would push the confirmation and each post past Slack's 3,000 characters.
MAX_QUERY_CHARACTERS = 100
DAILY_WORDS = frozenset({"daily", "weekdays", "workdays", "weekday", "workday"})
# `every day`, `every weekday`, `every working day`: the words after "every" that mean daily.
EVERY_DAY_WORDS = frozenset({"day", "weekday", "workday", "working"})
SPOKEN_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?(am|pm|a\.m\.|p\.m\.)?$")
COMPACT_TIME = re.compile(r"^(\d{2})(\d{2})$")


class NudgeFormError(ValueError):
    def __init__(self, problem: str, *, with_forms: bool = True) -> None:
        super().__init__(f"{problem} Accepted forms: {ACCEPTED_FORMS}." if with_forms else problem)


@dataclass(frozen=True)
class NudgeRequest:
    cadence: str
    weekday: int | None
    at: time
    query: str


def weekday_of(word: str) -> int | None:
    """`mon`, `Monday`, `mondays`, `tues`, `thurs`: the weekday a word names, if it names one."""
    stem = word.lower().rstrip(".,")
    stem = stem[:-1] if stem.endswith("s") and len(stem) > 4 else stem
    if len(stem) < 3:
        return None
    for index, name in enumerate(WEEKDAYS):
        if name.lower().startswith(stem):
            return index
    return None


def read_time(words: list[str]) -> tuple[time, int]:
    """A time of day as people type it, and how many words it took.

    `09:00`, `9:30`, `17.45`, `9am`, `9 am`, `9:30pm`, `0900`, `noon`, or a bare hour (`9`).
    """
    if not words:
        raise NudgeFormError("It needs a time, like `09:00` or `9am`.")
    word = words[0].lower()
    used = 1
    if len(words) > 1 and words[1].lower() in ("am", "pm", "a.m.", "p.m."):
        word, used = word + words[1].lower(), 2
    if word in ("noon", "midday"):
        return time(12, 0), used
    found = SPOKEN_TIME.match(word) or COMPACT_TIME.match(word)
    if found:
        hours, minutes = int(found.group(1)), int(found.group(2) or 0)
        half = found.group(3) if found.re is SPOKEN_TIME else None
        if half and 1 <= hours <= 12:
            hours = hours % 12 + (12 if half.startswith("p") else 0)
        elif half:
            hours = 24  # `13pm` is no time of day
        if hours < 24 and minutes < 60:
            return time(hours, minutes), used
    raise NudgeFormError(f"`{words[0][:10]}` is not a time of day: use `09:00`, `9am` or `17:30`.")


def _read_cadence(words: list[str]) -> tuple[str, int | None, list[str]]:
    """The cadence and weekday at the start of `words`, and the words after them."""
    first = words[0].lower() if words else ""
    if first == "every" and len(words) > 1:
        if words[1].lower() in EVERY_DAY_WORDS:
            rest = words[2:]
            if words[1].lower() == "working" and rest and rest[0].lower() == "day":
                rest = rest[1:]
            return DAILY, None, rest
        words, first = words[1:], words[1].lower()
    if first in DAILY_WORDS:
        return DAILY, None, words[1:]
    if first == WEEKLY:
        rest = words[1:]
        if rest and rest[0].lower() == "on":
            rest = rest[1:]
        weekday = weekday_of(rest[0]) if rest else None
        if weekday is None:
            raise NudgeFormError("A weekly nudge needs a day, like `mon` or `friday`.")
        return WEEKLY, weekday, rest[1:]
    weekday = weekday_of(first) if first else None
    if weekday is not None:  # `/lvm nudge monday 9am` means weekly
        return WEEKLY, weekday, words[1:]
    meant = closest_name(first, (DAILY, WEEKLY)) if first else None
    hint = f" Did you mean `{meant}`?" if meant else ""
    raise NudgeFormError(f"I can't read `{' '.join(words)[:60]}` as a schedule.{hint}")


def parse_request(args: str, bank: Bank) -> NudgeRequest:
    """A schedule, then a time, then what to send: `weekly mon 09:00 delegation`,
    `monday 9am`, `every weekday 8:30 leadership`. Anything else explains the forms."""
    cadence, weekday, rest = _read_cadence(args.split())
    if rest and rest[0].lower() == "at":
        rest = rest[1:]
    at, used = read_time(rest)
    query = " ".join(rest[used:])
    if len(query) > MAX_QUERY_CHARACTERS:
        raise NudgeFormError(
            f"What to send is {len(query):,} characters long; keep it to a topic, `leadership`, "
            f"`management`, `focus` or a few words (up to {MAX_QUERY_CHARACTERS} characters). "
            "`/lvm topics` lists the topics.",
            with_forms=False,
        )
    if query.lower() == FOCUS:
        return NudgeRequest(cadence, weekday, at, FOCUS)
    found = tips.read_query(bank, query)
    if isinstance(found, tips.NoMatch):
        close = ", ".join(t.id for t in found.suggestions) or "see `/lvm topics`"
        raise NudgeFormError(f'No practice matches "{query[:60]}" (closest: {close}).')
    return NudgeRequest(cadence, weekday, at, query)
