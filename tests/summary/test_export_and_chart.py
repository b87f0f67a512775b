"""The CSV export and the chart carry the summary's shown aggregates and nothing else."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest
from sqlalchemy import select

from bot.pulse.store import PulseAnswer, PulseComment
from bot.summary.export import COLUMNS, export_csv
from bot.summary.uploads import chart_upload
from tests.support.summary_history import MANAGER, PEOPLE, SECRET, TRUST_SAFE

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def summary(sqlite_history):
    """Exporting needs no database of its own: one stored history serves every test here."""
    return sqlite_history.summary()


def test_csv_has_one_row_per_round_and_asked_dimension(summary, bank):
    text = export_csv(summary, bank)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == COLUMNS
    by_round: dict[str, list[dict]] = {}
    for row in rows:
        by_round.setdefault(row["period"], []).append(row)
    assert list(by_round) == ["2026-W37", "2026-W38", "2026-W39", "2026-W40"]
    # Every pinned dimension was asked every week, in the bank's order.
    for period_rows in by_round.values():
        assert [r["dimension_id"] for r in period_rows] == ["trust", "growth", "goals", "workload"]

    hidden = by_round["2026-W38"]
    assert all(r["average"] == "" and r["answers"] == "" for r in hidden)
    assert hidden[0]["status"] == "not shown: fewer than 3 people answered this round"
    assert (hidden[0]["asked"], hidden[0]["answered"], hidden[0]["participation_percent"]) == (
        "6",
        "2",
        "33",
    )
    week_two = {r["dimension_id"]: r for r in by_round["2026-W39"]}
    assert week_two["growth"]["status"] == "not shown: fewer than 3 answers in this area"
    # Trust is read from its anchor alone: 20/5, all five 4s and 5s.
    trust = week_two["trust"]
    assert (trust["average"], trust["answers"], trust["favorable_percent"]) == ("4.0", "5", "100")
    assert trust["statements"] == TRUST_SAFE
    assert week_two["trust"]["dimension"] == "Care and trust"
    # The round's sides, on each of its rows: leading (20+21)/10 with ten 4s and 5s (growth
    # withheld); managing is goals, 11/5 with none.
    for row in week_two.values():
        assert (
            row["leadership_average"],
            row["leadership_answers"],
            row["leadership_favorable_percent"],
        ) == ("4.1", "10", "100")
        assert (
            row["management_average"],
            row["management_answers"],
            row["management_favorable_percent"],
        ) == ("2.2", "5", "0")
    assert all(r["leadership_average"] == r["management_average"] == "" for r in hidden)
    assert week_two["trust"]["closed_on"] == "2026-09-24"
    week_three = {r["dimension_id"]: r for r in by_round["2026-W40"]}
    assert {d: r["average"] for d, r in week_three.items()} == {
        "trust": "4.2",
        "growth": "3.4",
        "goals": "2.2",
        "workload": "2.4",
    }


def test_csv_names_nobody_and_holds_no_key_or_comment(sqlite_history, summary, bank):
    text = export_csv(summary, bank)
    with sqlite_history.database.transaction() as session:
        keys = set(session.scalars(select(PulseAnswer.respondent_key)))
        comments = set(session.scalars(select(PulseComment.text)))
    assert keys and comments
    for secret in (*keys, *comments, *PEOPLE, MANAGER, SECRET):
        assert secret not in text


def test_chart_is_a_png_with_alt_text_naming_every_area(summary, bank):
    upload = chart_upload(summary, bank, "D0ALICE")
    png, alt = upload["content"], upload["alt_txt"]
    assert png.startswith(PNG_SIGNATURE) and len(png) > 10_000
    for trend in summary.dimensions:
        assert f"{trend.name} {trend.latest:.1f}" in alt
    assert "from 07 Sep to 28 Sep" in alt
    assert "Rounds with too few answers to show: 14 Sep." in alt
    assert "100% in the latest" in alt
    assert len(alt) <= 1000


def test_a_chart_without_rounds_still_renders(sqlite_history, bank):
    empty = sqlite_history.summary(weeks=1)
    upload = chart_upload(empty, bank, "D0ALICE")
    png, alt = upload["content"], upload["alt_txt"]
    assert png.startswith(PNG_SIGNATURE)
    assert "no closed rounds in the last 1 week." in alt


def test_a_team_name_with_dollar_signs_is_drawn_as_written(summary, bank):
    name = r"Costs $\frac{$ and $_"  # as math, matplotlib would fail to draw it
    upload = chart_upload(replace(summary, team_name=name), bank, "D0ALICE")
    png, alt = upload["content"], upload["alt_txt"]
    assert png.startswith(PNG_SIGNATURE) and name in alt
