"""The result's chart: one diverging bar per contrast, and the overall balance on top.

A bar runs from 0 to the contrast's balance (leading minus managing, -4 to 4): to the right,
in the leading color, toward the leading pole; to the left, in the managing color, toward
the managing one. On a retake a hollow diamond marks where the balance was last time. The
colors are the summary chart's (Okabe-Ito: leading blue, managing vermillion).

`chart_data` (plain values) and `alt_text` need no matplotlib; `draw_chart` imports it only
to draw, on a Figure of its own with an Agg canvas, one drawing at a time.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from bot.assess.scoring import HIGHEST, LOWEST, one_decimal
from bot.assess.service import AssessmentResult
from bot.bank import Assessment, Bank
from bot.summary.chart_figure import LEADING, MANAGING, SIDE_COLORS, TEXT_COLOR

SPAN = HIGHEST - LOWEST  # the widest balance, either way
ALT_TEXT_LIMIT = 1000  # Slack's limit for a file's alt text
WIDTH, DPI = 10.0, 100
ROW_HEIGHT, FRAME_HEIGHT = 0.62, 1.5
BEFORE_COLOR = "#000000"
POLE_COLOR = "#5A5A5A"
OVERALL = "Overall"
MARGIN = 0.25  # beyond ±SPAN, so a diamond at the end is drawn whole


@dataclass(frozen=True)
class BalanceBar:
    name: str
    leading: str  # the leading pole's words
    managing: str
    balance: Fraction | None
    before: Fraction | None = None


@dataclass(frozen=True)
class BalanceChart:
    taken_on: str  # YYYY-MM-DD
    lean: str
    before_on: str | None  # when the assessment before it was taken, on a retake
    overall: BalanceBar
    bars: tuple[BalanceBar, ...]

    @property
    def retake(self) -> bool:
        return self.before_on is not None


def chart_data(result: AssessmentResult, bank: Bank, assessment: Assessment) -> BalanceChart:
    scores, before = result.scores, result.previous
    earlier = before.contrast_by_id if before is not None else {}
    bars = []
    for contrast in scores.contrasts:
        poles = assessment.contrast_by_id[contrast.contrast_id]
        topic = bank.topic_by_id.get(contrast.contrast_id)
        old = earlier.get(contrast.contrast_id)
        bars.append(
            BalanceBar(
                name=topic.name if topic else contrast.contrast_id,
                leading=poles.leading,
                managing=poles.managing,
                balance=contrast.balance,
                before=old.balance if old is not None else None,
            )
        )
    overall = BalanceBar(
        name=OVERALL,
        leading="Leading",
        managing="Managing",
        balance=scores.balance,
        before=before.balance if before is not None else None,
    )
    return BalanceChart(
        taken_on=result.taken_at.strftime("%Y-%m-%d"),
        lean=str(scores.lean),
        before_on=(
            result.previous_taken_at.strftime("%Y-%m-%d")
            if result.previous_taken_at is not None
            else None
        ),
        overall=overall,
        bars=tuple(bars),
    )


def _signed(value: Fraction) -> str:
    shown = one_decimal(value)
    if shown == 0:
        return "0.0"
    return f"+{shown}" if shown > 0 else str(shown)


def _bar_words(bar: BalanceBar) -> str:
    if bar.balance is None:
        return f"{bar.name} not answered"
    toward = bar.leading if bar.balance > 0 else bar.managing
    words = f"{bar.name} {_signed(bar.balance)}" + (
        f" toward {toward.lower()}" if bar.balance else " (even)"
    )
    if bar.before is not None:
        words += f", was {_signed(bar.before)}"
    return words


def alt_text(data: BalanceChart) -> str:
    """What the chart shows, in words, for people who cannot see it."""
    parts = [
        f"Bar chart of your balance between leading and managing on {data.taken_on}: "
        f"{data.lean}. Each bar runs from 0 toward leading (right, up to +{SPAN}) or "
        f"managing (left, down to -{SPAN})"
        + (f", with a diamond where it was on {data.before_on}." if data.retake else "."),
        _bar_words(data.overall) + ".",
        "; ".join(_bar_words(bar) for bar in data.bars) + ".",
    ]
    text = " ".join(parts)
    return text if len(text) <= ALT_TEXT_LIMIT else text[: ALT_TEXT_LIMIT - 1] + "…"


_drawing = threading.Lock()


def draw_chart(data: BalanceChart) -> bytes:
    """The chart's PNG (matplotlib keeps shared state while drawing: one at a time)."""
    with _drawing:
        return _render_png(data)


def _literal(text: str) -> str:
    # A "$" pair would switch matplotlib to math typesetting.
    return text.replace("$", r"\$")


def _render_png(data: BalanceChart) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = [data.overall, *data.bars]
    figure = Figure(
        figsize=(WIDTH, FRAME_HEIGHT + ROW_HEIGHT * len(rows)), dpi=DPI, layout="constrained"
    )
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(rows)))[::-1]  # the overall bar on top
    marked = False  # the diamond is named once, in the legend
    for y, bar in zip(positions, rows, strict=True):
        bold = bar is data.overall
        if bar.balance is not None:
            balance = float(bar.balance)
            color = SIDE_COLORS[LEADING] if balance >= 0 else SIDE_COLORS[MANAGING]
            axes.barh(y, balance, height=0.42 if bold else 0.34, color=color)
            axes.text(
                balance + (0.08 if balance >= 0 else -0.08),
                y,
                _signed(bar.balance),
                va="center",
                ha="left" if balance >= 0 else "right",
                fontsize=9,
                fontweight="bold" if bold else "normal",
                color=TEXT_COLOR,
            )
        if bar.before is not None:
            axes.plot(
                [float(bar.before)],
                [y],
                marker="D",
                markersize=7,
                markerfacecolor="none",
                markeredgecolor=BEFORE_COLOR,
                linestyle="none",
                label=None if marked else f"last time, {data.before_on}",
            )
            marked = True
        for x, words, align in (
            (-SPAN, bar.managing, "left"),
            (SPAN, bar.leading, "right"),
        ):
            axes.text(
                x, y + 0.27, _literal(words), ha=align, va="bottom", fontsize=8.5, color=POLE_COLOR
            )
    axes.axvline(0, color=TEXT_COLOR, linewidth=0.8)
    axes.set_xlim(-SPAN - MARGIN, SPAN + MARGIN)
    axes.set_ylim(-0.7, len(rows) - 0.2)
    axes.set_yticks(positions, [_literal(bar.name) for bar in rows])
    for label in axes.get_yticklabels()[:1]:
        label.set_fontweight("bold")
    axes.set_xticks(range(-SPAN, SPAN + 1))
    axes.set_xlabel("\u2190 toward managing          toward leading \u2192", color=TEXT_COLOR)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="x", color="#E5E5E5", linewidth=0.6)
    axes.set_axisbelow(True)
    if marked:
        axes.legend(loc="lower right", fontsize=8.5, frameon=False)
    figure.suptitle(
        f"Your balance between leading and managing, {data.taken_on}: {data.lean}",
        x=0.01,
        ha="left",
        fontsize=12,
        color=TEXT_COLOR,
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def chart_upload(
    result: AssessmentResult, bank: Bank, assessment: Assessment, channel: str
) -> dict[str, Any]:
    """files.upload_v2 arguments for bot.platform.delivery.upload_file: the person's DM."""
    data = chart_data(result, bank, assessment)
    return {
        "channel": channel,
        "filename": f"lvm-balance-{data.taken_on}.png",
        "title": "Your balance between leading and managing",
        "alt_txt": alt_text(data),
        "content": draw_chart(data),
    }
