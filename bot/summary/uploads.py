"""A summary's files for its manager, as upload arguments for bot.platform.delivery.upload_file:
the chart (PNG) and the CSV export. The digests' charts use the same file and the same drawing
(`chart_file`, `draw_chart`), drawn when the outbox sends them (bot/summary/digests.py)."""

from __future__ import annotations

from typing import Any

from bot.bank import Bank
from bot.summary.chart import alt_text, chart_data, draw_chart
from bot.summary.export import export_csv
from bot.summary.trends import TeamSummary


def chart_file(summary: TeamSummary, bank: Bank, channel: str) -> dict[str, Any]:
    """The chart's file upload arguments, but its content."""
    stamp = summary.generated_at.strftime("%Y-%m-%d")
    return {
        "channel": channel,
        "filename": f"lvm-{summary.team_name.replace(' ', '-').lower()}-{stamp}.png",
        "title": f"{summary.team_name}: pulse over {summary.weeks} weeks",
        "alt_txt": alt_text(chart_data(summary, bank)),
    }


def chart_upload(summary: TeamSummary, bank: Bank, channel: str) -> dict[str, Any]:
    """The chart, drawn now: `/lvm summary` and the Home tab send it right after the summary."""
    return {**chart_file(summary, bank, channel), "content": draw_chart(chart_data(summary, bank))}


def export_upload(summary: TeamSummary, bank: Bank, channel: str) -> dict[str, Any]:
    stamp = summary.generated_at.strftime("%Y-%m-%d")
    return {
        "channel": channel,
        "filename": f"lvm-{summary.team_name.replace(' ', '-').lower()}-{stamp}.csv",
        "title": f"{summary.team_name}: pulse aggregates per round and dimension",
        "initial_comment": "Averages per round and dimension, only for rounds with enough "
        "answers; never individual answers.",
        "content": export_csv(summary, bank).encode(),
    }
