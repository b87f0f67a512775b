"""Manager summaries: the `/lvm summary` message, the digest after a round closes, the
App Home glance at a manager's teams, and a commitment told to the team.

Pure builders from a `TeamSummary` (whose numbers already obey the anonymity rules) to
Block Kit, kept inside Slack's limits: at most 50 blocks, 3000 characters a section.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    OverflowMenuElement,
    SectionBlock,
)

from bot.bank import About, Bank, Practice
from bot.platform.column_types import row_id
from bot.platform.messages import Message
from bot.platform.mrkdwn import escape
from bot.summary.focus import CHOSEN, HELD, HIGH, Reason
from bot.summary.self_view_blocks import ONLY_YOU, gap_reason, glance_line, self_view_lines
from bot.summary.trends import (
    FOLLOWUP_SHOWN,
    FOLLOWUP_WAITING,
    LEADERSHIP,
    MANAGEMENT,
    SIDE_NAMES,
    WINDOW,
    Balance,
    CommitmentProgress,
    DimensionTrend,
    Fall,
    Focus,
    FocusCandidate,
    Level,
    LevelChange,
    RoundView,
    SideTrend,
    TeamSummary,
)
from bot.tips.blocks import area_query_text, practice_blocks, tip_message

COMMIT = "summary.commit"
COMMIT_ANNOUNCE = "summary.commit_announce"
# A candidate's button: "summary.choose_focus.<dimension id>" (one per candidate).
CHOOSE_FOCUS = "summary.choose_focus"
HOME_SUMMARY = "home.summary"
HOME_SETTINGS = "home.settings"

# A comment's menu: action id "comment.menu.<reference>" (unique in the message), each option
# valued "<response>:<reference>". The reference is the comment's own opaque one, never
# anything of its author; bot/threads handles the choice.
COMMENT_MENU = "comment.menu"
REPLY = "reply"
THANKS, ON_IT, LETS_TALK = "thanks", "on_it", "lets_talk"
# The wordless answers a manager can send with one click, by what they say.
ACKNOWLEDGMENTS = {THANKS: "Thanks", ON_IT: "We're on it", LETS_TALK: "Let's talk"}
COMMENT_RESPONSES = {
    REPLY: "Reply…",
    **{kind: f"Send “{words}”" for kind, words in ACKNOWLEDGMENTS.items()},
}

MAX_BLOCKS = 50
SECTION_LIMIT = 3000
HEADER_LIMIT = 150
# Blocks kept free for what follows the comments, so the message never passes MAX_BLOCKS.
RESERVED_BLOCKS = 2
MAX_HOME_TEAMS = 20


# --- values carried by buttons -------------------------------------------------------------


@dataclass(frozen=True)
class CommitChoice:
    """What an "I'll try this" button carries."""

    pulse_team_id: int
    dimension_id: str
    practice_id: str


def commit_value(choice: CommitChoice) -> str:
    return f"{choice.pulse_team_id}:{choice.dimension_id}:{choice.practice_id}"


def parse_commit_value(value: str) -> CommitChoice:
    """Raises ValueError for anything that is not "team:dimension:practice"."""
    team_part, dimension_id, practice_id = value.split(":")
    if not dimension_id or not practice_id:
        raise ValueError("empty dimension or practice")
    return CommitChoice(row_id(team_part), dimension_id, practice_id)


@dataclass(frozen=True)
class FocusPick:
    """What a candidate's "Make this the focus" button carries."""

    pulse_team_id: int
    dimension_id: str


def pick_value(pick: FocusPick) -> str:
    return f"{pick.pulse_team_id}:{pick.dimension_id}"


def parse_pick_value(value: str) -> FocusPick:
    """Raises ValueError for anything that is not "team:dimension"."""
    team_part, dimension_id = value.split(":")
    if not dimension_id:
        raise ValueError("empty dimension")
    return FocusPick(row_id(team_part), dimension_id)


# --- small formatting helpers --------------------------------------------------------------


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=_cut(text, SECTION_LIMIT)))


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=_cut(text, SECTION_LIMIT))])


def _header(text: str) -> HeaderBlock:
    return HeaderBlock(text=_cut(text, HEADER_LIMIT))


def _day(moment: datetime) -> str:
    """A date Slack shows in each reader's own time zone."""
    return f"<!date^{int(moment.timestamp())}^{{date_short}}|{moment:%d %b %Y}>"


def _round_of(opens_at: datetime | None) -> str:
    """A round named by the day it opened: managers think in dates, not ISO weeks."""
    return "the latest round" if opens_at is None else f"the round of {_day(opens_at)}"


def _signed(change: float) -> str:
    return "±0.0" if change == 0 else f"{change:+.1f}"


def _participation_change(change: int) -> str:
    if change == 0:
        return "the same as the round before"
    direction = "up" if change > 0 else "down"
    return f"{direction} {abs(change)} percentage points from the round before"


def _weeks(count: int) -> str:
    return f"{count} week{'s' if count != 1 else ''}"


def _packed(lines: Sequence[str]) -> list[str]:
    """Lines packed into as few texts as Slack's 3000-character limit allows."""
    texts: list[str] = []
    current = ""
    for line in lines:
        line = _cut(line, SECTION_LIMIT)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > SECTION_LIMIT:
            texts.append(current)
            candidate = line
        current = candidate
    if current:
        texts.append(current)
    return texts


def _sections_for_lines(lines: Sequence[str]) -> list[SectionBlock]:
    return [_section(text) for text in _packed(lines)]


def _to_dicts(blocks: Sequence[Block | dict[str, Any]]) -> list[dict[str, Any]]:
    return [block if isinstance(block, dict) else block.to_dict() for block in blocks]


# --- the parts of a summary ----------------------------------------------------------------


def participation_line(summary: TeamSummary) -> str:
    trend = summary.participation
    latest = summary.latest_round
    lines = []
    if latest is not None and trend.latest is not None:
        line = (
            f"*Participation:* `{trend.sparkline}` {trend.latest}% answered "
            f"{_round_of(latest.opens_at)} ({latest.answered} of {latest.asked})"
        )
        if trend.change_from_previous is not None:
            line += f", {_participation_change(trend.change_from_previous)}"
        lines.append(line)
    if summary.open_round is not None:
        progress = summary.open_round
        opened = f" (opened {_day(progress.opens_at)})" if progress.opens_at else ""
        lines.append(
            f"*Open now{opened}:* {progress.answered} of {progress.asked} "
            f"answered so far; scores appear after it closes {_day(progress.closes_at)}."
        )
    return "\n".join(lines)


def _rounds(count: int) -> str:
    return f"{count} round{'s' if count != 1 else ''}"


def level_text(level: Level) -> str:
    """ "3.4 ±0.5 · 60% favorable": a level with its normal variation."""
    text = f"{level.average:.1f} ±{level.margin:.1f}"
    if level.favorable is not None:
        text += f" · {level.favorable}% favorable"
    return text


def change_text(change: LevelChange | None, level: Level) -> str:
    """A level against the window before: a rise or a fall only outside normal variation."""
    if change is None:
        if level.rounds == 1:
            return "first shown in this span"
        return "nothing earlier in this span to compare with"
    if change.within_noise:
        return f"within normal variation for a team of {level.people}"
    direction = "up" if change.change > 0 else "down"
    return f"{direction} {abs(change.change):.1f} on the {_rounds(change.previous.rounds)} before"


def dimension_line(trend: DimensionTrend, weeks: int, latest_period: str | None) -> str:
    when = "" if trend.latest_period == latest_period else f" ({_round_of(trend.latest_opens_at)})"
    name = f"`{trend.sparkline}` *{escape(trend.name)}*"
    level = trend.level
    if level is None:  # a trend built without a window: its latest value alone
        return f"{name} {trend.latest:.1f}{when}"
    parts = [f"{name} {level_text(level)}"]
    if level.rounds > 1:
        parts.append(f"over {_rounds(level.rounds)}, latest {trend.latest:.1f}{when}")
    elif when:
        parts[0] += when
    parts.append(change_text(trend.level_change, level))
    return " · ".join(parts)


def restart_lines(summary: TeamSummary) -> list[str]:
    """The areas whose series starts over inside the span, in plain words."""
    lines = []
    for trend in summary.dimensions:
        if trend.restarted_on is None:
            continue
        one = len(trend.basis) <= 1
        lines.append(
            f"*{escape(trend.name)}:* {'a new statement' if one else 'a new set of statements'} "
            f"from {_day(trend.restarted_on)}; earlier rounds asked "
            f"{'a different one' if one else 'different ones'}, so its level and changes "
            "start there."
        )
    return lines


def balance_sentence(balance: Balance, people: int) -> str:
    """Which side the team experiences as stronger, and where the gap is widest."""
    leading, managing = f"{balance.leading:.1f}", f"{balance.managing:.1f}"
    if balance.stronger == MANAGEMENT:
        text = (
            f"Your team experiences you as stronger at managing ({managing}) than at leading "
            f"({leading})"
        )
    elif balance.stronger == LEADERSHIP:
        text = (
            f"Your team experiences you as stronger at leading ({leading}) than at managing "
            f"({managing})"
        )
    else:
        text = (
            f"Your team experiences you as about as strong at both (leading {leading}, "
            f"managing {managing}: within normal variation for a team of {people})"
        )
    widest = balance.widest
    if widest is not None:
        text += (
            f"; the widest gap, beyond normal variation, is on {widest.name.lower()}: "
            f"'{widest.leading_name}' {widest.leading:.1f}, "
            f"'{widest.managing_name}' {widest.managing:.1f}"
        )
    return text + "."


def side_line(trend: SideTrend) -> str:
    level = trend.window
    head = f"`{trend.sparkline}` *{trend.name}*"
    if level is None:
        return head
    return f"{head} {level_text(level)} · {change_text(trend.change, level)}"


def _side_asked(summary: TeamSummary, bank: Bank, side: str) -> bool:
    dimensions = {d.id for d in bank.dimensions if d.about is About.LEAD and d.side == side}
    return any(
        dimensions.intersection([*view.scores, *view.hidden_dimensions]) for view in summary.rounds
    )


def sides_lines(summary: TeamSummary, bank: Bank) -> list[str]:
    """The two sides' levels, then the balance between them in plain words."""
    if not summary.rounds:
        return []
    lines = [
        "*How your team experiences your leading and managing* (statements about you, "
        f"over the last {WINDOW} rounds that showed them)"
    ]
    for side, name in SIDE_NAMES.items():
        trend = summary.side(side)
        if trend is not None:
            lines.append(side_line(trend))
        elif _side_asked(summary, bank, side):
            lines.append(
                f"*{name}:* not shown: no statement about your {name.lower()} had at least "
                f"{summary.threshold} answers in a shown round of this span."
            )
        else:
            lines.append(
                f"*{name}:* no statement about your {name.lower()} was asked in this span."
            )
    if summary.balance is not None:
        people = max(
            (trend.window.people for trend in summary.sides if trend.window is not None),
            default=0,
        )
        lines.append(balance_sentence(summary.balance, people))
    return lines


def _days(views: Sequence[RoundView]) -> str:
    names = [_day(view.opens_at) for view in views]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def hidden_rounds_note(summary: TeamSummary) -> str | None:
    """Earlier rounds shown without scores; the latest has its own note (latest_round_note)."""
    latest = summary.latest_round
    hidden = [view for view in summary.hidden_rounds if view is not latest]
    withheld = [view for view in summary.withheld_rounds if view is not latest]
    notes = []
    if hidden:
        rounds = "round" if len(hidden) == 1 else "rounds"
        notes.append(
            f":lock: Not enough answers to show the {rounds} of {_days(hidden)}: fewer than "
            f"{summary.threshold} people answered, so only participation is counted for "
            f"{'it' if len(hidden) == 1 else 'them'}, and no average moves with "
            f"{'it' if len(hidden) == 1 else 'them'}."
        )
    overlapping = [view for view in summary.overlapping_rounds if view is not latest]
    if overlapping:
        rounds = "round" if len(overlapping) == 1 else "rounds"
        notes.append(
            f":busts_in_silhouette: The {rounds} of {_days(overlapping)}: another team asked "
            "nearly the same people that week, so these scores are not shown: subtracting one "
            "team's averages from the other's would single people out."
        )
    if withheld:
        rounds = "round" if len(withheld) == 1 else "rounds"
        notes.append(
            f":lock: The {rounds} of {_days(withheld)} opened before this team let workspace "
            "admins see its results, so their scores stay with its managers."
        )
    return "\n".join(notes) or None


def latest_round_note(view: RoundView, threshold: int) -> str | None:
    day = _day(view.opens_at)
    if view.shown:
        return None
    if view.shares_people:
        return (
            f"*Round of {day}:* another team asked nearly the same people that week, so "
            f"its scores are not shown ({view.answered} of {view.asked} answered)."
        )
    if view.withheld_from_admins:
        return (
            f"*Round of {day}:* opened before this team let workspace admins see its "
            f"results ({view.answered} of {view.asked} answered)."
        )
    return (
        f"*Round of {day}:* not enough answers to show this round "
        f"({view.answered} of {view.asked} answered; scores need at least {threshold})."
    )


def withheld_areas_note(summary: TeamSummary, bank: Bank) -> str | None:
    """The areas the latest shown round asked about but may not show, and why."""
    latest = summary.latest_round
    if latest is None or not latest.shown or not latest.hidden_dimensions:
        return None
    names = {dimension.id: dimension.name for dimension in bank.dimensions}
    areas = [escape(names.get(d, d)) for d in latest.hidden_dimensions]
    listed = areas[0] if len(areas) == 1 else ", ".join(areas[:-1]) + " and " + areas[-1]
    one = len(areas) == 1
    return (
        f":lock: Not shown for {_round_of(latest.opens_at)}: {listed}. Fewer than "
        f"{summary.threshold} people gave {'its statement' if one else 'their statements'} a "
        'score ("didn\'t come up" is not one), '
        f"so {'it stays' if one else 'they stay'} hidden to keep the answers anonymous"
        + (
            "; the figure beside it is from an earlier round."
            if _shown_earlier(summary, latest)
            else "."
        )
    )


def _shown_earlier(summary: TeamSummary, latest: RoundView) -> bool:
    return any(trend.dimension_id in latest.hidden_dimensions for trend in summary.dimensions)


def extremes_line(summary: TeamSummary) -> str | None:
    if summary.strongest is None or summary.weakest is None:
        return None
    strongest, weakest = summary.strongest.level, summary.weakest.level
    high = strongest.average if strongest is not None else summary.strongest.latest
    low = weakest.average if weakest is not None else summary.weakest.latest
    return (
        f":arrow_up: *Strongest:* {escape(summary.strongest.name)} {high:.1f}    "
        f":arrow_down: *Weakest:* {escape(summary.weakest.name)} {low:.1f}"
    )


def fall_text(fall: Fall) -> str:
    """A fall beyond normal variation, in plain words."""
    if fall.sustained:
        return (
            f"lower in each of the last {fall.rounds} rounds: {abs(fall.change):.1f} below "
            f"the {_rounds(fall.earlier_rounds)} before, beyond normal variation for a team "
            f"of {fall.people}"
        )
    return (
        f"down {abs(fall.change):.1f} on the {_rounds(fall.earlier_rounds)} before, beyond "
        f"normal variation for a team of {fall.people}"
    )


def candidate_reason(candidate: FocusCandidate) -> str:
    """Why an area is offered as the focus."""
    reasons = []
    for reason in candidate.reasons:
        if reason == Reason.LOWEST and candidate.lower is not None:
            name, level = candidate.lower
            reasons.append(
                f"the focus so far and among the lowest: {escape(name)} reads lower "
                f"({level:.1f}), within normal variation for a team of "
                f"{candidate.level.people}"
            )
        elif reason == Reason.LOWEST:
            reasons.append("the lowest area")
        elif reason == Reason.NEXT_LOWEST:
            reasons.append("the next lowest area")
        elif reason == Reason.STRETCH:
            reasons.append(f"at {HIGH:.1f} or above like every area: a stretch")
        elif reason == Reason.FALL and candidate.fall is not None:
            reasons.append(fall_text(candidate.fall))
        elif reason == Reason.SELF_ABOVE_TEAM and candidate.self_gap is not None:
            reasons.append(gap_reason(candidate.self_gap))
    return "; ".join(reasons)


def _candidate_line(candidate: FocusCandidate) -> str:
    return (
        f"*{escape(candidate.name)}* {level_text(candidate.level)}: {candidate_reason(candidate)}"
    )


def focus_reason(focus: Focus, summary: TeamSummary) -> str:
    """How the area came to be the focus, and why it is worth it."""
    why = candidate_reason(focus.candidate) if focus.candidate is not None else ""
    level = f"at {level_text(focus.level)}" if focus.level is not None else ""
    if focus.origin == HELD:
        head = f"Held while your commitment on it runs; it is {level}"
    elif focus.origin == CHOSEN and focus.chosen_at is not None:
        head = f"Chosen by <@{focus.chosen_by}> on {_day(focus.chosen_at)}; it is {level}"
    elif focus.stretch:
        head = (
            f"Every area is at {HIGH:.1f} or above, so here is a stretch: "
            f"{escape(focus.name)} is your lowest, {level}. Take it from good to great"
        )
        why = ""
    else:
        head = f"Suggested by the pulse; it is {level}"
    return head + (f": {why}." if why else ".")


def lapsed_note(summary: TeamSummary) -> str | None:
    lapsed = summary.lapsed_choice
    if lapsed is None:
        return None
    if lapsed.level is None:
        state = "has no shown value in the last rounds"
    else:
        state = f"reads {lapsed.level:.1f}, at or above {HIGH:.1f}"
    return (
        f":white_check_mark: *{escape(lapsed.name)}*, the focus <@{lapsed.chosen_by}> chose, "
        f"{state}, so it no longer needs the focus. Choose a new one below."
    )


def candidate_blocks(summary: TeamSummary) -> list[Block]:
    """The candidates, each with a button to make it the team's focus."""
    if not summary.candidates:
        return []
    focus = summary.focus
    chosen = focus.dimension_id if focus is not None and focus.origin == CHOSEN else None
    blocks: list[Block] = [
        _section(
            "*Choose the team's focus* (summaries, digests and focus nudges follow the area "
            "a manager chooses until another is chosen or it reaches "
            f"{HIGH:.1f})"
        )
    ]
    for candidate in summary.candidates:
        line = _candidate_line(candidate)
        if candidate.dimension_id == chosen:
            blocks.append(_section(f"{line} · _the chosen focus_"))
            continue
        pick = FocusPick(summary.pulse_team_id, candidate.dimension_id)
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=_cut(line, SECTION_LIMIT)),
                accessory=ButtonElement(
                    text="Make this the focus",
                    action_id=f"{CHOOSE_FOCUS}.{candidate.dimension_id}",
                    value=pick_value(pick),
                ),
            )
        )
    return blocks


def focus_blocks(summary: TeamSummary, bank: Bank) -> list[Block | dict[str, Any]]:
    focus = summary.focus
    lapsed = lapsed_note(summary)
    notes: list[Block | dict[str, Any]] = [_section(lapsed)] if lapsed else []
    if focus is None:
        return [*notes, *candidate_blocks(summary)]
    choice = CommitChoice(summary.pulse_team_id, focus.dimension_id, focus.practice.id)
    tip = tip_message(focus.practice, bank, query_text=area_query_text(focus.dimension_id))
    title = "Stretch focus" if focus.stretch else "Focus"
    return [
        _header(f"{title}: {focus.name}"),
        *notes,
        _section(focus_reason(focus, summary) + " A practice aimed at it:"),
        *tip["blocks"],
        ActionsBlock(
            block_id=COMMIT,
            elements=[
                ButtonElement(
                    text="I'll try this",
                    action_id=COMMIT,
                    value=commit_value(choice),
                    style="primary",
                ),
                ButtonElement(
                    text="I'll try this and tell the team",
                    action_id=COMMIT_ANNOUNCE,
                    value=commit_value(choice),
                ),
            ],
        ),
        *candidate_blocks(summary),
    ]


def _rounds(count: int) -> str:
    return f"{count} round{'s' if count != 1 else ''}"


def commitment_read(progress: CommitmentProgress) -> str:
    """Before and after, each a level over up to three shown rounds (bot.summary.
    commitments), and plainly whether the change is beyond normal variation."""
    before, after, change = progress.before_level, progress.after_level, progress.change
    if after is None:
        then = "no shown value before" if before is None else f"{before.average:.1f} before"
        return f"{then}; no round shown since yet."
    if before is None or change is None:
        return (
            f"{after.average:.1f} over {_rounds(after.rounds)} since; no shown value from "
            "before to compare with."
        )
    read = (
        f"{before.average:.1f} → {after.average:.1f} (over {_rounds(before.rounds)} before "
        f"and {_rounds(after.rounds)} since)"
    )
    team = f"for a team of {after.people}"
    if change.within_noise:
        return f"{read}, within normal variation {team} (±{change.noise:.1f})."
    direction = "rise" if change.change > 0 else "fall"
    return f"{read}, a real {direction}: beyond the normal variation of ±{change.noise:.1f} {team}."


def followup_read(progress: CommitmentProgress, threshold: int) -> str | None:
    """The team's answer to the one-off statement, under the usual threshold."""
    if progress.followup_text is None or progress.followup_state is None:
        return None
    asked = f"“{escape(progress.followup_text)}”"
    if progress.followup_state == FOLLOWUP_WAITING:
        return f"The team is asked {asked} in a round still open."
    score = progress.followup_score
    if progress.followup_state == FOLLOWUP_SHOWN and score is not None:
        return f"The team on {asked}: {score.average:.1f} ({score.answers} answers)."
    return (
        f"The team was asked {asked}; fewer than {threshold} answered it, so its answer is "
        "not shown."
    )


def commitment_line(progress: CommitmentProgress, threshold: int = 3) -> str:
    start = (
        f"• <@{progress.user_id}> on {_day(progress.committed_at)}: "
        f"*{escape(progress.practice_title)}* for {escape(progress.dimension_name)}"
    )
    if progress.due_at is not None:
        start += f", until {_day(progress.due_at)}"
    line = f"{start}: {commitment_read(progress)}"
    team = followup_read(progress, threshold)
    return f"{line} {team}" if team else line


def commitment_blocks(summary: TeamSummary) -> list[Block]:
    if not summary.commitments:
        return []
    lines = ["*Commitments and what happened since*"]
    lines.extend(commitment_line(progress, summary.threshold) for progress in summary.commitments)
    return [DividerBlock(), *_sections_for_lines(lines)]


def _quote(comment: str) -> str:
    return _cut("> " + escape(comment).replace("\n", "\n> "), SECTION_LIMIT)


def comment_response_value(response: str, reference: str) -> str:
    return f"{response}:{reference}"


def parse_comment_response(value: str) -> tuple[str, str]:
    """(response, reference) from a comment menu's option; ValueError for anything else."""
    response, _, reference = value.partition(":")
    if response not in COMMENT_RESPONSES or not reference or ":" in reference:
        raise ValueError("not a comment response")
    return response, reference


def comment_menu(reference: str) -> OverflowMenuElement:
    """A comment's menu: reply to its author, or acknowledge it in one click."""
    return OverflowMenuElement(
        action_id=f"{COMMENT_MENU}.{reference}",
        options=[
            Option(value=comment_response_value(response, reference), text=label)
            for response, label in COMMENT_RESPONSES.items()
        ],
    )


def _comments_note(summary: TeamSummary) -> str:
    note = (
        f"Unattributed and in random order; shown because at least {summary.threshold} "
        "people answered that round."
    )
    references = [reference for _, reference in summary.comments_with_references()]
    if any(references):
        note += (
            " A comment's ⋮ menu replies to its author or thanks them: lvm relays it without "
            "telling anyone who wrote it, and keeps the conversation for the team's managers."
        )
        if not all(references):
            note += (
                " Comments without a menu cannot be answered: written before replies existed, "
                "or their conversation was closed."
            )
    return note


def comment_blocks(summary: TeamSummary, budget: int) -> list[Block]:
    """The latest round's comments, in the summary's random order, within `budget` blocks:
    each that can be answered in a section of its own with its menu, the others packed."""
    latest = summary.latest_round
    if not summary.comments or summary.comments_period is None or latest is None:
        return []
    blocks: list[Block] = [
        DividerBlock(),
        _section(f"*What people said in {_round_of(latest.opens_at)}*"),
        _context(_comments_note(summary)),
    ]
    room = budget - len(blocks) - 1  # one kept for a note when not everything fits
    if room < 1:
        return []
    shown: list[SectionBlock] = []
    packed: str | None = None  # the text of the last section, while more may join it
    told = 0
    for comment, reference in summary.comments_with_references():
        quoted = _quote(comment)
        if (
            reference is None
            and packed is not None
            and len(packed) + 1 + len(quoted) <= SECTION_LIMIT
        ):
            packed += "\n" + quoted
            shown[-1] = _section(packed)
        elif len(shown) < room:
            if reference is None:
                packed = quoted
                shown.append(_section(quoted))
            else:
                packed = None
                shown.append(
                    SectionBlock(
                        text=MarkdownTextObject(text=quoted), accessory=comment_menu(reference)
                    )
                )
        else:
            break
        told += 1
    blocks.extend(shown)
    if told < len(summary.comments):
        blocks.append(
            _context(f"{len(summary.comments) - told} more comments did not fit in this message.")
        )
    return blocks


def _summary_body(summary: TeamSummary, bank: Bank) -> list[Block | dict[str, Any]]:
    blocks: list[Block | dict[str, Any]] = [
        _context(
            f"Last {_weeks(summary.weeks)} · {len(summary.rounds)} closed "
            f"round{'s' if len(summary.rounds) != 1 else ''} · scores from 1 to 5 "
            "(favorable: 4s and 5s), shown only "
            f"when at least {summary.threshold} people answered · ± is the normal variation "
            "for the number who answered"
        )
    ]
    if not summary.rounds:
        blocks.append(
            _section(
                f"No round has closed in the last {_weeks(summary.weeks)} yet: the first summary "
                "appears once one does."
            )
        )
    participation = participation_line(summary)
    if participation:
        blocks.append(_section(participation))
    latest = summary.latest_round
    if latest is not None:
        note = latest_round_note(latest, summary.threshold)
        if note:
            blocks.append(_section(note))
    blocks.extend(_sections_for_lines(sides_lines(summary, bank)))
    if summary.dimensions:
        lines = [
            f"*By area* (over the last {WINDOW} rounds that showed it · change on the rounds "
            "before)"
        ]
        latest_period = latest.period if latest is not None else None
        lines.extend(
            dimension_line(trend, summary.weeks, latest_period) for trend in summary.dimensions
        )
        blocks.extend(_sections_for_lines(lines))
        blocks.extend(_context(text) for text in _packed(restart_lines(summary)))
    elif summary.rounds:
        blocks.append(_section("No area had enough answers to show in this span."))
    withheld_areas = withheld_areas_note(summary, bank)
    if withheld_areas:
        blocks.append(_context(withheld_areas))
    extremes = extremes_line(summary)
    if extremes:
        blocks.append(_section(extremes))
    hidden = hidden_rounds_note(summary)
    if hidden:
        blocks.append(_context(hidden))
    if summary.self_view is not None:
        blocks.extend(_sections_for_lines(self_view_lines(summary.self_view)))
        blocks.append(_context(ONLY_YOU))
    focus = focus_blocks(summary, bank)
    if focus:
        blocks.append(DividerBlock())
        blocks.extend(focus)
    blocks.extend(commitment_blocks(summary))
    blocks.extend(comment_blocks(summary, MAX_BLOCKS - RESERVED_BLOCKS - len(blocks)))
    return blocks


def _fallback_text(summary: TeamSummary, team_name: str) -> str:
    latest = summary.latest_round
    if latest is None:
        return f"Pulse summary for {team_name}: no closed round yet"
    text = (
        f"Pulse summary for {team_name}: {latest.answered} of {latest.asked} answered in the "
        f"round of {latest.opens_at:%d %b %Y}"
    )
    if summary.focus is not None:
        text += f"; focus: {summary.focus.name}"
    return text


def summary_message(summary: TeamSummary, bank: Bank, team_name: str) -> Message:
    """The answer to `/lvm summary`."""
    blocks = [_header(f"Pulse summary: {team_name}"), *_summary_body(summary, bank)]
    # The fallback text is mrkdwn (a name could ping); the header is plain text.
    return {"text": _fallback_text(summary, escape(team_name)), "blocks": _to_dicts(blocks)}


def digest_message(summary: TeamSummary, bank: Bank, team_name: str) -> Message:
    """The DM each manager gets when a round closes: the same summary under its own heading."""
    latest = summary.latest_round
    heading = f"The pulse for {team_name} closed"
    if latest is not None:
        heading += f": {latest.answered} of {latest.asked} answered"
    blocks = [_header(heading), *_summary_body(summary, bank)]
    return {"text": escape(heading), "blocks": _to_dicts(blocks)}


# --- App Home ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamGlance:
    """One of a manager's teams as App Home shows it."""

    summary: TeamSummary
    next_round: datetime | None


def glance_text(glance: TeamGlance) -> str:
    summary = glance.summary
    lines = [f"*{escape(summary.team_name)}*"]
    latest = summary.latest_round
    if latest is None:
        lines.append("No closed round yet.")
    else:
        percent = latest.participation_percent
        rate = "" if percent is None else f"{percent}% "
        lines.append(
            f"Round of {_day(latest.opens_at)}: {rate}answered "
            f"({latest.answered} of {latest.asked})"
            + ("" if latest.shown else ", not enough answers to show scores")
        )
    if summary.sides:
        sides = " · ".join(
            f"{trend.name} {trend.level:.1f}" for trend in summary.sides if trend.level is not None
        )
        if summary.balance is None:
            lines.append(sides)
        elif summary.balance.stronger is None:
            lines.append(f"{sides}: about as strong at both")
        else:
            lines.append(f"{sides}: stronger at {SIDE_NAMES[summary.balance.stronger].lower()}")
    if summary.dimensions:
        lines.append(
            " · ".join(
                f"{escape(t.name)} {(t.level.average if t.level else t.latest):.1f}"
                for t in summary.dimensions
            )
        )
    own = glance_line(summary.self_view) if summary.self_view is not None else None
    if own:
        lines.append(own)
    if summary.open_round is not None:
        progress = summary.open_round
        lines.append(
            f"Open now: {progress.answered} of {progress.asked} answered, closes "
            f"{_day(progress.closes_at)}"
        )
    elif glance.next_round is not None:
        lines.append(f"Next round: {_day(glance.next_round)}")
    return "\n".join(lines)


def home_view_for_manager(glances: Sequence[TeamGlance]) -> list[dict[str, Any]]:
    """Blocks for the App Home: each team a manager leads, at a glance, with two buttons."""
    if not glances:
        return []
    blocks: list[Block] = [DividerBlock(), _header("Your pulse teams")]
    for glance in glances[:MAX_HOME_TEAMS]:
        team_id = str(glance.summary.pulse_team_id)
        blocks.append(_section(glance_text(glance)))
        blocks.append(
            ActionsBlock(
                block_id=f"home.team.{team_id}",
                elements=[
                    ButtonElement(text="Summary", action_id=HOME_SUMMARY, value=team_id),
                    ButtonElement(text="Settings", action_id=HOME_SETTINGS, value=team_id),
                ],
            )
        )
    if len(glances) > MAX_HOME_TEAMS:
        blocks.append(
            _context(
                f"…and {len(glances) - MAX_HOME_TEAMS} more: `/lvm summary` in a team's channel."
            )
        )
    return _to_dicts(blocks)


# --- commitments ---------------------------------------------------------------------------


def focus_confirmation(dimension_name: str, team_name: str) -> Message:
    """The reply to the manager who chose a focus."""
    text = (
        f":dart: *{escape(dimension_name)}* is now the focus for {escape(team_name)}. "
        "Summaries, digests and focus nudges aim at it until a manager chooses another or "
        f"it reaches {HIGH:.1f}; ask for `/lvm summary` to see a practice for it."
    )
    return {"text": f"{dimension_name} is now the focus", "blocks": _to_dicts([_section(text)])}


def commitment_announcement(
    practice: Practice, bank: Bank, *, manager_id: str, dimension_name: str
) -> Message:
    """Posted to the team's channel when a manager commits and chooses to tell the team."""
    blocks: list[Block] = [
        _section(
            f":handshake: <@{manager_id}> will try this practice to work on "
            f"*{escape(dimension_name)}*, the area the team's pulse pointed to. Thank you "
            "for answering it."
        ),
        *practice_blocks(practice, bank),
    ]
    return {
        "text": f"<@{manager_id}> will try {practice.title} to work on {dimension_name}",
        "blocks": _to_dicts(blocks),
    }
