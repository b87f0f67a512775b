"""The chart as a picture: its panels, the focus, gaps, a first round, and older outbox rows.

Charts are drawn here from `ChartData` made by hand, with the bank's area names and sides;
`chart_figure` gives the Figure before it is saved, so the panels can be read as drawn.
"""

from __future__ import annotations

import dataclasses
import io
import json
import math
from dataclasses import replace

import pytest
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb
from PIL import Image

from bot.bank import Bank
from bot.summary.chart import ALT_TEXT_LIMIT, ChartData, ChartLine, alt_text, chart_data, draw_chart
from bot.summary.chart_figure import (
    FOCUS_COLOR,
    OTHER_COLOR,
    SERIES,
    SIDE_COLORS,
    chart_figure,
    chart_layout,
)
from bot.summary.digests import CHART_DATA, draw_digest_chart
from bot.summary.trends import SideTrend

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DAYS = tuple(f"{day:02d} Sep" for day in range(1, 13))
HIDDEN = 4  # the round too few answered
GAP_AREA, GAP_AT = "Follow-through", 8  # shown rounds where this area was not shown


def _line(name: str, side: str, values: tuple[float | None, ...]) -> ChartLine:
    shown = [v for v in values if v is not None]
    return ChartLine(name, values, shown[-1], round(sum(shown) / len(shown), 1), side)


def twelve_weeks(bank: Bank) -> ChartData:
    """Every area of the bank over twelve rounds, one round hidden, one area with a gap."""
    lines = []
    for index, dimension in enumerate(bank.dimensions):
        values: list[float | None] = [
            round(2.0 + (index + week) % 5 * 0.5, 1) for week in range(12)
        ]
        values[HIDDEN] = None
        if dimension.name == GAP_AREA:
            values[GAP_AT] = None
        lines.append(_line(dimension.name, str(dimension.side), tuple(values)))
    asked = (6,) * 12
    answered = tuple(2 if week == HIDDEN else 4 + week % 3 for week in range(12))
    leading = tuple(None if week == HIDDEN else 3.9 for week in range(12))
    managing = tuple(None if week == HIDDEN else 3.1 for week in range(12))
    return ChartData(
        team_name="Platform",
        weeks=12,
        round_days=DAYS,
        shown=tuple(week != HIDDEN for week in range(12)),
        participation=tuple(round(100 * a / 6) for a in answered),
        lines=tuple(lines),
        hidden_days=(DAYS[HIDDEN],),
        sides=(
            _line("Leading", "leadership", leading),
            _line("Managing", "management", managing),
        ),
        focus=GAP_AREA,
        answered=answered,
        asked=asked,
    )


def first_round(bank: Bank) -> ChartData:
    lines = tuple(
        _line(d.name, str(d.side), (round(3.0 + 0.3 * i, 1),))
        for i, d in enumerate(bank.dimensions[:5])
    )
    return ChartData(
        team_name="Platform",
        weeks=12,
        round_days=("23 Nov",),
        shown=(True,),
        participation=(83,),
        lines=lines,
        hidden_days=(),
        sides=(_line("Leading", "leadership", (3.9,)), _line("Managing", "management", (3.3,))),
        focus=lines[3].name,
        answered=(5,),
        asked=(6,),
    )


def older_row(data: ChartData) -> dict:
    """The JSON an outbox row planned before sides, focus, counts and line sides were kept."""
    row = json.loads(json.dumps(data.to_json()))
    for key in ("sides", "focus", "answered", "asked"):
        del row[key]
    for line in row["lines"]:
        del line["side"]
    return row


def panels(data: ChartData) -> dict[str, Axes]:
    return {axes.get_label(): axes for axes in chart_figure(data).axes}


def series(axes: Axes):
    return [line for line in axes.get_lines() if line.get_gid() == SERIES]


def segments(ys) -> list[list[float]]:
    """The runs of drawn values: matplotlib breaks a line at each NaN."""
    runs: list[list[float]] = [[]]
    for y in ys:
        if math.isnan(y):
            runs.append([])
        else:
            runs[-1].append(y)
    return [run for run in runs if run]


def decoded(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(png))
    image.load()  # fails on a truncated or corrupt file
    return image


def test_a_twelve_week_chart_is_a_png_of_a_size_slack_shows_whole(bank):
    data = twelve_weeks(bank)
    png = draw_chart(data)
    image = decoded(png)
    width, height = image.size
    assert width == 1200 and 600 <= height <= 1400
    assert 20_000 < len(png) < 400_000


def test_there_is_a_panel_for_the_sides_each_area_and_participation(bank):
    data = twelve_weeks(bank)
    drawn = panels(data)
    expected = {"sides", "participation", *(f"area:{line.name}" for line in data.lines)}
    assert set(drawn) == expected
    assert len(drawn) == chart_layout(data).panels == 2 + len(bank.dimensions)
    # Every score panel has the same scale, 1 to 5 inside it, and the neutral 3 marked.
    for label, axes in drawn.items():
        if label == "participation":
            continue
        low, high = axes.get_ylim()
        assert low < 1 and 5 < high < 5.5
        neutral = [line for line in axes.get_lines() if line.get_gid() != SERIES]
        assert [list(line.get_ydata()) for line in neutral] == [[3, 3]]


def test_areas_are_grouped_and_colored_by_side(bank):
    data = twelve_weeks(bank)
    layout = chart_layout(data)
    rows: dict[str, set[int]] = {}
    for cell in layout.areas:
        rows.setdefault(cell.line.side, set()).add(cell.row)
    assert rows["leadership"].isdisjoint(rows["management"])
    assert max(rows["leadership"]) < min(rows["management"])
    drawn = panels(data)
    for line in data.lines:
        [plotted] = series(drawn[f"area:{line.name}"])
        assert plotted.get_color() == SIDE_COLORS.get(line.side, OTHER_COLOR)
    leading, managing = series(drawn["sides"])
    assert (leading.get_color(), managing.get_color()) == (
        SIDE_COLORS["leadership"],
        SIDE_COLORS["management"],
    )


def test_the_focus_panel_is_framed_and_titled_and_no_other(bank):
    data = twelve_weeks(bank)
    for label, axes in panels(data).items():
        framed = all(
            spine.get_visible() and spine.get_edgecolor()[:3] == to_rgb(FOCUS_COLOR)
            for spine in axes.spines.values()
        )
        titled = "Focus" in axes.get_title(loc="left")
        assert framed == titled == (label == f"area:{GAP_AREA}"), label


def test_a_round_not_shown_splits_the_line_instead_of_bridging_it(bank):
    data = twelve_weeks(bank)
    drawn = panels(data)
    [gappy] = series(drawn[f"area:{GAP_AREA}"])
    assert len(segments(gappy.get_ydata())) == 3  # split at the hidden round and at its own gap
    assert list(gappy.get_xdata()) == list(range(12))  # each value at its round's place
    [steady] = series(drawn[f"area:{data.lines[0].name}"])
    assert [len(run) for run in segments(steady.get_ydata())] == [4, 7]
    for side in series(drawn["sides"]):
        assert len(segments(side.get_ydata())) == 2


def test_a_rotated_area_runs_on_across_rounds_that_did_not_ask_it(bank):
    """Asked every third round, shown in rounds 0, 3 and 9, asked but hidden in round 6,
    and its series starts over at round 9: one run of two values, then one of one."""
    values = tuple({0: 3.0, 3: 3.5, 9: 4.0}.get(week) for week in range(12))
    asked = tuple(week % 3 == 0 for week in range(12))
    area = dataclasses.replace(_line("Follow-through", "management", values), asked=asked)
    data = dataclasses.replace(twelve_weeks(bank), lines=(area,))
    [line] = series(panels(data)["area:Follow-through"])
    assert [len(run) for run in segments(line.get_ydata())] == [2, 1]
    xs = list(line.get_xdata())
    assert 1 not in xs and 2 not in xs  # rounds that did not ask it are left out
    restarted = dataclasses.replace(area, values=(*values[:9], 4.0, None, None), restart=3)
    data = dataclasses.replace(data, lines=(restarted,))
    [line] = series(panels(data)["area:Follow-through"])
    assert [len(run) for run in segments(line.get_ydata())] == [1, 1, 1]
    assert ChartData.from_json(json.loads(json.dumps(data.to_json()))) == data


def test_the_axes_carry_dates_and_participation_its_counts(bank):
    data = twelve_weeks(bank)
    drawn = panels(data)
    participation = drawn["participation"]
    labels = [tick.get_text() for tick in participation.get_xticklabels()]
    assert labels == list(DAYS)
    counts = [text.get_text() for text in participation.texts]
    assert counts == [f"{a}/{b}" for a, b in zip(data.answered, data.asked, strict=True)]
    # The latest round is always among an area's few dates.
    lowest = [c for c in chart_layout(data).areas if chart_layout(data).lowest_in_column(c)]
    for cell in lowest:
        ticks = [t.get_text() for t in drawn[f"area:{cell.line.name}"].get_xticklabels()]
        assert ticks[-1] == DAYS[-1] and len(ticks) <= 3


def test_a_first_round_is_dots_on_stems_with_their_values_written(bank):
    data = first_round(bank)
    figure = chart_figure(data)
    assert "First round" in figure.get_suptitle()
    drawn = {axes.get_label(): axes for axes in figure.axes}
    assert len(drawn) == 2 + len(data.lines)
    for line in data.lines:
        axes = drawn[f"area:{line.name}"]
        [dot] = series(axes)
        assert list(dot.get_ydata()) == [line.latest] and dot.get_markersize() >= 8
        assert [text.get_text() for text in axes.texts] == [f"{line.latest:.1f}"]
        assert any(isinstance(c, LineCollection) for c in axes.collections)  # the stem
    sides = drawn["sides"]
    leading, managing = series(sides)
    assert leading.get_xdata()[0] != managing.get_xdata()[0]  # side by side, not on top
    assert sorted(text.get_text() for text in sides.texts) == ["3.3", "3.9"]
    image = decoded(draw_chart(data))
    assert image.size[0] == 1200 and image.size[1] < 700


def test_a_lone_value_in_a_longer_span_is_written_too(bank):
    data = twelve_weeks(bank)
    new_area = _line("Wanting to stay", "both", (None,) * 11 + (3.6,))
    data = replace(data, lines=(*data.lines[:-1], new_area))
    axes = panels(data)["area:Wanting to stay"]
    assert [text.get_text() for text in axes.texts] == ["3.6"]


def test_an_older_outbox_row_still_draws(bank):
    data = twelve_weeks(bank)
    row = older_row(data)
    restored = ChartData.from_json(row)
    assert restored.sides == () and restored.focus is None and restored.answered == ()
    assert {line.side for line in restored.lines} == {""}
    drawn = panels(restored)
    assert len(drawn) == 1 + len(data.lines)  # no sides panel
    for line in restored.lines:
        [plotted] = series(drawn[f"area:{line.name}"])
        assert plotted.get_color() == OTHER_COLOR
    counts = [text.get_text() for text in drawn["participation"].texts]
    assert counts == [f"{p}%" for p in data.participation]
    sent = draw_digest_chart({"channel": "U0MANAGER", CHART_DATA: row})
    decoded(sent["content"])


def test_chart_data_survives_its_trip_through_json(bank):
    data = twelve_weeks(bank)
    assert ChartData.from_json(json.loads(json.dumps(data.to_json()))) == data


def test_alt_text_names_the_sides_and_the_focus_first_and_stays_short(bank):
    data = twelve_weeks(bank)
    text = alt_text(data)
    assert "latest Leading 3.9, Managing 3.1" in text
    assert f"Focus: {GAP_AREA}." in text
    assert "between" in text and f"({data.answered[-1]} of {data.asked[-1]})" in text
    long_names = replace(
        data,
        lines=tuple(replace(line, name=f"{line.name} " + "x" * 30) for line in data.lines),
    )
    cut = alt_text(long_names)
    assert len(cut) <= ALT_TEXT_LIMIT and cut.endswith("…")
    assert "Leading 3.9, Managing 3.1" in cut and f"Focus: {GAP_AREA}." in cut
    assert "its first closed round, of 23 Nov" in alt_text(first_round(bank))


def test_chart_data_from_a_summary_takes_sides_focus_and_counts(sqlite_history, bank):
    summary = sqlite_history.summary()
    data = chart_data(summary, bank)
    assert data.answered == tuple(view.answered for view in summary.rounds)
    assert data.asked == tuple(view.asked for view in summary.rounds)
    assert data.focus == (summary.focus.name if summary.focus else None)
    sides = {line.name: line.side for line in data.lines}
    assert sides["Care and trust"] == "leadership" and sides["Goals and priorities"] == "management"
    # Both sides are shown in this history (test_numbers.py works them out): the top panel.
    assert [(line.name, line.side, line.values) for line in data.sides] == [
        ("Leading", "leadership", (4.0, None, 4.1, 3.8)),
        ("Managing", "management", (3.0, None, 2.2, 2.2)),
    ]
    assert chart_data(replace(summary, sides=()), bank).sides == ()  # none shown: no panel

    values = tuple(None if not view.shown else 3.5 for view in summary.rounds)
    with_sides = replace(
        summary,
        sides=(
            SideTrend(side="leadership", name="Leading", values=values),
            SideTrend(side="management", name="Managing", values=(None,) * len(values)),
        ),
    )
    [leading] = chart_data(with_sides, bank).sides  # a side never shown is left out
    assert (leading.name, leading.side, leading.values, leading.latest) == (
        "Leading",
        "leadership",
        values,
        3.5,
    )


@pytest.mark.parametrize("areas", [1, 4, 13])
def test_any_number_of_areas_fits_the_grid(bank, areas):
    data = twelve_weeks(bank)
    data = replace(data, lines=data.lines[:areas])
    layout = chart_layout(data)
    places = {(cell.row, cell.column) for cell in layout.areas}
    assert len(places) == areas  # no two panels in one place
    assert all(cell.column < layout.columns for cell in layout.areas)
    width, height = decoded(draw_chart(data)).size
    assert width == 1200 and height <= 1400
