"""CSV export of a summary: the team's shown aggregates, one row per round and dimension.

It holds exactly what the summary shows (never an answer, a respondent key or a user id):
a withheld round or dimension is a row that says so, with its average and count left empty.
Each row also carries its round's leading and managing scores (the shown statements about
the lead on each side, pooled), repeated on every row of the round, empty where not shown.
"""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from bot.bank import Bank
from bot.summary.trends import (
    LEADERSHIP,
    MANAGEMENT,
    DimensionScore,
    RoundView,
    TeamSummary,
    percent,
)

COLUMNS = (
    "period",
    "opened_on",  # the round's date in the team's time zone, as summaries name rounds
    "closed_on",
    "asked",
    "answered",
    "participation_percent",
    "dimension_id",
    "dimension",
    "average",
    "answers",
    "favorable_percent",  # answers scored 4 or 5
    "statements",  # the statement(s) the area's value is read from, space-separated
    "leadership_average",
    "leadership_answers",
    "leadership_favorable_percent",
    "management_average",
    "management_answers",
    "management_favorable_percent",
    "status",
)
SHOWN = "shown"


def _status_of(view: RoundView, dimension_id: str, threshold: int) -> str:
    if view.withheld_from_admins:
        return "not shown: opened before workspace admins could see this team's results"
    if view.shares_people:
        return "not shown: another team asked nearly the same people that week"
    if not view.shown:
        return f"not shown: fewer than {threshold} people answered this round"
    if dimension_id not in view.scores:
        return f"not shown: fewer than {threshold} answers in this area"
    return SHOWN


def _favorable(score: DimensionScore | None) -> str:
    if score is None or score.favorable is None:
        return ""
    return str(percent(score.favorable, score.answers))


def _score_columns(score: DimensionScore | None) -> list[str | int]:
    if score is None:
        return ["", "", ""]
    return [f"{score.average:.1f}", score.answers, _favorable(score)]


def export_csv(summary: TeamSummary, bank: Bank) -> str:
    """The summary's rounds as CSV text (RFC 4180, header first, oldest round first)."""
    names = {key: dimension.name for key, dimension in bank.dimension_by_id.items()}
    order = {dimension_id: position for position, dimension_id in enumerate(names)}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    zone = ZoneInfo(summary.timezone)
    for view in summary.rounds:
        common = [
            view.period,
            view.opens_at.astimezone(zone).date().isoformat(),
            view.closes_at.date().isoformat(),
            view.asked,
            view.answered,
            "" if view.participation_percent is None else view.participation_percent,
        ]
        sides = [
            *_score_columns(view.sides.get(LEADERSHIP)),
            *_score_columns(view.sides.get(MANAGEMENT)),
        ]
        dimension_ids = sorted(
            [*view.scores, *view.hidden_dimensions], key=lambda d: order.get(d, len(order))
        )
        if not dimension_ids:
            writer.writerow(
                [*common, "", "", "", "", "", "", *sides, _status_of(view, "", summary.threshold)]
            )
        for dimension_id in dimension_ids:
            score = view.scores.get(dimension_id)
            writer.writerow(
                [
                    *common,
                    dimension_id,
                    names.get(dimension_id, dimension_id),
                    "" if score is None else f"{score.average:.1f}",
                    "" if score is None else score.answers,
                    _favorable(score),
                    "" if score is None else " ".join(score.basis),
                    *sides,
                    _status_of(view, dimension_id, summary.threshold),
                ]
            )
    return buffer.getvalue()
