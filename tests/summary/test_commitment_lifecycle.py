"""A commitment's whole life through the real request path: "I'll try this" with a length,
the focus held on its area, the midpoint and due-date check-ins answered with a reflection,
the team's one-off statement in its next round, the before/after read, and a history only
its manager can read.

The team (threshold 3) pins four statements; all five members answer (the managers too).
Goals starts lowest (2 everywhere), so it is the focus Alice commits to; from week 3
workload falls to 1 while goals rises to 3, then 4.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot import clock as scheduler
from bot.summary.commitment_blocks import REFLECTION_INPUT
from bot.summary.store import CommitmentCheckIn, PulseCommitment
from slack_standin.response_url import issue_response_url
from tests.support.harness import ALICE, BOB, CAROL, DAN, ERIN, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import (
    MANAGERS_ANSWER,
    answer,
    pinned_questions,
    pulse_dms,
    question_ids,
    set_up_team,
    tick,
)

EVERYONE = [ALICE, BOB, CAROL, DAN, ERIN]
FIRST_MONDAY = datetime(2026, 9, 7, 9, 0, 30, tzinfo=UTC)  # 10:00 in London (BST)
COMMITTED = FIRST_MONDAY + timedelta(weeks=2, days=4)  # Friday of week 2, after its close
REFLECTION = "Wrote the top three on the board each Monday; kept it up two weeks of three."
FOLLOWUP = "followup-goals"


def opens(week: int) -> datetime:
    return FIRST_MONDAY + timedelta(weeks=week)


def scores_of(week: int, bank) -> dict[str, int]:
    goals, workload = bank.anchor_of("goals").id, bank.anchor_of("workload").id
    scores = {question: 4 for question in pinned_questions(bank)}
    scores[goals] = 2 if week < 3 else 3 if week < 5 else 4
    if week >= 3:
        scores[workload] = 1
    return scores


def run_week(harness, bank, week: int, followup_answers: dict[str, int] | None = None) -> list[str]:
    """Open the week's round, everyone answers (and the follow-up, if asked), close it;
    returns the statements the round asked."""
    tick(harness, opens(week))
    asked = question_ids(pulse_dms(harness, BOB)[-1])
    for user in EVERYONE:
        for question, score in scores_of(week, bank).items():
            assert (
                answer(harness, user, pulse_dms(harness, user)[-1], question, score).status == 200
            )
        if user in (followup_answers or {}):
            dm = pulse_dms(harness, user)[-1]
            assert answer(harness, user, dm, FOLLOWUP, followup_answers[user]).status == 200
    tick(harness, opens(week) + timedelta(days=3, minutes=1))
    return asked


def fresh(harness, user: str, needle: str, before: int) -> dict:
    """The first message with `needle` this person sees beyond the `before` they had."""
    return harness.workspace.wait_for(
        lambda: next(
            (m for m in harness.workspace.messages_for(user)[before:] if needle in text_of(m)),
            None,
        ),
        what=f"{user} to see {needle!r}",
    )


def summary_for(harness, user: str) -> dict:
    before = len(harness.workspace.messages_for(user))
    harness.slack.command(user, "summary", channel_id=TEAM_CHANNEL)
    harness.wait_until_idle()
    return fresh(harness, user, "Participation", before)


def click_as(harness, user: str, message: dict, action_id: str):
    """`user` presses a button of a message they cannot see (someone else's), as a forged
    request would: the button's own value, from the person's own DM with the bot."""
    slack, ws = harness.slack, harness.workspace
    element = next(
        element
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == action_id
    )
    channel = ws.dm_channel_id(user)
    payload = {"type": "block_actions", **slack._common(user)}
    payload["container"] = {"type": "message", "message_ts": "1.000001", "channel_id": channel}
    payload["channel"] = {"id": channel, "name": "directmessage"}
    payload["response_url"] = issue_response_url(
        ws, slack.server.base_url, "actions", user_id=user, channel_id=channel
    )
    payload["actions"] = [
        {
            "type": "button",
            "action_id": action_id,
            "block_id": "b",
            "value": element["value"],
            "action_ts": "1.000002",
        }
    ]
    return slack._send_interaction(payload)


def checkin_dms(harness, user: str, needle: str) -> list[dict]:
    return [m for m in harness.workspace.dm_messages(user) if needle in text_of(m)]


def checkins(harness) -> dict[str, CommitmentCheckIn]:
    with harness.services.database.reading() as session:
        return {row.stage: row for row in session.scalars(select(CommitmentCheckIn))}


def the_commitment(harness) -> PulseCommitment:
    with harness.services.database.reading() as session:
        (commitment,) = session.scalars(select(PulseCommitment))
        return commitment


@pytest.mark.parametrize("followup_answers", [3, 2], ids=["shown", "hidden"])
def test_a_commitment_from_the_summary_to_the_after_read(harness, bank, followup_answers):
    harness.services.now.set(FIRST_MONDAY - timedelta(days=3))
    set_up_team(
        harness,
        ALICE,
        questions={"questions": pinned_questions(bank)},
        managers={"managers": [ALICE, DAN]},
        admins={"admins": ["admins_may_view"]},
        **MANAGERS_ANSWER,
    )
    for week in range(3):
        run_week(harness, bank, week)

    # "I'll try this" under the focus: three weeks unless Alice picks another length.
    harness.services.now.set(COMMITTED)
    summary = summary_for(harness, ALICE)
    assert "Focus: Goals and priorities" in text_of(summary)
    before = len(harness.workspace.messages_for(ALICE))
    harness.slack.click(ALICE, summary, "summary.commit")
    confirmation = fresh(harness, ALICE, "Noted: you'll try", before)
    assert "for 3 weeks" in text_of(confirmation)
    assert the_commitment(harness).due_at == COMMITTED + timedelta(weeks=3)
    harness.slack.click(ALICE, confirmation, "commitment.length.2")
    harness.wait_for_text(ALICE, "for 2 weeks")
    commitment = the_commitment(harness)
    assert (commitment.weeks, commitment.due_at) == (2, COMMITTED + timedelta(weeks=2))
    assert commitment.midpoint_at == COMMITTED + timedelta(weeks=1)
    # Dan manages the team too, but cannot change Alice's commitment.
    click_as(harness, DAN, confirmation, "commitment.length.4")
    harness.wait_for_text(DAN, "isn't one of yours")
    assert the_commitment(harness).weeks == 2

    # Week 3: workload falls far below goals, yet goals stays the focus while it runs.
    run_week(harness, bank, 3)
    harness.services.now.set(opens(3) + timedelta(days=3, hours=1))
    held = text_of(summary_for(harness, ALICE))
    assert "Focus: Goals and priorities" in held
    assert "Held while your commitment on it runs" in held

    # The midpoint check-in, planned by two clocks at once and a third tick: sent once.
    midpoint = COMMITTED + timedelta(weeks=1, seconds=30)
    harness.services.now.set(midpoint)
    for worker in ("clock-a", "clock-b"):
        scheduler.tick(
            harness.services, midpoint, sender=scheduler.build_sender(harness.services, worker)
        )
    tick(harness, midpoint + timedelta(minutes=1))
    harness.wait_until_idle()
    (halfway,) = checkin_dms(harness, ALICE, "Halfway through your commitment")
    assert halfway["channel"] == harness.workspace.dm_channel_id(ALICE)
    assert not checkin_dms(harness, DAN, "Halfway through")
    harness.slack.click(ALICE, halfway, "commitment.checkin.partly")
    harness.wait_for_text(ALICE, "You said: *Partly*")
    harness.slack.click(ALICE, halfway, "commitment.checkin.done")  # a second click changes it
    harness.wait_for_text(ALICE, "You said: *Done*")
    assert checkins(harness)["midpoint"].answer == "done"

    # The due-date check-in, answered with a one-line reflection.
    run_week(harness, bank, 4)
    due = COMMITTED + timedelta(weeks=2, seconds=30)
    tick(harness, due)
    tick(harness, due + timedelta(minutes=1))
    harness.wait_until_idle()
    (at_due,) = checkin_dms(harness, ALICE, "is due today")
    assert "Lately, my lead has been clearer about which of our work comes first." in text_of(
        at_due
    )
    harness.slack.click(ALICE, at_due, "commitment.checkin.partly")
    harness.wait_for_text(ALICE, "You said: *Partly*")
    harness.slack.click(ALICE, at_due, "commitment.reflect")
    modal = harness.workspace.wait_for(
        lambda: harness.workspace.top_view(ALICE), what="the reflection form"
    )
    response = harness.slack.submit_view(
        ALICE, modal, {REFLECTION_INPUT: {REFLECTION_INPUT: REFLECTION}}
    )
    assert response.status == 200 and not (response.json or {}).get("errors")
    harness.wait_for_text(ALICE, REFLECTION)
    assert (checkins(harness)["due"].answer, checkins(harness)["due"].reflection) == (
        "partly",
        REFLECTION,
    )
    # Dan cannot answer Alice's check-in for her.
    click_as(harness, DAN, at_due, "commitment.checkin.not_yet")
    harness.wait_for_text(DAN, "isn't one of yours")
    assert checkins(harness)["due"].answer == "partly"

    # The round after the due date asks the team the one-off statement, once.
    answering = dict(zip([BOB, CAROL, ERIN][:followup_answers], [4, 4, 5], strict=False))
    asked = run_week(harness, bank, 5, followup_answers=answering)
    assert asked == [*pinned_questions(bank), FOLLOWUP]
    assert the_commitment(harness).followup_question_id == FOLLOWUP
    assert run_week(harness, bank, 6) == pinned_questions(bank)

    # The read: goals 2.0 over weeks 0-2 (15 answers) against the last three since, weeks
    # 4-6: (15 + 20 + 20) / 15 = 3.67 -> 3.7; the band is 1.96 * sqrt(2/15) = 0.7, so a rise
    # of 1.7 is real.
    harness.services.now.set(opens(6) + timedelta(days=3, hours=1))
    after = text_of(summary_for(harness, ALICE))
    assert (
        "2.0 → 3.7 (over 3 rounds before and 3 rounds since), a real rise: beyond the normal "
        "variation of ±0.7 for a team of 5." in after
    )
    asked = "“Lately, my lead has been clearer about which of our work comes first.”"
    if followup_answers >= 3:  # (4 + 4 + 5) / 3
        assert f"The team on {asked}: 4.3 (3 answers)." in after
    else:
        assert f"The team was asked {asked}; fewer than 3 answered it" in after
        assert "(2 answers)" not in after
    # Due, so the focus is free again: workload is far lowest now.
    assert "Focus: Sustainable workload" in after

    # The history is Alice's alone: her Home tab, not Dan's, an admin's or the CSV.
    home = text_of(harness.open_home(ALICE))
    assert "Your commitments" in home and "Halfway: Done" in home
    assert f"Due date: Partly · “{REFLECTION}”" in home
    for text in (after, text_of(harness.open_home(DAN)), text_of(summary_for(harness, DAN))):
        assert REFLECTION not in text and "Halfway: Done" not in text
    assert "Your commitments" not in text_of(harness.open_home(DAN))
    admin = "U0ADMIN"
    harness.workspace.add_user(admin, "admin", is_admin=True)
    as_admin = text_of(summary_for(harness, admin))
    assert "Focus:" in as_admin and REFLECTION not in as_admin
    assert "Your commitments" not in text_of(harness.open_home(admin))
    files = len(harness.workspace.files)
    harness.slack.command(ALICE, "summary export", channel_id=TEAM_CHANNEL)
    harness.workspace.wait_for(lambda: len(harness.workspace.files) > files, what="the CSV")
    exported = harness.workspace.files[-1].content.decode()
    assert list(csv.DictReader(io.StringIO(exported)))
    for private in (REFLECTION, "Partly", "Halfway"):
        assert private not in exported
