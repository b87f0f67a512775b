"""A PNG chart of a summary: the two sides' scores, one small panel per area, participation.

It plots the summary's shown values only, so it can reveal nothing the message does not.
The drawing itself is in `bot.summary.chart_figure`; this module holds what is drawn.

A chart is drawn from `ChartData`, plain values taken from the summary: a digest's outbox row
keeps them from the round's close, and the chart is drawn when the row is sent (outside the
close's transaction), from exactly the numbers the digest's message shows. Rows planned by an
earlier version lack the newer keys; `from_json` gives them defaults so they still draw.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from bot.bank import About, Bank
from bot.summary.trends import RoundView, TeamSummary, mean_one_decimal

ALT_TEXT_LIMIT = 1000


def _opened(view: RoundView, timezone: str) -> str:
    """The day a round opened, in the team's time zone: "23 Nov"."""
    return f"{view.opens_at.astimezone(ZoneInfo(timezone)):%d %b}"


# The row of areas that are not about the lead: the team's conditions and the outcome.
TEAM_ROW = "team"


@dataclass(frozen=True)
class ChartLine:
    """One series: its shown value per round of the span (None where not shown)."""

    name: str
    values: tuple[float | None, ...]
    latest: float
    span_average: float
    side: str = ""  # "leadership", "management", TEAM_ROW; "" when unknown (older rows)
    # Per round, whether it asked this area: the line runs on across rounds that did not ask
    # it (the rotation asks each area every few weeks) and breaks where a round asked it but
    # may not show it. Empty in older rows: every round then asked it.
    asked: tuple[bool, ...] = ()
    restart: int = 0  # index of the round where its series starts over: the line breaks there


@dataclass(frozen=True)
class ChartData:
    """What a chart draws and says, and nothing else."""

    team_name: str
    weeks: int
    round_days: tuple[str, ...]  # the day each closed round of the span opened, oldest first
    shown: tuple[bool, ...]  # per round: were its scores shown
    participation: tuple[int | None, ...]  # per round, percent
    lines: tuple[ChartLine, ...]  # one per area, bank order
    hidden_days: tuple[str, ...]  # rounds too few answered (not those withheld from an admin)
    sides: tuple[ChartLine, ...] = ()  # leading, then managing, where any value is shown
    focus: str | None = None  # the focus area's name
    answered: tuple[int, ...] = ()  # per round; empty in rows planned before it was kept
    asked: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChartData:
        return cls(
            team_name=data["team_name"],
            weeks=data["weeks"],
            round_days=tuple(data["round_days"]),
            shown=tuple(data["shown"]),
            participation=tuple(data["participation"]),
            lines=tuple(_line_from_json(line) for line in data["lines"]),
            hidden_days=tuple(data["hidden_days"]),
            sides=tuple(_line_from_json(line) for line in data.get("sides", ())),
            focus=data.get("focus"),
            answered=tuple(data.get("answered", ())),
            asked=tuple(data.get("asked", ())),
        )


def _line_from_json(line: dict[str, Any]) -> ChartLine:
    return ChartLine(
        name=line["name"],
        values=tuple(line["values"]),
        latest=line["latest"],
        span_average=line["span_average"],
        side=line.get("side", ""),
        asked=tuple(line.get("asked", ())),
        restart=line.get("restart", 0),
    )


def chart_data(summary: TeamSummary, bank: Bank) -> ChartData:
    """The chart's values from a summary; the bank says which side each area is on."""
    sides = []
    for side in summary.sides:
        shown = [value for value in side.values if value is not None]
        if shown:
            sides.append(
                ChartLine(side.name, side.values, shown[-1], mean_one_decimal(shown), side.side)
            )
    return ChartData(
        team_name=summary.team_name,
        weeks=summary.weeks,
        round_days=tuple(_opened(view, summary.timezone) for view in summary.rounds),
        shown=tuple(view.shown for view in summary.rounds),
        participation=tuple(summary.participation.percents),
        lines=tuple(
            ChartLine(
                trend.name,
                tuple(trend.values),
                trend.latest,
                trend.span_average,
                _side_of(bank, trend.dimension_id),
                asked=tuple(
                    trend.dimension_id in view.scores
                    or trend.dimension_id in view.hidden_dimensions
                    for view in summary.rounds
                ),
                restart=trend.series_start,
            )
            for trend in summary.dimensions
        ),
        hidden_days=tuple(_opened(view, summary.timezone) for view in summary.hidden_rounds),
        sides=tuple(sides),
        focus=summary.focus.name if summary.focus is not None else None,
        answered=tuple(view.answered for view in summary.rounds),
        asked=tuple(view.asked for view in summary.rounds),
    )


def _side_of(bank: Bank, dimension_id: str) -> str:
    """The row an area is drawn in: its side when it is about the lead, else the team's."""
    dimension = bank.dimension_by_id.get(dimension_id)
    if dimension is None:
        return ""
    return str(dimension.side) if dimension.about is About.LEAD else TEAM_ROW


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def alt_text(data: ChartData) -> str:
    """What the chart shows, in words, for people who cannot see it.

    The sides and the focus come before the areas: a text too long is cut at its end."""
    days = data.round_days
    if not days:
        return (
            f"Pulse chart for {data.team_name}: no closed rounds in the last "
            f"{_plural(data.weeks, 'week')}."
        )
    if len(days) == 1:
        parts = [f"Pulse chart for {data.team_name}, its first closed round, of {days[0]}."]
    else:
        parts = [
            f"Pulse chart for {data.team_name}, {len(days)} closed rounds from "
            f"{days[0]} to {days[-1]}."
        ]
    if data.sides:
        latest = ", ".join(f"{side.name} {side.latest:.1f}" for side in data.sides)
        parts.append(f"Top: the lead's two sides from 1 to 5, latest {latest}.")
    if data.lines:
        parts.append("Then one panel per area, average from 1 to 5, neutral at 3.")
        if data.focus is not None:
            parts.append(f"Focus: {data.focus}.")
        latest = "; ".join(
            f"{line.name} {line.latest:.1f} (span average {line.span_average:.1f})"
            for line in data.lines
        )
        parts.append(f"Latest: {latest}.")
    else:
        parts.append("No area had enough answers to show.")
    known = [p for p in data.participation if p is not None]
    if known:
        counts = ""
        if data.answered and data.asked:
            counts = f" ({data.answered[-1]} of {data.asked[-1]})"
        parts.append(
            f"Bottom: participation per round, {known[-1]}% in the latest{counts}, "
            f"between {min(known)}% and {max(known)}% over the span."
        )
    if data.hidden_days:
        parts.append(f"Rounds with too few answers to show: {', '.join(data.hidden_days)}.")
    text = " ".join(parts)
    return text if len(text) <= ALT_TEXT_LIMIT else text[: ALT_TEXT_LIMIT - 1] + "…"


# A round's managers get the same chart: their digests' rows are sent side by side, and the
# first to arrive draws it for the others (the lock: drawing holds the GIL anyway).
_drawing = threading.Lock()


def draw_chart(data: ChartData) -> bytes:
    """The chart's PNG, drawn once however many managers' digests carry the same data."""
    with _drawing:
        return _draw_once(data)


@lru_cache(maxsize=16)
def _draw_once(data: ChartData) -> bytes:
    # Imported here: the drawing module imports matplotlib, which most requests never need.
    from bot.summary.chart_figure import render_png

    return render_png(data)
