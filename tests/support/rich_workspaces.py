"""Two workspaces holding everything lvm keeps, built the way people and the clock build it.

Each workspace (installed by OAuth, with the same user and channel IDs as the other) gets a
pulse team managed by Alice and Dan, a closed round answered by Bob, Carol and Erin with two
comments, its digests and summary, a chosen focus and a two-week commitment, nudges (the
team's, on its focus, and Bob's own), Erin's opt-out, Alice's self-assessment with a growth
plan she shares with Bob, Bob's `/lvm situation`, a conversation on Carol's comment; then a
week of the clock (the next round with its reminder and digests, the nudges, the check-ins
of the commitment and of the plan's step, answered with reflections) and an open round.

The two differ wherever a person chooses: the team's name and every word a person writes
carry the workspace's marker word, and its nudges' times, its answers and its lead's balance
differ, so what one workspace's people are shown can be searched for the other's tell-tales.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.assess.blocks import ADD_STEP
from bot.assess.plan_blocks import CHECKIN_PREFIX as STEP_CHECKIN
from bot.assess.plan_blocks import REFLECT as STEP_REFLECT
from bot.assess.plan_blocks import SHARE, SHARE_NOTE, SHARE_VIEW, SHARE_WITH
from bot.platform.checkin_form import REFLECTION_INPUT
from bot.pulse.blocks import NAME
from bot.situation.blocks import FACTORS
from bot.summary.blocks import CHOOSE_FOCUS, COMMIT
from bot.summary.commitment_blocks import CHECKIN_PREFIX as COMMITMENT_CHECKIN
from bot.summary.commitment_blocks import LENGTH_PREFIX
from bot.summary.commitment_blocks import REFLECT as COMMITMENT_REFLECT
from bot.threads.blocks import AUTHOR_ANSWER, AUTHOR_MUTE, AUTHOR_UNMUTE
from bot.tips.blocks import HELPFUL
from slack_standin import ApiCall, Workspace
from slack_standin.blocks import iter_elements
from tests.support.assess_steps import answers_by_pole, result_messages, take
from tests.support.harness import ALICE, BOB, CAROL, DAN, ERIN, TEAM_CHANNEL, Harness, text_of
from tests.support.installs import Two
from tests.support.pulse_steps import answer, pulse_dms, question_ids, set_up_team, tick
from tests.support.thread_steps import (
    answer_all,
    author_dms,
    choose,
    comment,
    digest,
    top_view,
    write,
)

MANAGERS = [ALICE, DAN]
OPENED = datetime(2026, 11, 23, 10, 0, 30, tzinfo=UTC)  # Monday 10:00 London
CLOSED = datetime(2026, 11, 26, 10, 0, 30, tzinfo=UTC)
WEEK_LATER = datetime(2026, 12, 3, 17, 0, 30, tzinfo=UTC)  # after the check-ins' moments
NEXT_OPENING = datetime(2026, 12, 7, 10, 0, 30, tzinfo=UTC)
TICK_EVERY = timedelta(hours=2)  # within the clock's grace (3 hours): nothing due is skipped


@dataclass(frozen=True)
class Profile:
    """What one workspace's people chose, each different from the other's."""

    marker: str  # in the team's name and every word its people write
    team_nudge: str  # the team's focus nudge
    own_nudge: str  # Bob's own nudge
    nudge_times: tuple[str, str]  # the two nudges' times, as lvm shows them
    first_score: int  # Bob, Carol and Erin answer this, one more and two more
    lean: str  # Alice's balance in her self-assessment
    leading: int  # her answers on each side
    managing: int

    @property
    def team_name(self) -> str:
        return f"Platform {self.marker}"

    @property
    def tell_tales(self) -> tuple[str, ...]:
        """What only this workspace's people may be shown, of what they wrote and set."""
        return (self.marker, *self.nudge_times)


PROFILES = {
    "T0ACME": Profile(
        marker="aardvark",
        team_nudge="nudge weekly tue 09:10 focus",
        own_nudge="nudge daily 08:20 delegation",
        nudge_times=("09:10", "08:20"),
        first_score=2,
        lean="leaning leader",
        leading=4,
        managing=2,
    ),
    "T0BETA": Profile(
        marker="zeppelin",
        team_nudge="nudge weekly wed 11:15 focus",
        own_nudge="nudge weekly fri 07:45 coaching",
        nudge_times=("11:15", "07:45"),
        first_score=3,
        lean="leaning manager",
        leading=2,
        managing=4,
    ),
}


def profile(harness: Harness) -> Profile:
    return PROFILES[harness.workspace.team_id]


def marker(harness: Harness) -> str:
    return profile(harness).marker


@dataclass(frozen=True)
class Built:
    """The two workspaces; where the clock's week is in each one's record of calls; and
    everything each one's people were shown while it was built."""

    two: Two
    week: dict[str, slice]  # team id -> the Web API calls the week made there
    shown: dict[str, list[str]]  # team id -> each call, message and file, as text

    @property
    def both(self) -> tuple[Harness, Harness]:
        return (self.two.acme, self.two.beta)

    def calls_of_the_week(self, harness: Harness) -> list[ApiCall]:
        return harness.workspace.calls[self.week[harness.workspace.team_id]]


def in_both(two: Two, step: Callable[[Harness], object]) -> None:
    for harness in (two.acme, two.beta):
        step(harness)
        harness.wait_until_idle()


def typed(harness: Harness, user: str, words: str, channel: str = TEAM_CHANNEL) -> None:
    response = harness.slack.command(user, words, channel_id=channel)
    assert response.status == 200, response.body
    harness.wait_until_idle()


def fresh_message(harness: Harness, user: str, needle: str, seen: int) -> dict:
    """The first message holding `needle` this person sees beyond the `seen` they had."""
    return harness.workspace.wait_for(
        lambda: next(
            (m for m in harness.workspace.messages_for(user)[seen:] if needle in text_of(m)),
            None,
        ),
        what=f"{user} to see {needle!r}",
    )


def action_ids(message: dict, prefix: str) -> list[str]:
    return [
        str(element["action_id"])
        for _, element in iter_elements(message.get("blocks") or [])
        if str(element.get("action_id", "")).startswith(prefix)
    ]


def set_up(harness: Harness) -> None:
    """Alice sets up the team's pulse, named after the workspace, with Dan as manager."""
    named = {NAME: {NAME: profile(harness).team_name}}
    set_up_team(harness, ALICE, managers={"managers": MANAGERS}, **named)


def first_round(harness: Harness) -> None:
    """Bob, Carol and Erin answer every statement; Carol and Bob comment."""
    for score, user in enumerate([BOB, CAROL, ERIN], start=profile(harness).first_score):
        answer_all(harness, user, score)
    comment(harness, CAROL, f"The release plan keeps changing, {marker(harness)}.")
    comment(harness, BOB, f"More focus time, please, {marker(harness)}.")


def nudges(harness: Harness) -> None:
    typed(harness, ALICE, profile(harness).team_nudge)
    typed(harness, BOB, profile(harness).own_nudge, harness.workspace.dm_channel_id(BOB))


def focus_and_commitment(harness: Harness) -> None:
    """Alice reads the summary, picks its first candidate as the focus, tries its practice
    for two weeks; she also asks for the CSV."""
    seen = len(harness.workspace.messages_for(ALICE))
    typed(harness, ALICE, "summary")
    summary = fresh_message(harness, ALICE, "Pulse summary for", seen)
    candidates = action_ids(summary, CHOOSE_FOCUS)
    assert candidates, text_of(summary)
    assert harness.slack.click(ALICE, summary, candidates[0]).status == 200
    harness.wait_for_text(ALICE, "is now the focus")
    seen = len(harness.workspace.messages_for(ALICE))
    assert harness.slack.click(ALICE, summary, COMMIT).status == 200
    confirmation = fresh_message(harness, ALICE, "weeks", seen)
    [two_weeks] = [a for a in action_ids(confirmation, LENGTH_PREFIX) if a.endswith("2")]
    assert harness.slack.click(ALICE, confirmation, two_weeks).status == 200
    typed(harness, ALICE, "summary export")


def conversation(harness: Harness) -> None:
    """Dan answers Carol's comment from his digest; Carol answers back, mutes the
    conversation and unmutes it."""
    words = f"The release plan keeps changing, {marker(harness)}."
    choose(harness, DAN, digest(harness, DAN), words, "reply")
    form = top_view(harness, DAN, "the reply form")
    assert write(harness, DAN, form, f"Thanks, let's fix it, {marker(harness)}.").ok
    harness.wait_until_idle()
    harness.workspace.wait_for(lambda: author_dms(harness), what="the reply to reach Carol")
    harness.slack.click(CAROL, author_dms(harness)[-1], AUTHOR_ANSWER)
    form = top_view(harness, CAROL, "the answer form")
    assert write(harness, CAROL, form, f"A fixed day would help, {marker(harness)}.").ok
    harness.slack.click(CAROL, author_dms(harness)[-1], AUTHOR_MUTE)
    harness.slack.click(CAROL, harness.wait_for_text(CAROL, "Muted:"), AUTHOR_UNMUTE)
    harness.wait_for_text(CAROL, "Unmuted:")


def assessment_and_plan(harness: Harness) -> None:
    """Alice takes the self-assessment, adds its first week to her plan and shares the plan
    with Bob from her Home tab."""
    bank = harness.services.bank
    assert bank.assessment is not None
    chosen = profile(harness)
    answers = answers_by_pole(bank.assessment, leading=chosen.leading, managing=chosen.managing)
    take(harness, ALICE, answers)
    result = result_messages(harness, ALICE)[-1]
    step = next(
        element
        for _, element in iter_elements(result["blocks"])
        if element.get("action_id") == ADD_STEP
    )
    assert harness.slack.click(ALICE, result, ADD_STEP, value=step["value"]).status == 200
    harness.wait_until_idle()
    home = harness.open_home(ALICE)
    assert harness.slack.click_in_view(ALICE, home, SHARE).status == 200
    form = harness.workspace.wait_for(
        lambda: (v := harness.workspace.top_view(ALICE)) and v["callback_id"] == SHARE_VIEW and v,
        what="the share form",
    )
    values = {
        SHARE_WITH: {SHARE_WITH: BOB},
        SHARE_NOTE: {SHARE_NOTE: f"My plan, {marker(harness)}."},
    }
    assert harness.slack.submit_view(ALICE, form, values).ok
    harness.wait_for_text(BOB, "shared their growth plan with you")


def situation_and_tip(harness: Harness) -> None:
    """Bob describes a reorganization, then asks for a tip and finds it helpful."""
    typed(harness, BOB, "situation reorg")
    form = harness.workspace.wait_for(
        lambda: harness.workspace.top_view(BOB), what="the situation form"
    )
    values = {FACTORS: {FACTORS: ["change"]}}  # the moment came filled in from the words
    assert harness.slack.submit_view(BOB, form, values).ok
    harness.wait_until_idle()
    typed(harness, BOB, "tip delegation")
    assert harness.slack.click(BOB, harness.last_message(BOB), HELPFUL).status == 200


def opt_out(harness: Harness) -> None:
    """Erin opts out of the pulse, and asks to be forgotten (but does not confirm)."""
    typed(harness, ERIN, "pulse optout")
    typed(harness, ERIN, "forget me")


def greeted_and_typed(harness: Harness) -> None:
    """lvm is added to the team's channel; Bob types in his DM with lvm, Carol in the channel."""
    joined = {"type": "member_joined_channel", "channel": TEAM_CHANNEL}
    assert harness.slack.event({**joined, "user": harness.workspace.bot_user_id}).ok
    assert harness.slack.user_message(BOB, "tip feedback").ok
    assert harness.slack.user_message(CAROL, "hello team", channel_id=TEAM_CHANNEL).ok


def checkins(harness: Harness) -> None:
    """Alice answers her commitment's midpoint check-in and her step's, each with a line."""
    for prefix, reflect, needle in [
        (COMMITMENT_CHECKIN, COMMITMENT_REFLECT, "Halfway through"),
        (STEP_CHECKIN, STEP_REFLECT, "of your growth plan ends today"),
    ]:
        [asked] = [
            m
            for m in harness.workspace.dm_messages(ALICE)
            if action_ids(m, prefix) and needle in text_of(m)
        ]
        assert harness.slack.click(ALICE, asked, action_ids(asked, prefix)[0]).status == 200
        harness.wait_until_idle()
        assert harness.slack.click(ALICE, asked, reflect).status == 200
        form = harness.workspace.wait_for(
            lambda: harness.workspace.top_view(ALICE), what="the reflection form"
        )
        line = {REFLECTION_INPUT: {REFLECTION_INPUT: f"Kept at it, {marker(harness)}."}}
        assert harness.slack.submit_view(ALICE, form, line).ok
        harness.wait_until_idle()


def open_round(harness: Harness) -> None:
    """Bob answers one statement of the round now open, and comments on it."""
    dm = pulse_dms(harness, BOB)[-1]
    assert answer(harness, BOB, dm, question_ids(dm)[0], 4).status == 200
    comment(harness, BOB, f"Still busy, {marker(harness)}.")


def a_week_of_the_clock(two: Two, start: datetime, end: datetime) -> None:
    """The clock ticks from `start` to `end` (one clock serves both workspaces)."""
    moment = start
    while moment < end:
        moment += TICK_EVERY
        tick(two.acme, min(moment, end))
    two.acme.wait_until_idle()


def build(two: Two) -> Built:
    two.acme.services.now.set(OPENED - timedelta(hours=1))  # type: ignore[attr-defined]
    in_both(two, greeted_and_typed)
    in_both(two, set_up)
    in_both(two, nudges)
    tick(two.acme, OPENED)  # the clock serves both workspaces
    two.acme.services.now.set(OPENED + timedelta(hours=1))  # type: ignore[attr-defined]
    in_both(two, first_round)
    tick(two.acme, CLOSED)
    two.acme.services.now.set(CLOSED + timedelta(minutes=5))  # type: ignore[attr-defined]
    for step in (focus_and_commitment, conversation, assessment_and_plan, situation_and_tip):
        in_both(two, step)
    in_both(two, opt_out)
    before = {h.workspace.team_id: len(h.workspace.calls) for h in (two.acme, two.beta)}
    a_week_of_the_clock(two, CLOSED + timedelta(minutes=5), WEEK_LATER)
    week = {
        h.workspace.team_id: slice(before[h.workspace.team_id], len(h.workspace.calls))
        for h in (two.acme, two.beta)
    }
    in_both(two, checkins)
    tick(two.acme, NEXT_OPENING)
    two.acme.services.now.set(NEXT_OPENING + timedelta(hours=1))  # type: ignore[attr-defined]
    in_both(two, open_round)
    for harness in (two.acme, two.beta):
        harness.open_home(ALICE)
        harness.open_home(DAN)
    shown = {h.workspace.team_id: everything_shown(h.workspace) for h in (two.acme, two.beta)}
    return Built(two, week, shown)


def everything_shown(workspace: Workspace) -> list[str]:
    """What reached the workspace, each as text: every Web API call (a message, an edit, an
    ephemeral, a form, a Home tab, a post to a response_url), every message shown (a
    command's ack too) and every file uploaded, with its content."""
    return [
        *(f"{call.method}: {json.dumps(call.params)}" for call in workspace.calls),
        *(f"message: {json.dumps(message)}" for message in workspace.all_messages()),
        *(
            f"file: {json.dumps(file.to_dict())} {(file.content or b'').decode('latin-1')}"
            for file in workspace.files
        ),
    ]
