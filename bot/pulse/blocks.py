"""Pulse surfaces: the DM with its questions, the setup modal, and settings."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    OptionGroup,
    PlainTextInputElement,
    SectionBlock,
    StaticMultiSelectElement,
    StaticSelectElement,
    TimePickerElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.bank import About, Bank, Dimension, Lens, Question
from bot.platform.column_types import row_id
from bot.platform.local_time import WEEKDAYS
from bot.platform.messages import Message, message_of
from bot.platform.mrkdwn import escape
from bot.pulse.questions import MAX_QUESTIONS, describe_default
from bot.pulse.schedule import WORKING_WEEKDAYS
from bot.pulse.store import PulseRound, PulseTeam

ANSWER_PREFIX = "pulse.answer:"
COMMENT = "pulse.comment"
SETUP_VIEW = "pulse.setup"
COMMENT_VIEW = "pulse.comment_view"

# What each point of the scale says, and the button showing it with its number.
SCORE_WORDS = {1: "Strongly disagree", 2: "Disagree", 3: "Neither", 4: "Agree", 5: "Strongly agree"}
SCORE_LABELS = {score: f"{score} · {word}" for score, word in SCORE_WORDS.items()}
# The answer a conditional statement also offers: what it asks about did not happen. Stored
# as an answer without a score (bot.pulse.rounds.record_answer); its token stands for the
# score in a button's value and action id.
NOT_APPLICABLE_LABEL = "Didn't come up"
NOT_APPLICABLE = "na"
REMINDER_CHOICES = {0: "No reminder", 24: "After 1 day", 48: "After 2 days"}
OPEN_DAY_CHOICES = (1, 2, 3, 4, 5)

# Setup modal block ids; each input's action id is the same string.
NAME, MANAGERS, WEEKDAY, TIME, TIMEZONE = "name", "managers", "weekday", "time", "timezone"
OPEN_DAYS, REMINDER, QUESTIONS, THRESHOLD = "open_days", "reminder", "questions", "threshold"
ADMINS = "admins"
ADMINS_MAY_VIEW = "admins_may_view"  # the checkbox's value
MANAGERS_ANSWER = "managers_answer"  # block, action and checkbox value
AUDIENCE = "audience"  # the context block counting who will be asked
COMMENT_INPUT = "comment"


def slack_date(moment: datetime) -> str:
    """A time Slack shows in each reader's own time zone."""
    stamp = int(moment.timestamp())
    fallback = moment.strftime("%a %d %b %H:%M UTC")
    return f"<!date^{stamp}^{{date_short_pretty}} at {{time}}|{fallback}>"


def answer_token(score: int | None) -> str:
    """The score as a button's value and action id carry it; None is "didn't come up"."""
    return NOT_APPLICABLE if score is None else str(score)


def answer_value(round_id: int, question_id: str, score: int | None) -> str:
    return f"{round_id}:{question_id}:{answer_token(score)}"


def parse_answer_value(value: str) -> tuple[int, str, int | None]:
    """(round, question, score or None for "didn't come up"). Raises ValueError for anything
    that is not "round:question:score" or "round:question:na"; whether the statement offers
    "didn't come up" is for `bot.pulse.rounds.record_answer` to check."""
    round_part, question_id, score_part = value.split(":")
    score = None if score_part == NOT_APPLICABLE else int(score_part)
    return row_id(round_part), question_id, score


def said(score: int | None) -> str:
    """How the DM tells a person what they answered."""
    return "didn't come up" if score is None else SCORE_WORDS.get(score, str(score))


@dataclass(frozen=True)
class PulseDm:
    """What one person's pulse message shows."""

    round_id: int
    team_name: str
    questions: list[Question]
    closes_at: datetime
    threshold: int
    answers: dict[str, int | None]  # question id -> score; None: "didn't come up"
    comment: str = ""
    reminder: bool = False
    closed: bool = False
    admins_may_view: bool = False
    managers_answer: bool = False

    @classmethod
    def of(
        cls,
        bank: Bank,
        team: PulseTeam,
        pulse_round: PulseRound,
        *,
        answers: dict[str, int | None] | None = None,
        comment: str = "",
        reminder: bool = False,
        closed: bool = False,
    ) -> PulseDm:
        """The DM of `pulse_round` for one person. Its promises are the round's, as when it
        opened, and the higher threshold of round and team, which is the one summaries apply."""
        return cls(
            round_id=pulse_round.id,
            team_name=team.name,
            questions=[q for q in map(bank.question_by_id.get, pulse_round.question_ids) if q],
            closes_at=(pulse_round.closed_at or pulse_round.closes_at)
            if closed
            else pulse_round.closes_at,
            threshold=max(team.anonymity_threshold, pulse_round.anonymity_threshold),
            answers=answers or {},
            comment=comment,
            reminder=reminder,
            closed=closed,
            admins_may_view=pulse_round.admins_may_view,
            managers_answer=team.managers_answer,
        )


def _viewers(admins_may_view: bool) -> str:
    return "managers and workspace admins" if admins_may_view else "managers"


def privacy_lines(
    threshold: int, admins_may_view: bool = False, managers_answer: bool = False
) -> str:
    managers = (
        "Your managers answer this pulse too and know their own scores, so each of them "
        "hides among one person fewer.\n"
        if managers_answer
        else ""
    )
    return (
        f":lock: Your {_viewers(admins_may_view)} see only averages, and only once at least "
        f"{threshold} people have answered.\n{managers}Nobody, managers included, can see who "
        "said what. Details: `/lvm privacy`"
    )


def pulse_dm(dm: PulseDm) -> Message:
    team = escape(dm.team_name)
    if dm.closed:
        intro = f"The pulse for *{team}* closed {slack_date(dm.closes_at)}."
    elif dm.reminder:
        intro = (
            f"Friendly reminder: the pulse for *{team}* closes {slack_date(dm.closes_at)}. "
            "It takes under two minutes."
        )
    else:
        intro = (
            f"Hi! {len(dm.questions)} quick questions about your week with *{team}*: "
            f"one click each, under two minutes. Open until {slack_date(dm.closes_at)}."
        )
    blocks: list[Block | dict[str, Any]] = [
        HeaderBlock(text=f"Weekly pulse: {dm.team_name}"[:150]),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=privacy_lines(dm.threshold, dm.admins_may_view, dm.managers_answer)
                )
            ]
        ),
        SectionBlock(text=MarkdownTextObject(text=intro)),
    ]
    for number, question in enumerate(dm.questions, start=1):
        answered_it = question.id in dm.answers
        chosen = answer_token(dm.answers[question.id]) if answered_it else None
        you_said = f"   _you said: {said(dm.answers[question.id])}_" if answered_it else ""
        blocks.append(
            SectionBlock(text=MarkdownTextObject(text=f"*{number}. {question.text}*{you_said}"))
        )
        if not dm.closed:
            blocks.append(
                json.loads(_answer_buttons(dm.round_id, question.id, chosen, question.conditional))
            )
    answered = sum(1 for q in dm.questions if q.id in dm.answers)
    if dm.closed:
        # Rewritten for everyone asked when the round closes (bot.pulse.closed_dms), from the
        # outbox, which must not hold anyone's answers: so none are shown any more.
        footer = (
            "This round is closed: answers can no longer be given or changed. Any you gave "
            "are kept without your name and are not shown here any more. The next round will "
            "reach you by DM."
        )
    else:
        blocks.append(
            ActionsBlock(
                block_id="pulse.comment",
                elements=[
                    ButtonElement(
                        text="Edit your comment" if dm.comment else "Add a comment (optional)",
                        action_id=COMMENT,
                        value=str(dm.round_id),
                    )
                ],
            )
        )
        footer = (
            f"Recorded {answered} of {len(dm.questions)}. You can change any answer until the "
            "round closes."
        )
        if any(q.conditional for q in dm.questions):
            footer += (
                f" *{NOT_APPLICABLE_LABEL}* is there for statements about things that did not "
                "happen this time: it counts as taking part, and in no average."
            )
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=footer)]))
    text = f"Weekly pulse for {team}: {len(dm.questions)} quick questions"
    return {
        "text": text,
        "blocks": [block if isinstance(block, dict) else block.to_dict() for block in blocks],
    }


@functools.lru_cache(maxsize=4096)
def _answer_buttons(round_id: int, question_id: str, chosen: str | None, conditional: bool) -> str:
    """A question's row of answer buttons, as JSON: the five points of the scale, and
    "didn't come up" for a conditional statement. `chosen` is the token of the answer given
    (`answer_token`), highlighted. Rendered once per round, question and choice: slack_sdk
    checks every field of every button on each to_dict(), and re-rendering these rows was
    most of the cost of answering a pulse click."""
    choices: list[tuple[int | None, str]] = list(SCORE_LABELS.items())
    if conditional:
        choices.append((None, NOT_APPLICABLE_LABEL))
    return json.dumps(
        ActionsBlock(
            block_id=f"pulse.q.{question_id}"[:255],
            elements=[
                ButtonElement(
                    text=label,
                    action_id=f"{ANSWER_PREFIX}{question_id}:{answer_token(score)}"[:255],
                    value=answer_value(round_id, question_id, score),
                    style="primary" if chosen == answer_token(score) else None,
                )
                for score, label in choices
            ],
        ).to_dict()
    )


@dataclass(frozen=True)
class CommentTarget:
    """The round a comment is for, and the DM it was asked from (to relabel its button)."""

    round_id: int
    channel_id: str | None = None
    message_ts: str | None = None

    def to_metadata(self) -> str:
        return json.dumps(
            {"round": self.round_id, "channel": self.channel_id, "ts": self.message_ts}
        )

    @classmethod
    def from_metadata(cls, text: str) -> CommentTarget:
        """Read what to_metadata wrote; a bare round id is what older modals carry."""
        if text.strip().isdigit():
            return cls(row_id(text))
        data = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("round"), int):
            raise ValueError("the comment form does not say which round it is for")
        channel, ts = data.get("channel"), data.get("ts")
        return cls(
            row_id(data["round"]),
            channel if isinstance(channel, str) else None,
            ts if isinstance(ts, str) else None,
        )


def comment_modal(target: CommentTarget, current: str) -> dict[str, Any]:
    return View(
        type="modal",
        callback_id=COMMENT_VIEW,
        private_metadata=target.to_metadata(),
        title="Your comment",
        submit="Save",
        close="Cancel",
        blocks=[
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text="Shown to your managers without your name, in random order, "
                        "after the round closes and only if enough people answered. A manager "
                        "may reply through lvm, which relays it to you without ever telling "
                        "them who you are (`/lvm privacy`)."
                    )
                ]
            ),
            InputBlock(
                block_id=COMMENT_INPUT,
                label="Anything you'd like your managers to know?",
                optional=True,
                element=PlainTextInputElement(
                    action_id=COMMENT_INPUT,
                    multiline=True,
                    max_length=2000,
                    initial_value=current or None,
                ),
            ),
        ],
    ).to_dict()


@dataclass(frozen=True)
class SetupDefaults:
    channel_id: str
    name: str
    managers: list[str]
    weekday: int = 0
    local_time: str = "10:00"
    timezone: str = "UTC"
    open_days: int = 3
    remind_after_hours: int = 24
    question_ids: list[str] | None = None
    threshold: int = 5
    admins_may_view: bool = False
    managers_answer: bool = False
    # People the channel has, and how many of them a round would ask; None until counted
    # (the modal opens first, within Slack's 3 seconds, and is updated once they are).
    channel_members: int | None = None
    asked: int | None = None


def audience_note(
    channel_members: int | None, asked: int | None, threshold: int, managers_answer: bool
) -> str:
    """Who a round would reach, and a warning when the threshold leaves no room for absence."""
    if channel_members is None or asked is None:
        return ":hourglass_flowing_sand: Counting the people in this channel..."
    skipped = (
        "people who opted out are skipped"
        if managers_answer
        else "managers are not asked about their own team, and people who opted out are skipped"
    )
    text = (
        f":busts_in_silhouette: This channel has {channel_members} "
        f"{'person' if channel_members == 1 else 'people'}; a round would ask {asked} "
        f"({skipped})."
    )
    warning = threshold_warning(asked, threshold)
    return f"{text}\n{warning}" if warning else text


def threshold_warning(asked: int, threshold: int) -> str | None:
    """Said when the anonymity threshold is at or above the number of people asked."""
    if threshold < asked:
        return None
    if asked < 3:
        return (
            f":warning: Only {asked} {'person' if asked == 1 else 'people'} would be asked, "
            "fewer than the smallest threshold (3): managers would see participation only, "
            "never scores. Add people to the channel to get scores."
        )
    if threshold > asked:
        return (
            f":warning: The anonymity threshold ({threshold}) is above the {asked} people "
            f"asked, so scores would never be shown. Set it to {max(asked - 1, 3)} or lower."
        )
    return (
        f":warning: The anonymity threshold ({threshold}) equals the {asked} people asked: "
        "scores show only in weeks when every one of them answers, so one absence hides the "
        f"week. A threshold of {max(asked - 1, 3)} leaves room for it."
    )


OPTION_TEXT_LIMIT = 75  # Slack's limit for an option's text


def fit(text: str, limit: int = OPTION_TEXT_LIMIT) -> str:
    """`text`, or as many whole words as fit before an ellipsis: never cut mid-word."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return f"{cut}…"


TIME_ANCHOR = "In the last three weeks, "


def picker_label(text: str) -> str:
    """A statement as an option of the setup form (75 characters): without its time anchor
    ("In the last three weeks", "lately") when too long, so the part that tells statements
    apart is cut less often; the DM always shows the whole statement."""
    if len(text) > OPTION_TEXT_LIMIT and text.startswith(TIME_ANCHOR):
        rest = text[len(TIME_ANCHOR) :]
        text = rest[:1].upper() + rest[1:]
    if len(text) > OPTION_TEXT_LIMIT:
        text = text.replace(" lately,", ",", 1)
    return fit(text)


def group_side(dimension: Dimension) -> str:
    """Which side an area's statements measure, to head its group of options with."""
    if dimension.about is About.LEAD:
        return "Leading" if dimension.side is Lens.LEADERSHIP else "Managing"
    return "Outcome" if dimension.about is About.OUTCOME else "Team"


def _option(text: str, value: str) -> Option:
    return Option(text=fit(text), value=value)


def setup_modal(defaults: SetupDefaults, bank: Bank) -> dict[str, Any]:
    weekday_options = [_option(WEEKDAYS[day], str(day)) for day in WORKING_WEEKDAYS]
    day_options = [_option(f"{n} day{'s' if n > 1 else ''}", str(n)) for n in OPEN_DAY_CHOICES]
    reminder_options = [_option(label, str(hours)) for hours, label in REMINDER_CHOICES.items()]
    groups = [
        OptionGroup(
            label=fit(f"{group_side(dimension)} · {dimension.name}"),
            options=[
                _option(picker_label(q.text), q.id)
                for q in bank.asked_questions
                if q.dimension == dimension.id
            ],
        )
        for dimension in bank.dimensions
    ]
    by_id = {q.id: q for q in bank.asked_questions}
    chosen_questions = [
        _option(picker_label(by_id[qid].text), qid)
        for qid in defaults.question_ids or []
        if qid in by_id
    ]

    admins_option = Option(
        text="Workspace admins and owners, besides the managers",
        value=ADMINS_MAY_VIEW,
        description="Off by default: the team's answers stay with its managers.",
    )
    managers_option = Option(
        text="Ask the managers too",
        value=MANAGERS_ANSWER,
        description="A manager who answers knows their own scores: fewer others stay hidden.",
    )

    def pick(options: list[Option], value: str) -> Option:
        return next((o for o in options if o.value == value), options[0])

    blocks: list[Block] = [
        InputBlock(
            block_id=NAME,
            label="Team name",
            element=PlainTextInputElement(
                action_id=NAME, initial_value=defaults.name, max_length=80
            ),
        ),
        InputBlock(
            block_id=MANAGERS,
            label="Managers (they see the summaries and can change these settings)",
            element=UserMultiSelectElement(action_id=MANAGERS, initial_users=defaults.managers),
        ),
        InputBlock(
            block_id=WEEKDAY,
            label="Day of the weekly round",
            element=StaticSelectElement(
                action_id=WEEKDAY,
                options=weekday_options,
                initial_option=pick(weekday_options, str(defaults.weekday)),
            ),
        ),
        InputBlock(
            block_id=TIME,
            label="Time it opens (working hours, 08:00-18:00)",
            element=TimePickerElement(action_id=TIME, initial_time=defaults.local_time),
        ),
        InputBlock(
            block_id=TIMEZONE,
            label="Time zone",
            hint="A name like Europe/London or America/New_York.",
            element=PlainTextInputElement(action_id=TIMEZONE, initial_value=defaults.timezone),
        ),
        InputBlock(
            block_id=OPEN_DAYS,
            label="How long each round stays open",
            element=StaticSelectElement(
                action_id=OPEN_DAYS,
                options=day_options,
                initial_option=pick(day_options, str(defaults.open_days)),
            ),
        ),
        InputBlock(
            block_id=REMINDER,
            label="One reminder to those who have not answered",
            element=StaticSelectElement(
                action_id=REMINDER,
                options=reminder_options,
                initial_option=pick(reminder_options, str(defaults.remind_after_hours)),
            ),
        ),
        InputBlock(
            block_id=QUESTIONS,
            label="Questions (leave empty for the rotating default)",
            hint=f"Empty: the rotating default, {describe_default(bank)}. Your own 3 to "
            "6 need one about how you lead and one about how you manage.",
            optional=True,
            element=StaticMultiSelectElement(
                action_id=QUESTIONS,
                option_groups=groups,
                initial_options=chosen_questions or None,
                max_selected_items=MAX_QUESTIONS,
            ),
        ),
        InputBlock(
            block_id=THRESHOLD,
            label="Anonymity threshold (answers needed before scores are shown)",
            hint="At least 3. Below it, managers see participation only.",
            element=NumberInputElement(
                action_id=THRESHOLD,
                is_decimal_allowed=False,
                initial_value=str(defaults.threshold),
                min_value="3",
                max_value="50",
            ),
        ),
        ContextBlock(
            block_id=AUDIENCE,
            elements=[
                MarkdownTextObject(
                    text=audience_note(
                        defaults.channel_members,
                        defaults.asked,
                        defaults.threshold,
                        defaults.managers_answer,
                    )
                )
            ],
        ),
        InputBlock(
            block_id=MANAGERS_ANSWER,
            label="Managers and their own team's pulse",
            hint="Off by default: managers are not asked about the team they manage, and do not "
            "count toward its threshold. With them asked, consider a higher threshold.",
            optional=True,
            element=CheckboxesElement(
                action_id=MANAGERS_ANSWER,
                options=[managers_option],
                initial_options=[managers_option] if defaults.managers_answer else None,
            ),
        ),
        InputBlock(
            block_id=ADMINS,
            label="Who else sees the summaries",
            optional=True,
            element=CheckboxesElement(
                action_id=ADMINS,
                options=[admins_option],
                initial_options=[admins_option] if defaults.admins_may_view else None,
            ),
        ),
    ]
    return View(
        type="modal",
        callback_id=SETUP_VIEW,
        # The count travels with the form, so the confirmation can repeat its warning
        # without reading the whole channel from Slack a second time.
        private_metadata=json.dumps(
            {"channel_id": defaults.channel_id}
            if defaults.asked is None
            else {"channel_id": defaults.channel_id, "asked": defaults.asked}
        ),
        title="Pulse check-in",
        submit="Save",
        close="Cancel",
        blocks=blocks,
    ).to_dict()


@dataclass(frozen=True)
class TeamStatus:
    name: str
    channel_id: str
    managers: list[str]
    status: str
    schedule: str
    next_opening: datetime | None
    open_round: tuple[datetime, int, int] | None  # closes_at, answered, asked
    question_count: str
    threshold: int
    opted_out: bool
    # The person asking manages the team, which does not ask its managers.
    manager_not_asked: bool = False


# Paused and off both stop new rounds; they differ in what happens to a round already open.
STATUS_NOTES = {
    "paused": " (a break: no new rounds until `/lvm pulse resume`)",
    "off": " (stopped: no rounds until `/lvm pulse resume`)",
}


def team_status_message(status: TeamStatus) -> Message:
    managers = ", ".join(f"<@{m}>" for m in status.managers)
    lines = [
        f"*Schedule:* {status.schedule}",
        f"*Status:* {status.status}{STATUS_NOTES.get(status.status, '')}",
        f"*Managers:* {managers}",
        f"*Questions:* {status.question_count}",
        f"*Anonymity threshold:* {status.threshold} answers",
    ]
    if status.open_round:
        closes_at, answered, asked = status.open_round
        lines.append(
            f"*Open round:* {answered} of {asked} answered, closes {slack_date(closes_at)}"
        )
    if status.next_opening:
        lines.append(f"*Next round:* {slack_date(status.next_opening)}")
    if status.manager_not_asked:
        you = "As one of its managers, you are not asked this team's questions (`/lvm privacy`)."
    elif status.opted_out:
        you = "You have opted out of this team's pulse (`/lvm pulse optin` to rejoin)."
    else:
        you = "You are in this team's pulse (`/lvm pulse optout` to stop getting it)."
    blocks: list[Block] = [
        HeaderBlock(text=f"Pulse: {status.name}"[:150]),
        SectionBlock(text=MarkdownTextObject(text="\n".join(lines))),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=f"{you} Managers: `/lvm pulse setup` to edit, `start` or `close` a "
                    "round, `pause` for a break (an open round runs on), `off` to stop (an open "
                    "round closes), `resume`."
                )
            ]
        ),
    ]
    # The fallback text is mrkdwn too (notifications, screen readers).
    return message_of(f"Pulse for {escape(status.name)}: {status.schedule}", blocks)


def round_schedule_note(
    gives_way_to: datetime | None, stands_in_for: datetime | None
) -> str | None:
    """What a round started by hand does to the schedule, if anything."""
    if gives_way_to is not None:
        return (
            f"It closes sooner than usual, {slack_date(gives_way_to)}, so that next week's "
            "scheduled round still opens then, as planned."
        )
    if stands_in_for is not None:
        return (
            f"It counts as this week's round: the one scheduled for "
            f"{slack_date(stands_in_for)} will not open."
        )
    return None


def team_saved_message(
    name: str,
    schedule: str,
    next_opening: datetime,
    created: bool,
    *,
    asked: int | None = None,
    threshold: int = 5,
) -> Message:
    verb = "is set up" if created else "was updated"
    text = (
        f":white_check_mark: The pulse for *{escape(name)}* {verb}: {schedule}. "
        f"The next round opens {slack_date(next_opening)}."
    )
    if asked is not None:
        text += f" It would ask {asked} {'person' if asked == 1 else 'people'} in this channel."
        warning = threshold_warning(asked, threshold)
        if warning:
            text += f"\n{warning} Change it with `/lvm pulse setup`."
    return message_of(text, [SectionBlock(text=MarkdownTextObject(text=text))])


def admins_announcement(name: str, manager: str, admins_may_view: bool) -> Message:
    """Said in the team's channel whenever a manager changes who besides them sees results."""
    if admins_may_view:
        text = (
            f":eyes: <@{manager}> let workspace admins and owners see the pulse summaries of "
            f"*{escape(name)}*, from the next round on (rounds already answered stay with the "
            "managers): the same averages and unnamed comments, never who said what "
            "(`/lvm privacy`)."
        )
    else:
        text = (
            f":lock: <@{manager}> made the pulse summaries of *{escape(name)}* visible to its "
            "managers only again: workspace admins no longer see them."
        )
    return message_of(text, [SectionBlock(text=MarkdownTextObject(text=text))])


def admins_setting_now(name: str, admins_may_view: bool) -> Message:
    """Said when two changes crossed: what the setting is now, whoever set it last."""
    who = (
        "its managers and to workspace admins and owners"
        if admins_may_view
        else "its managers only, not to workspace admins"
    )
    text = (
        f":arrows_counterclockwise: Settled: the pulse summaries of *{escape(name)}* are now "
        f"visible to {who} (two changes were made at once; this is the one that stands)."
    )
    return message_of(text, [SectionBlock(text=MarkdownTextObject(text=text))])


def team_announcement(
    name: str,
    schedule: str,
    manager: str,
    threshold: int,
    admins_may_view: bool = False,
    managers_answer: bool = False,
) -> Message:
    viewers = _viewers(admins_may_view).capitalize()
    who = (
        "Everyone here, managers included, gets"
        if managers_answer
        else "Everyone here except the team's managers gets"
    )
    text = (
        f":wave: <@{manager}> set up a weekly pulse for *{escape(name)}*: {schedule}. {who} "
        f"a few one-click questions by DM. {viewers} see only averages, once at least "
        f"{threshold} people answered; nobody sees who said what (`/lvm privacy`). "
        "Rather not take part? `/lvm pulse optout`."
    )
    return message_of(text, [SectionBlock(text=MarkdownTextObject(text=text))])
