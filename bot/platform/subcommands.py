"""The `/lvm` subcommands: one catalog that both the router and the help text read."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

COMMAND = "/lvm"


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str
    summary: str
    examples: tuple[str, ...]


TIP = Subcommand(
    "tip",
    "tip [topic | leadership | management | words]",
    "A short practice to try this week, optionally on a topic or one side of the role.",
    ("tip", "tip delegation", "tip leadership", "tip one-on-one"),
)
TOPICS = Subcommand(
    "topics", "topics", "Every topic, with how many practices it holds.", ("topics",)
)
SITUATION = Subcommand(
    "situation",
    "situation [what just happened]",
    "Describe the situation at hand: which side of the role to lean on, the style that fits "
    "and the one to avoid, and two practices.",
    ("situation", "situation reorg", "situation outage"),
)
PULSE = Subcommand(
    "pulse",
    "pulse [setup | start | close | pause | resume | off | optout | optin]",
    "Your team's weekly anonymous check-in: see it, set it up (in the team's channel), or opt out.",
    ("pulse", "pulse setup", "pulse start", "pulse optout"),
)
SUMMARY = Subcommand(
    "summary",
    "summary [#channel] [weeks:N] [export]",
    "For a team's managers: scores per area over the weeks, participation, a chart and a focus.",
    ("summary", "summary #team weeks:26", "summary export"),
)
NUDGE = Subcommand(
    "nudge",
    "nudge [weekly <day> | daily] <time> [topic | leadership | management | focus] | off",
    "Scheduled practices for this channel, or for you when typed in a DM with lvm.",
    ("nudge weekly mon 09:00 delegation", "nudge daily 8:30am", "nudge", "nudge off"),
)
ASSESS = Subcommand(
    "assess",
    "assess",
    "A private self-assessment: where you lean between leading and managing, and what to grow.",
    ("assess",),
)
PRIVACY = Subcommand(
    "privacy",
    "privacy",
    "What lvm keeps about you (pulse answers, self-assessments) and what it doesn't, who sees what, and for how long.",
    ("privacy",),
)
FORGET = Subcommand(
    "forget",
    "forget me",
    "Delete what lvm keeps about you in this workspace (it asks you first).",
    ("forget me",),
)
HELP = Subcommand("help", "help", "This list.", ("help",))

CATALOG: tuple[Subcommand, ...] = (
    TIP,
    TOPICS,
    SITUATION,
    PULSE,
    SUMMARY,
    NUDGE,
    ASSESS,
    PRIVACY,
    FORGET,
    HELP,
)


@dataclass(frozen=True)
class Invocation:
    name: str
    args: str


def parse(text: str | None) -> Invocation:
    """Split `/lvm` text into a lower-cased subcommand name and the rest, as typed."""
    parts = (text or "").strip().split(maxsplit=1)
    if not parts:
        return Invocation("", "")
    return Invocation(parts[0].lower(), parts[1] if len(parts) > 1 else "")


def closest_name(word: str, names: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The accepted word closest to a misspelled one (`summry` -> `summary`), if any is close."""
    close = difflib.get_close_matches(word.lower(), list(names), n=1, cutoff=cutoff)
    return close[0] if close else None


def suggestion(invocation: Invocation) -> str | None:
    """`/lvm summary weeks:4` for `/lvm summry weeks:4`: the command as probably meant."""
    name = closest_name(invocation.name, (sub.name for sub in CATALOG))
    if name is None:
        return None
    return f"{name} {invocation.args}".strip()
