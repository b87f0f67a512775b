"""A summary's files for its manager: the chart (PNG) and the CSV export, as upload arguments."""

from __future__ import annotations

import base64
from typing import Any

from bot.platform.delivery import FILE_CONTENT
from bot.platform.services import Services
from bot.summary.chart import alt_text, chart_data, render_chart
from bot.summary.export import export_csv
from bot.summary.trends import TeamSummary


def chart_upload_args(summary: TeamSummary, manager_dm: str) -> dict[str, Any]:
    png, _alt = render_chart(summary)
    return {**chart_file(summary, manager_dm), FILE_CONTENT: base64.b64encode(png).decode()}


def chart_file(summary: TeamSummary, channel: str) -> dict[str, Any]:
    """The chart's file upload arguments, but its content."""
    stamp = summary.generated_at.strftime("%Y-%m-%d")
    return {
        "channel": channel,
        "filename": f"lvm-{summary.team_name.replace(' ', '-').lower()}-{stamp}.png",
        "title": f"{summary.team_name}: pulse over {summary.weeks} weeks",
        "alt_txt": alt_text(chart_data(summary)),
    }


def upload(client: Any, args: dict[str, Any]) -> None:
    content = base64.b64decode(args[FILE_CONTENT])
    rest = {k: v for k, v in args.items() if k != FILE_CONTENT}
    client.files_upload_v2(content=content, **rest)


def dm_channel(client: Any, user_id: str) -> str:
    return str(client.conversations_open(users=user_id)["channel"]["id"])


def export_upload_args(summary: TeamSummary, services: Services, manager_dm: str) -> dict[str, Any]:
    csv_text = export_csv(summary, services.bank)
    stamp = summary.generated_at.strftime("%Y-%m-%d")
    return {
        "channel": manager_dm,
        "filename": f"lvm-{summary.team_name.replace(' ', '-').lower()}-{stamp}.csv",
        "title": f"{summary.team_name}: pulse aggregates per round and dimension",
        "initial_comment": "Averages per round and dimension, only for rounds with enough "
        "answers; never individual answers.",
        FILE_CONTENT: base64.b64encode(csv_text.encode()).decode(),
    }
