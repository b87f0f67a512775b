"""A PNG chart of a summary: scores by dimension above, participation below.

It plots the summary's shown values only, so it can reveal nothing the message does not.
matplotlib is imported when a chart is drawn (it is slow to import and most requests need
no chart), and only its Agg canvas is used: no display, and no pyplot global state shared
between the web server's threads.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
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


def alt_text(summary: TeamSummary) -> str:
    """What the chart shows, in words, for people who cannot see it."""
    rounds = summary.rounds
    if not rounds:
        weeks = f"{summary.weeks} week{'s' if summary.weeks != 1 else ''}"
        return f"Pulse chart for {summary.team_name}: no closed rounds in the last {weeks}."
    parts = [
        f"Pulse chart for {summary.team_name}, {len(rounds)} closed rounds from "
        f"{_opened(rounds[0], summary.timezone)} to {_opened(rounds[-1], summary.timezone)}. "
        "Top: average score from 1 to 5 per area."
    ]
    if summary.dimensions:
        latest = "; ".join(
            f"{trend.name} {trend.latest:.1f} (span average {trend.span_average:.1f})"
            for trend in summary.dimensions
        )
        parts.append(f"Latest: {latest}.")
    else:
        parts.append("No area had enough answers to show.")
    known = [p for p in summary.participation.percents if p is not None]
    if known:
        parts.append(
            f"Bottom: participation per round, {known[-1]}% in the latest, "
            f"between {min(known)}% and {max(known)}% over the span."
        )
    if summary.hidden_rounds:
        days = ", ".join(_opened(view, summary.timezone) for view in summary.hidden_rounds)
        parts.append(f"Rounds with too few answers to show: {days}.")
    text = " ".join(parts)
    return text if len(text) <= ALT_TEXT_LIMIT else text[: ALT_TEXT_LIMIT - 1] + "…"


def _tick_positions(count: int) -> Sequence[int]:
    step = max(1, -(-count // MAX_TICK_LABELS))
    return range(0, count, step)


def render_chart(summary: TeamSummary) -> tuple[bytes, str]:
    """(PNG bytes, alt text) for the summary's span."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 6), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    scores_axes, participation_axes = figure.subplots(
        2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1]}
    )
    positions = list(range(len(summary.rounds)))
    for trend in summary.dimensions:
        # Connect the rounds where the dimension was shown, across the weeks it was not.
        points = [(x, v) for x, v in zip(positions, trend.values, strict=True) if v is not None]
        scores_axes.plot(
            [x for x, _ in points], [v for _, v in points], marker="o", label=_literal(trend.name)
        )
    scores_axes.set_ylim(SCORE_LOW - 0.1, SCORE_HIGH + 0.1)
    scores_axes.set_ylabel("Average (1-5)")
    scores_axes.set_title(_literal(f"{summary.team_name}: last {summary.weeks} weeks"))
    scores_axes.grid(axis="y", alpha=0.3)
    if summary.dimensions:
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
        [p or 0 for p in summary.participation.percents],
        color=[shown_color if view.shown else hidden_color for view in summary.rounds],
    )
    participation_axes.set_ylim(0, 100)
    participation_axes.set_ylabel("Answered %")
    ticks = list(_tick_positions(len(positions)))
    participation_axes.set_xticks(ticks)
    participation_axes.set_xticklabels(
        [_opened(summary.rounds[i], summary.timezone) for i in ticks]
    )
    if summary.hidden_rounds:
        participation_axes.set_xlabel("Gray bars: too few answers to show that round's scores")

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue(), alt_text(summary)
