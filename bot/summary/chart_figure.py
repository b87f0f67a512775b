"""The chart's picture: the two sides on top, one small panel per area, participation below.

`chart_layout` says which panels there are and where (pure, no matplotlib); `chart_figure`
draws them on a matplotlib Figure; `render_png` saves it. matplotlib is imported only when a
chart is drawn, and only its Agg canvas is used: no display, and no pyplot global state
shared between the web server's threads.

Every score panel has the same scale, 1 to 5, with the neutral 3 marked; rounds are placed by
their position in the span. An area's line runs on across rounds that did not ask it (the
rotation asks each every few weeks) and breaks where a round asked it but could not show it,
or where its series starts over: a gap is never bridged. Colors are from the Okabe-Ito
palette, told apart with any color vision: leading blue, managing vermillion, an area about
the lead the color of its side, the team's areas and the outcome gray in a row of their own.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.summary.chart import TEAM_ROW, ChartData, ChartLine
from bot.summary.trends import LEADERSHIP, MANAGEMENT, SCORE_HIGH, SCORE_LOW, SIDE_NAMES

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

NEUTRAL = 3.0
LEADING, MANAGING = LEADERSHIP, MANAGEMENT
SIDE_COLORS = {LEADING: "#0072B2", MANAGING: "#D55E00"}
ROW_NAMES = {**SIDE_NAMES, TEAM_ROW: "Team"}
OTHER_COLOR = "#555555"  # the outcome area (neither side), and areas of rows kept without sides
FOCUS_COLOR = "#000000"
FOCUS_FACE = "#FFF7D6"
GAP_FACE = "#EFEFEF"  # a round too few answered to show its scores
SHOWN_BAR, HIDDEN_BAR = "#7A7A7A", "#CFCFCF"
NEUTRAL_LINE = "#9A9A9A"
TEXT_COLOR = "#222222"

# Areas are grouped by side, a row (or more) each: leading, managing, then the rest.
SIDE_ORDER = (LEADING, MANAGING)
MIN_COLUMNS, MAX_COLUMNS = 2, 6
MAX_TICK_LABELS = 13  # on the full-width panels
TICK_ROOM = 65  # pixels of an area's panel per date written under it
MAX_BAR_LABELS = 26  # beyond this, only the latest bar's count is written
CROWDED = 20  # rounds in a span beyond which dots are drawn smaller
SERIES = "series"  # the gid of a plotted series, to tell it from the neutral line

WIDTH = 12.0  # inches, at DPI: 1200 pixels
DPI = 100
TITLE_HEIGHT, SIDES_HEIGHT, AREA_HEIGHT, PARTICIPATION_HEIGHT = 0.5, 2.1, 1.55, 1.35
# An area's title wraps to fit its panel beside the latest value: about 7 pixels a letter.
LETTER_WIDTH, TITLE_ROOM = 7.2, 60


def side_color(side: str) -> str:
    return SIDE_COLORS.get(side, OTHER_COLOR)


def _literal(text: str) -> str:
    # A "$" pair would switch matplotlib to math typesetting, and a bad one fails to draw.
    return text.replace("$", r"\$")


@dataclass(frozen=True)
class AreaCell:
    line: ChartLine
    row: int
    column: int
    focus: bool
    row_label: str | None = None  # the side, beside the first panel of its group


@dataclass(frozen=True)
class ChartLayout:
    """Which panels the chart has and where: tests read it, and `chart_figure` follows it."""

    sides: bool  # a top panel with the two sides' scores
    columns: int
    area_rows: int
    areas: tuple[AreaCell, ...]

    @property
    def panels(self) -> int:
        """Axes drawn: sides, one per area, participation."""
        return int(self.sides) + len(self.areas) + 1

    def lowest_in_column(self, cell: AreaCell) -> bool:
        return not any(o.column == cell.column and o.row > cell.row for o in self.areas)


def _groups(lines: Sequence[ChartLine]) -> list[list[ChartLine]]:
    by_side = [[line for line in lines if line.side == side] for side in SIDE_ORDER]
    rest = [line for line in lines if line.side not in SIDE_ORDER]
    return [group for group in (*by_side, rest) if group]


def chart_layout(data: ChartData) -> ChartLayout:
    groups = _groups(data.lines)
    largest = max((len(group) for group in groups), default=0)
    columns = min(MAX_COLUMNS, max(MIN_COLUMNS, largest))
    cells: list[AreaCell] = []
    row = 0
    for group in groups:
        for index, line in enumerate(group):
            cells.append(
                AreaCell(
                    line,
                    row + index // columns,
                    index % columns,
                    focus=line.name == data.focus,
                    row_label=ROW_NAMES.get(line.side) if index == 0 else None,
                )
            )
        row += math.ceil(len(group) / columns)
    return ChartLayout(sides=bool(data.sides), columns=columns, area_rows=row, areas=tuple(cells))


def _ticks(count: int, most: int) -> list[int]:
    """At most `most` round positions to label, always including the latest."""
    step = max(1, math.ceil(count / most))
    return sorted(range(count - 1, -1, -step))


def _x_axis(axes: Axes, data: ChartData, most: int, *, labels: bool) -> None:
    count = len(data.round_days)
    axes.set_xlim(-1.0, 1.0) if count == 1 else axes.set_xlim(-0.6, count - 0.4)
    ticks = _ticks(count, most)
    axes.set_xticks(ticks)
    if labels:
        axes.set_xticklabels([data.round_days[i] for i in ticks])
    else:
        axes.set_xticklabels([])
    axes.tick_params(axis="x", length=2, labelsize=8, colors=TEXT_COLOR)


def _score_axes(axes: Axes, data: ChartData) -> None:
    axes.set_ylim(SCORE_LOW - 0.25, SCORE_HIGH + 0.25)
    axes.axhline(NEUTRAL, color=NEUTRAL_LINE, linewidth=0.8, linestyle="--", zorder=1)
    for position, shown in enumerate(data.shown):
        if not shown:
            axes.axvspan(position - 0.5, position + 0.5, color=GAP_FACE, linewidth=0, zorder=0)
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(False)
    axes.tick_params(axis="y", length=2, labelsize=8, colors=TEXT_COLOR)


def _points(line: ChartLine) -> tuple[list[float], list[float]]:
    """(x, y) to plot: rounds that did not ask the area are left out, so the line runs on
    across them; a round that asked it but may not show it, and the start of a new series,
    put a NaN in the line, which breaks it there."""
    xs: list[float] = []
    ys: list[float] = []
    for x, value in enumerate(line.values):
        if line.asked and x < len(line.asked) and not line.asked[x] and value is None:
            continue
        if x == line.restart and x > 0:
            xs.append(x - 0.5)
            ys.append(math.nan)
        xs.append(x)
        ys.append(math.nan if value is None else value)
    return xs, ys


def _series(axes: Axes, line: ChartLine, *, width: float, label: str | None = None) -> None:
    """A line broken where a value is missing (NaN), with a dot on every shown value; a
    series with one value is a dot on a stem from the neutral line, with its value written."""
    color = side_color(line.side)
    shown = [(x, v) for x, v in enumerate(line.values) if v is not None]
    if len(shown) == 1:
        [(x, value)] = shown
        axes.vlines(x, NEUTRAL, value, color=color, linewidth=width + 1, zorder=2)
        axes.plot([x], [value], "o", color=color, markersize=9, zorder=3, label=label, gid=SERIES)
        _value_label(axes, x, value, color, left=x > len(line.values) / 2)
        return
    dots = 4.0 if width < 2 else 5.0
    xs, ys = _points(line)
    axes.plot(
        xs,
        ys,
        gid=SERIES,
        color=color,
        linewidth=width,
        marker="o",
        # Smaller on a long span, where dots side by side would merge into a thick line.
        markersize=dots if len(line.values) <= CROWDED else dots / 2,
        zorder=3,
        label=label,
    )


def _sides_panel(axes: Axes, data: ChartData) -> None:
    _score_axes(axes, data)
    axes.set_yticks([1, 2, 3, 4, 5])
    axes.set_label("sides")
    single = all(sum(v is not None for v in side.values) == 1 for side in data.sides)
    apart = 0.15 if len(data.round_days) == 1 else 0.3
    for index, side in enumerate(data.sides):
        if single and len(data.sides) == 2:
            # Both sides' first values side by side, not on top of each other, each labeled
            # on its outer side.
            _offset_single(axes, side, apart * (index - 0.5), left=index == 0)
        else:
            _series(axes, side, width=2.5, label=_literal(f"{side.name} {side.latest:.1f}"))
    axes.legend(
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncols=len(data.sides),
        frameon=False,
        fontsize=9,
        handlelength=1.5,
        borderaxespad=0.2,
    )
    axes.set_title("How the team experiences its lead", loc="left", fontsize=10, color=TEXT_COLOR)
    _x_axis(axes, data, MAX_TICK_LABELS, labels=True)


def _offset_single(axes: Axes, side: ChartLine, offset: float, *, left: bool) -> None:
    [(x, value)] = [(x, v) for x, v in enumerate(side.values) if v is not None]
    color = side_color(side.side)
    axes.vlines(x + offset, NEUTRAL, value, color=color, linewidth=3, zorder=2)
    axes.plot(
        [x + offset],
        [value],
        "o",
        color=color,
        markersize=9,
        zorder=3,
        label=_literal(f"{side.name} {value:.1f}"),
        gid=SERIES,
    )
    _value_label(axes, x + offset, value, color, left=left)


def _value_label(axes: Axes, x: float, value: float, color: str, *, left: bool = False) -> None:
    """A lone value written beside its dot (not above: a small panel has no room there), on
    the left in a panel's right half, where the right would run into the next panel."""
    axes.annotate(
        f"{value:.1f}",
        (x, value),
        xytext=(-7 if left else 7, 0),
        textcoords="offset points",
        ha="right" if left else "left",
        va="center",
        fontsize=10,
        fontweight="bold",
        color=color,
    )


def _area_panel(axes: Axes, data: ChartData, layout: ChartLayout, cell: AreaCell) -> None:
    line = cell.line
    _score_axes(axes, data)
    axes.set_yticks([1, 3, 5])
    if cell.column != 0:
        axes.tick_params(axis="y", labelleft=False)
    axes.set_label(f"area:{line.name}")
    if cell.row_label is not None:
        axes.set_ylabel(cell.row_label, fontsize=10, fontweight="bold", color=side_color(line.side))
    _series(axes, line, width=1.8)
    letters = int((WIDTH * DPI / layout.columns - TITLE_ROOM) / LETTER_WIDTH)
    name = textwrap.fill(_literal(line.name), letters, break_on_hyphens=False)
    if cell.focus:
        # "Focus" on the name's line when both fit, else on a line of its own above it.
        name = f"Focus: {name}" if len(line.name) + 7 <= letters else f"Focus:\n{name}"
        axes.set_facecolor(FOCUS_FACE)
        for spine in axes.spines.values():
            spine.set_visible(True)
            spine.set_color(FOCUS_COLOR)
            spine.set_linewidth(2.2)
    axes.set_title(
        name,
        loc="left",
        fontsize=9,
        color=TEXT_COLOR,
        fontweight="bold" if cell.focus else "normal",
    )
    if sum(value is not None for value in line.values) > 1:  # else written by its dot
        axes.set_title(
            f"{line.latest:.1f}",
            loc="right",
            fontsize=10,
            fontweight="bold",
            color=side_color(line.side),
        )
    most = max(2, int(WIDTH * DPI / layout.columns) // TICK_ROOM)
    _x_axis(axes, data, most, labels=layout.lowest_in_column(cell))


def _participation_panel(axes: Axes, data: ChartData) -> None:
    axes.set_label("participation")
    positions = list(range(len(data.round_days)))
    heights = [p or 0 for p in data.participation]
    axes.bar(
        positions,
        heights,
        width=0.3 if len(positions) == 1 else 0.7,
        color=[SHOWN_BAR if shown else HIDDEN_BAR for shown in data.shown],
    )
    counted = len(data.answered) == len(positions) == len(data.asked)
    labeled = positions if len(positions) <= MAX_BAR_LABELS else positions[-1:]
    for x in labeled:
        if counted:
            text = f"{data.answered[x]}/{data.asked[x]}"
        elif data.participation[x] is not None:
            text = f"{data.participation[x]}%"
        else:
            continue
        axes.annotate(
            text,
            (x, heights[x]),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
            color=TEXT_COLOR,
        )
    axes.set_ylim(0, 125)
    axes.set_yticks([0, 50, 100])
    axes.set_yticklabels(["0%", "50%", "100%"])
    axes.tick_params(axis="y", length=2, labelsize=8, colors=TEXT_COLOR)
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(False)
    title = "Answered (people who answered / asked)" if counted else "Answered"
    if data.hidden_days:
        marks = "light bars and bands" if data.lines or data.sides else "light bars"
        title += f"; {marks}: too few answered to show that round's scores"
    axes.set_title(title, loc="left", fontsize=9, color=TEXT_COLOR)
    _x_axis(axes, data, MAX_TICK_LABELS, labels=True)


def _heading(data: ChartData) -> str:
    weeks = f"{data.weeks} week{'' if data.weeks == 1 else 's'}"
    heading = f"{data.team_name}: pulse over the last {weeks}"
    if not data.lines:
        return f"{heading}\nNot enough answers to show scores yet"
    if len(data.round_days) == 1:
        return f"{heading}\nFirst round: one value per area; trends appear from the next round"
    return heading


def chart_figure(data: ChartData) -> Figure:
    """The chart drawn on a Figure of its own, with an Agg canvas, ready to save."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    layout = chart_layout(data)
    # A first round's two values need no more height than an area's.
    sides_height = AREA_HEIGHT if len(data.round_days) == 1 else SIDES_HEIGHT
    heights = [sides_height] * layout.sides + [AREA_HEIGHT] * layout.area_rows
    heights.append(PARTICIPATION_HEIGHT)
    figure = Figure(figsize=(WIDTH, TITLE_HEIGHT + sum(heights)), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(_literal(_heading(data)), x=0.01, ha="left", fontsize=12, color=TEXT_COLOR)
    grid = figure.add_gridspec(len(heights), layout.columns, height_ratios=heights)
    top = 0
    if layout.sides:
        _sides_panel(figure.add_subplot(grid[0, :]), data)
        top = 1
    shared: Axes | None = None
    for cell in layout.areas:
        axes = figure.add_subplot(grid[top + cell.row, cell.column], sharey=shared)
        shared = shared or axes
        _area_panel(axes, data, layout, cell)
    _participation_panel(figure.add_subplot(grid[-1, :]), data)
    return figure


def render_png(data: ChartData) -> bytes:
    buffer = io.BytesIO()
    chart_figure(data).savefig(buffer, format="png")
    return buffer.getvalue()
