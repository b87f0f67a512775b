"""A PNG chart of a summary: scores by dimension above, participation below.

It plots the summary's shown values only, so it can reveal nothing the message does not.
matplotlib is imported when a chart is drawn (it is slow to import and most requests need
no chart), and only its Agg canvas is used: no display, and no pyplot global state shared
between the web server's threads.

A chart is drawn from `ChartData`, plain values taken from the summary: a digest's outbox row
keeps them from the round's close, and the chart is drawn when the row is sent (outside the
close's transaction), from exactly the numbers the digest's message shows.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from bot.summary.trends import SCORE_HIGH, SCORE_LOW, RoundView, TeamSummary

ALT_TEXT_LIMIT = 1000
MAX_TICK_LABELS = 13


def _literal(text: str) -> str:
    # A "$" pair would switch matplotlib to math typesetting, and a bad one fails to draw.
    return text.replace("$", r"\$")


def _opened(view: RoundView, timezone: str) -> str:
    """The day a round opened, in the team's time zone: "23 Nov"."""
    return f"{view.opens_at.astimezone(ZoneInfo(timezone)):%d %b}"


@dataclass(frozen=True)
class ChartLine:
    """One area's line: its shown value per round of the span (None where not shown)."""

    name: str
    values: tuple[float | None, ...]
    latest: float
    span_average: float


@dataclass(frozen=True)
class ChartData:
    """What a chart draws and says, and nothing else."""

    team_name: str
    weeks: int
    round_days: tuple[str, ...]  # the day each closed round of the span opened, oldest first
    shown: tuple[bool, ...]  # per round: were its scores shown
    participation: tuple[int | None, ...]  # per round, percent
    lines: tuple[ChartLine, ...]
    hidden_days: tuple[str, ...]  # rounds too few answered (not those withheld from an admin)

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
            lines=tuple(
                ChartLine(
                    name=line["name"],
                    values=tuple(line["values"]),
                    latest=line["latest"],
                    span_average=line["span_average"],
                )
                for line in data["lines"]
            ),
            hidden_days=tuple(data["hidden_days"]),
        )


def chart_data(summary: TeamSummary) -> ChartData:
    return ChartData(
        team_name=summary.team_name,
        weeks=summary.weeks,
        round_days=tuple(_opened(view, summary.timezone) for view in summary.rounds),
        shown=tuple(view.shown for view in summary.rounds),
        participation=tuple(summary.participation.percents),
        lines=tuple(
            ChartLine(trend.name, tuple(trend.values), trend.latest, trend.span_average)
            for trend in summary.dimensions
        ),
        hidden_days=tuple(_opened(view, summary.timezone) for view in summary.hidden_rounds),
    )


def alt_text(data: ChartData) -> str:
    """What the chart shows, in words, for people who cannot see it."""
    days = data.round_days
    if not days:
        weeks = f"{data.weeks} week{'s' if data.weeks != 1 else ''}"
        return f"Pulse chart for {data.team_name}: no closed rounds in the last {weeks}."
    parts = [
        f"Pulse chart for {data.team_name}, {len(days)} closed rounds from "
        f"{days[0]} to {days[-1]}. "
        "Top: average score from 1 to 5 per area."
    ]
    if data.lines:
        latest = "; ".join(
            f"{line.name} {line.latest:.1f} (span average {line.span_average:.1f})"
            for line in data.lines
        )
        parts.append(f"Latest: {latest}.")
    else:
        parts.append("No area had enough answers to show.")
    known = [p for p in data.participation if p is not None]
    if known:
        parts.append(
            f"Bottom: participation per round, {known[-1]}% in the latest, "
            f"between {min(known)}% and {max(known)}% over the span."
        )
    if data.hidden_days:
        parts.append(f"Rounds with too few answers to show: {', '.join(data.hidden_days)}.")
    text = " ".join(parts)
    return text if len(text) <= ALT_TEXT_LIMIT else text[: ALT_TEXT_LIMIT - 1] + "…"


def _tick_positions(count: int) -> Sequence[int]:
    step = max(1, -(-count // MAX_TICK_LABELS))
    return range(0, count, step)


# A round's managers get the same chart: their digests' rows are sent side by side, and the
# first to arrive draws it for the others (the lock: drawing holds the GIL anyway).
_drawing = threading.Lock()


def draw_chart(data: ChartData) -> bytes:
    """The chart's PNG, drawn once however many managers' digests carry the same data."""
    with _drawing:
        return _draw_once(data)


@lru_cache(maxsize=16)
def _draw_once(data: ChartData) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 6), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    scores_axes, participation_axes = figure.subplots(
        2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1]}
    )
    positions = list(range(len(data.round_days)))
    for line in data.lines:
        # Connect the rounds where the dimension was shown, across the weeks it was not.
        points = [(x, v) for x, v in zip(positions, line.values, strict=True) if v is not None]
        scores_axes.plot(
            [x for x, _ in points], [v for _, v in points], marker="o", label=_literal(line.name)
        )
    scores_axes.set_ylim(SCORE_LOW - 0.1, SCORE_HIGH + 0.1)
    scores_axes.set_ylabel("Average (1-5)")
    scores_axes.set_title(_literal(f"{data.team_name}: last {data.weeks} weeks"))
    scores_axes.grid(axis="y", alpha=0.3)
    if data.lines:
        scores_axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    else:
        scores_axes.text(
            0.5,
            0.5,
            "Not enough answers to show scores yet",
            ha="center",
            transform=scores_axes.transAxes,
        )

    shown_color, hidden_color = "#4c78a8", "#bbbbbb"
    participation_axes.bar(
        positions,
        [p or 0 for p in data.participation],
        color=[shown_color if shown else hidden_color for shown in data.shown],
    )
    participation_axes.set_ylim(0, 100)
    participation_axes.set_ylabel("Answered %")
    ticks = list(_tick_positions(len(positions)))
    participation_axes.set_xticks(ticks)
    participation_axes.set_xticklabels([data.round_days[i] for i in ticks])
    if data.hidden_days:
        participation_axes.set_xlabel("Gray bars: too few answers to show that round's scores")

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
