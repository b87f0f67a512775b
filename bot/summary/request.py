"""Reading `/lvm summary ...` as people type it: a channel, a span of weeks, `export`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.platform.refusals import PulseRefusal
from bot.summary.build import DEFAULT_WEEKS, MAX_WEEKS, MIN_WEEKS

CHANNEL_MENTION = re.compile(r"<#([A-Z0-9]+)(?:\|[^>]*)?>")
EXPORT_WEEKS = 104


@dataclass(frozen=True)
class SummaryRequest:
    channel_id: str
    weeks: int
    export: bool


SUMMARY_FORMS = (
    "`/lvm summary` accepts a channel (`#team`), a span (`weeks:26`, `weeks 26` or `26 weeks`, "
    f"{MIN_WEEKS} to {MAX_WEEKS}) and `export`, in any order: for example "
    "`/lvm summary #team 26 weeks`."
)
WEEK_WORD = re.compile(r"^(?:weeks?|wks?)(?:[:=](.*))?$")
NUMBER_OF_WEEKS = re.compile(r"^(\S+?)(?:weeks?|wks?|w)?$")
EXPORT_WORDS = frozenset({"export", "csv"})


def _weeks_from(text: str) -> int:
    """A number of weeks as typed; ASCII digits only (`²` is a digit to Python, not to int)."""
    if not text:
        raise PulseRefusal(f"`weeks` needs a number after it. {SUMMARY_FORMS}")
    if not (text.isascii() and text.isdigit()) or not MIN_WEEKS <= int(text) <= MAX_WEEKS:
        raise PulseRefusal(
            f"`{text[:20]}` is not a number of weeks from {MIN_WEEKS} to {MAX_WEEKS}. "
            + SUMMARY_FORMS
        )
    return int(text)


def read_request(text: str, here: str) -> SummaryRequest:
    """`[#channel] [weeks:N | weeks N | N weeks] [export]`, in any order; the channel defaults
    to where it was typed."""
    mention = CHANNEL_MENTION.search(text)
    words = CHANNEL_MENTION.sub(" ", text).lower().split()
    weeks: int | None = None
    export = False
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word in EXPORT_WORDS:
            export = True
            continue
        if word.startswith("#"):
            raise PulseRefusal(
                f"There is no channel `{word[:40]}` that I can see. Type `#` and pick the team's "
                "channel from Slack's list so it becomes a link (for a private channel, invite "
                "me there first), or run `/lvm summary` in that channel."
            )
        named = WEEK_WORD.match(word)
        if named:  # `weeks:26`, `weeks=26`, or `weeks` then the number
            number = named.group(1)
            if not number and index < len(words):
                number, index = words[index].lstrip(":="), index + 1
            weeks = _weeks_from(number or "")
            continue
        counted = NUMBER_OF_WEEKS.match(word)
        if counted and counted.group(1)[:1].isdigit():  # `26 weeks`, `26w`, or just `26`
            if index < len(words) and WEEK_WORD.match(words[index]):
                index += 1
            weeks = _weeks_from(counted.group(1))
            continue
        raise PulseRefusal(f"I don't understand `{word[:40]}`. {SUMMARY_FORMS}")
    return SummaryRequest(
        channel_id=mention.group(1) if mention else here,
        # An export covers two years unless a span is asked for.
        weeks=weeks or (EXPORT_WEEKS if export else DEFAULT_WEEKS),
        export=export,
    )
