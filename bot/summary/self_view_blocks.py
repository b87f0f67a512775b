"""How a lead's own self-ratings read beside their team's (their own summary, digest and
Home only: bot/summary/self_view.py). Every number is at one decimal."""

from __future__ import annotations

from bot.platform.mrkdwn import escape
from bot.summary.trends import SelfGap, SelfView

HEADING = "*You beside your team* (your self-assessment; the team's level over its last rounds)"
ONLY_YOU = (
    ":lock: Only you see your self-ratings: not the team's other managers, not admins, and "
    "not the CSV export."
)


def gap_line(gap: SelfGap) -> str:
    line = (
        f"You rate yourself {gap.own:.1f} on {escape(gap.name)}; your team, {gap.team.average:.1f}"
    )
    if gap.blind_spot:
        return line + " (higher than your team, beyond normal variation)"
    return line


def hidden_line(view: SelfView) -> str | None:
    if not view.hidden:
        return None
    one = view.hidden == 1
    some = "One area" if one else f"{view.hidden} areas"
    return (
        f":lock: {some} you rated {'is' if one else 'are'} hidden beside your team until "
        f"enough of them answer {'it' if one else 'them'}, to keep their answers anonymous."
    )


def self_view_lines(view: SelfView) -> list[str]:
    """The heading, one line per compared area (widest gap first), the hidden note."""
    lines = [HEADING, *(f"• {gap_line(gap)}" for gap in view.areas)]
    hidden = hidden_line(view)
    if hidden:
        lines.append(hidden)
    return lines


def gap_reason(gap: SelfGap) -> str:
    """Why a blind spot is offered as the focus."""
    return (
        f"you rate yourself higher here than your team does ({gap.own:.1f} against "
        f"{gap.team.average:.1f}, beyond normal variation for a team of {gap.team.people})"
    )


def glance_line(view: SelfView) -> str | None:
    """App Home: the widest gap, in one line."""
    if not view.areas:
        return hidden_line(view)
    widest = view.areas[0]
    return f"Beside your self-assessment, the widest gap: {gap_line(widest)}"
