"""What a manager reads after the first rounds, through the real request path (issue 12:
item 10, withheld areas named; item 16, dates instead of week labels; item 20, a first value
compared with nothing, the participation change, and a hidden round said once)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.pulse.blocks import ANSWER_PREFIX
from tests.support.harness import ALICE, BOB, CAROL, DAN, ERIN, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import pinned_questions, pulse_dms, set_up_team, tick

FIRST_OPENING = datetime(2026, 11, 2, 10, 0, 30, tzinfo=UTC)  # Monday 10:00 London (GMT)
WEEK_LABEL = re.compile(r"\bW\d\d\b")


def answer_round(harness, answers: dict[str, dict[str, int]]) -> None:
    for user, scores in answers.items():
        for question, score in scores.items():
            harness.slack.click(
                user, pulse_dms(harness, user)[-1], f"{ANSWER_PREFIX}{question}:{score}"
            )


def day(moment: datetime) -> str:
    return f"<!date^{int(moment.timestamp())}^{{date_short}}|"


def digest_of(harness, opens: datetime) -> str:
    return text_of(
        harness.workspace.wait_for(
            lambda: [m for m in harness.workspace.dm_messages(ALICE) if "closed:" in m["text"]][-1],
            what="the digest",
        )
    )


def wait_for_charts(harness, count: int) -> None:
    """The summaries' charts, uploaded after their messages: the app is quiet afterwards."""
    harness.workspace.wait_for(
        lambda: (
            len([f for f in harness.workspace.files if (f.title or "").endswith("weeks")]) >= count
        ),
        what=f"{count} summary charts",
    )


def test_the_first_rounds_read_in_dates_and_name_what_is_withheld(harness, bank):
    questions = pinned_questions(bank)  # direction, trust, goals, workload: one each
    workload = questions[-1]
    harness.services.now.set(FIRST_OPENING - timedelta(days=3))
    set_up_team(harness, ALICE, questions={"questions": questions})

    # Week 1: all four members answer, but only Bob and Carol answer the workload question.
    tick(harness, FIRST_OPENING)
    answer_round(
        harness,
        {
            user: {q: 4 for q in questions if q != workload or user in (BOB, CAROL)}
            for user in (BOB, CAROL, DAN, ERIN)
        },
    )
    tick(harness, FIRST_OPENING + timedelta(days=3, minutes=1))
    digest = digest_of(harness, FIRST_OPENING)
    assert f"Not shown for the round of {day(FIRST_OPENING)}" in digest
    assert "Sustainable workload. Fewer than 3 people gave its statement a score" in digest

    harness.services.now.set(FIRST_OPENING + timedelta(days=4))
    harness.slack.command(ALICE, "summary", channel_id=TEAM_CHANNEL)
    summary = text_of(harness.wait_for_text(ALICE, "Pulse summary"))
    assert "Sustainable workload. Fewer than 3 people gave its statement a score" in summary
    assert f"100% answered the round of {day(FIRST_OPENING)}" in summary
    # A first value is compared with nothing. Four answers: normal variation 1.96/2 = 1.0.
    assert "*Vision and the why* 4.0 ±1.0 · " in summary
    assert "% favorable · first shown in this span\n" in summary
    assert "vs 12-week average" not in summary
    assert not WEEK_LABEL.search(summary) and "2026-W" not in summary

    # Week 2: three of four answer everything.
    second = FIRST_OPENING + timedelta(weeks=1)
    tick(harness, second)
    answer_round(harness, {user: {q: 3 for q in questions} for user in (BOB, CAROL, DAN)})
    tick(harness, second + timedelta(days=3, minutes=1))
    harness.services.now.set(second + timedelta(days=4))
    harness.slack.command(ALICE, "summary", channel_id=TEAM_CHANNEL)
    summary = text_of(harness.wait_for_text(ALICE, "from the round before"))
    assert "down 25 percentage points from the round before" in summary
    assert "points on the round before" not in summary
    # Over both rounds: (4.0*4 + 3.0*3) / 7 = 3.57, normal variation 1.96/sqrt(7) = 0.74.
    assert "*Vision and the why* 3.6 ±0.7 · " in summary
    assert "over 2 rounds, latest 3.0 · nothing earlier in this span to compare with" in summary
    assert not WEEK_LABEL.search(summary)

    # Two summaries and the first digest (the second digest's chart is due after the last tick).
    wait_for_charts(harness, 3)
    home = text_of(harness.open_home(ALICE))  # published after the ack
    assert f"Round of {day(second)}" in home and not WEEK_LABEL.search(home)


def test_a_hidden_latest_round_is_told_once(harness, bank):
    questions = pinned_questions(bank)
    harness.services.now.set(FIRST_OPENING - timedelta(days=3))
    set_up_team(harness, ALICE, questions={"questions": questions})
    tick(harness, FIRST_OPENING)
    answer_round(harness, {user: {q: 4 for q in questions} for user in (BOB, CAROL)})
    tick(harness, FIRST_OPENING + timedelta(days=3, minutes=1))
    harness.services.now.set(FIRST_OPENING + timedelta(days=4))
    harness.slack.command(ALICE, "summary", channel_id=TEAM_CHANNEL)
    summary = text_of(harness.wait_for_text(ALICE, "Pulse summary"))
    assert f"*Round of {day(FIRST_OPENING)}" in summary
    assert summary.lower().count("not enough answers") == 1
