"""Every point of the scale labeled, and "Didn't come up" for conditional statements
(issue 15, item 2), through the real request path: people click in their pulse DMs.

"Didn't come up" is an answer without a score: it counts in participation and in no average,
and never helps a statement over the anonymity threshold.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.pulse.aggregates import question_totals_of
from bot.pulse.blocks import ANSWER_PREFIX, NOT_APPLICABLE, SCORE_LABELS, answer_value
from bot.pulse.store import PulseRound
from bot.pulse.teams import find_team
from bot.pulse.totals_store import PulseQuestionTotal
from bot.summary.build import build_summary
from slack_standin.response_url import issue_response_url
from tests.support.harness import ALICE, BOB, CAROL, DAN, ERIN, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import answer, pulse_dms, set_up_team, tick

OPENING = datetime(2026, 11, 23, 10, 0, 30, tzinfo=UTC)  # Monday 10:00 London (GMT)
CLOSING = OPENING + timedelta(days=3, minutes=1)
NA = NOT_APPLICABLE
DIRECTION = "direction-lead-explains-why"  # not conditional
CHANGE = "change-lead-explains-change"  # conditional
PLANNING = "planning-lead-removes-blockers"  # conditional
QUESTIONS = [DIRECTION, CHANGE, PLANNING]


def start_round(harness, bank) -> None:
    assert [bank.question_by_id[q].conditional for q in QUESTIONS] == [False, True, True]
    harness.services.now.set(OPENING - timedelta(days=3))
    set_up_team(harness, ALICE, questions={"questions": QUESTIONS})  # threshold 3
    tick(harness, OPENING)
    harness.services.now.set(OPENING + timedelta(hours=1))


def buttons(message: dict, question_id: str) -> list[dict[str, Any]]:
    return next(
        block["elements"]
        for block in message["blocks"]
        if block["type"] == "actions" and block.get("block_id") == f"pulse.q.{question_id}"
    )


def statement_line(message: dict, question_id: str, bank) -> str:
    text = bank.question_by_id[question_id].text
    return next(line for line in text_of(message).splitlines() if text in line)


def latest_dm(harness, user: str) -> dict:
    return pulse_dms(harness, user)[-1]


def wait_until_said(harness, user: str, question_id: str, words: str, bank) -> dict:
    return harness.workspace.wait_for(
        lambda: (
            (dm := latest_dm(harness, user))
            and f"you said: {words}_" in statement_line(dm, question_id, bank)
            and dm
        ),
        what=f"{user}'s DM to say they said {words!r}",
    )


def highlighted(message: dict, question_id: str) -> list[str]:
    return [b["text"]["text"] for b in buttons(message, question_id) if b.get("style")]


def test_conditional_statements_offer_didnt_come_up_and_every_point_is_labeled(harness, bank):
    start_round(harness, bank)
    dm = latest_dm(harness, BOB)
    scale = ["1 · Strongly disagree", "2 · Disagree", "3 · Neither", "4 · Agree"]
    scale.append("5 · Strongly agree")
    assert list(SCORE_LABELS.values()) == scale
    for question in QUESTIONS:
        labels = [b["text"]["text"] for b in buttons(dm, question)]
        extra = ["Didn't come up"] if bank.question_by_id[question].conditional else []
        assert labels == scale + extra, question
        assert highlighted(dm, question) == []
    assert "Didn't come up" in text_of(dm)  # the footer says what it is for

    # One click records it; the DM shows it, highlighted, and counts it as answered.
    answer(harness, BOB, dm, CHANGE, NA)
    dm = wait_until_said(harness, BOB, CHANGE, "didn't come up", bank)
    assert highlighted(dm, CHANGE) == ["Didn't come up"]
    assert "Recorded 1 of 3" in text_of(dm)

    # It can be changed to a score and back until the round closes.
    answer(harness, BOB, dm, CHANGE, 4)
    dm = wait_until_said(harness, BOB, CHANGE, "Agree", bank)
    assert highlighted(dm, CHANGE) == ["4 · Agree"]
    answer(harness, BOB, dm, CHANGE, NA)
    dm = wait_until_said(harness, BOB, CHANGE, "didn't come up", bank)
    assert highlighted(dm, CHANGE) == ["Didn't come up"]
    assert "Recorded 1 of 3" in text_of(dm)
    assert "you said" not in statement_line(latest_dm(harness, CAROL), CHANGE, bank)


def forged_click(harness, user: str, message: dict, action_id: str, value: str) -> Any:
    """A click on a button the DM does not have, with the DM's own response_url."""
    slack, ws = harness.slack, harness.workspace
    payload: dict[str, Any] = {"type": "block_actions", **slack._common(user)}
    payload["container"] = {
        "type": "message",
        "message_ts": message["ts"],
        "channel_id": message["channel"],
    }
    payload["channel"] = {"id": message["channel"], "name": "directmessage"}
    payload["message"] = {k: v for k, v in message.items() if k in ("ts", "text", "blocks")}
    payload["response_url"] = issue_response_url(
        ws, slack.server.base_url, "actions", user_id=user, channel_id=message["channel"]
    )
    payload["actions"] = [
        {
            "type": "button",
            "action_id": action_id,
            "block_id": f"pulse.q.{DIRECTION}",
            "value": value,
            "action_ts": "1.000002",
        }
    ]
    return slack._send_interaction(payload)


def recorded(harness) -> list[tuple]:
    with harness.services.database.transaction() as session:
        round_id = session.scalar(select(PulseRound.id))
        return [
            (t.question_id, t.score_sum, t.answers, t.favorable, t.not_applicable)
            for t in question_totals_of(session, [round_id])
        ]


def test_a_forged_didnt_come_up_on_a_statement_without_it_is_refused(harness, bank):
    start_round(harness, bank)
    dm = latest_dm(harness, BOB)
    answer(harness, BOB, dm, DIRECTION, 4)
    dm = wait_until_said(harness, BOB, DIRECTION, "Agree", bank)
    before = recorded(harness)
    assert before == [(DIRECTION, 4, 1, 1, 0)]
    round_id = int(buttons(dm, DIRECTION)[0]["value"].split(":")[0])

    response = forged_click(
        harness,
        BOB,
        dm,
        f"{ANSWER_PREFIX}{DIRECTION}:{NA}",
        answer_value(round_id, DIRECTION, None),
    )
    assert response.status == 200
    refusal = text_of(harness.wait_for_text(BOB, "nothing was recorded"))
    assert "“Didn't come up” is offered only for statements" in refusal
    assert "pick a score from 1 to 5" in refusal
    # A value that is neither a score nor "didn't come up" is refused as well.
    forged_click(harness, BOB, dm, f"{ANSWER_PREFIX}{DIRECTION}:x", f"{round_id}:{DIRECTION}:x")
    harness.wait_for_text(BOB, "That button didn't carry a valid answer")
    harness.wait_until_idle()
    assert recorded(harness) == before
    assert "you said: Agree_" in statement_line(latest_dm(harness, BOB), DIRECTION, bank)


# Who answers what ("na": didn't come up). Carol and Bob change their minds before the close;
# Erin only ever says "didn't come up", and still counts as taking part.
FIRST_CLICKS = {CAROL: {CHANGE: 1}, BOB: {PLANNING: NA}}
FINAL = {
    BOB: {DIRECTION: 5, CHANGE: 4, PLANNING: 3},
    CAROL: {DIRECTION: 4, CHANGE: NA, PLANNING: 4},
    DAN: {DIRECTION: 2, CHANGE: 2, PLANNING: 5},
    ERIN: {CHANGE: NA, PLANNING: NA},
}


def by_hand(question: str) -> tuple:
    given = [scores[question] for scores in FINAL.values() if question in scores]
    scored = [s for s in given if s != NA]
    favorable = len([s for s in scored if s >= 4])
    return (question, sum(scored), len(scored), favorable, len(given) - len(scored))


def test_didnt_come_up_counts_in_participation_and_in_no_average(harness, bank):
    start_round(harness, bank)
    for clicks in (FIRST_CLICKS, FINAL):
        for user, chosen in clicks.items():
            for question, score in chosen.items():
                answer(harness, user, latest_dm(harness, user), question, score)
    for user, chosen in FINAL.items():
        harness.wait_for_text(user, f"Recorded {len(chosen)} of 3")
    tick(harness, CLOSING)
    harness.wait_for_text(ALICE, "closed:")  # the digest, planned as the round closed

    expected = sorted(by_hand(q) for q in QUESTIONS)
    # Worked out: direction 5+4+2 = 11 by 3 (5 and 4 favorable); change 4+2 = 6 by only 2
    # scores, two said it didn't come up; planning 3+4+5 = 12 by 3, one didn't come up.
    assert expected == [
        (CHANGE, 6, 2, 1, 2),
        (DIRECTION, 11, 3, 2, 0),
        (PLANNING, 12, 3, 2, 1),
    ]
    with harness.services.database.transaction() as session:
        stored = session.execute(
            select(
                PulseQuestionTotal.question_id,
                PulseQuestionTotal.score_sum,
                PulseQuestionTotal.answers,
                PulseQuestionTotal.favorable,
                PulseQuestionTotal.not_applicable,
            ).order_by(PulseQuestionTotal.question_id)
        ).all()
        pulse_round = session.scalars(select(PulseRound)).one()
        assert [tuple(row) for row in stored] == expected
        assert (pulse_round.respondents, pulse_round.answered, pulse_round.asked) == (4, 4, 4)

        team = find_team(session, harness.workspace.team_id, TEAM_CHANNEL)
        assert team is not None
        summary = build_summary(
            session, bank, team, weeks=4, now=CLOSING + timedelta(hours=1), rng=random.Random(1)
        )
    (view,) = summary.rounds
    assert view.shown and (view.answered, view.asked) == (4, 4)
    shown = {d: (s.average, s.answers) for d, s in view.scores.items()}
    # Change had 4 answers but only 2 scores: below the threshold of 3, so not shown.
    assert shown == {"direction": (3.7, 3), "planning": (4.0, 3)}
    assert view.hidden_dimensions == ("change",)

    harness.services.now.set(CLOSING + timedelta(hours=1))
    harness.slack.command(ALICE, "summary weeks:4", channel_id=TEAM_CHANNEL)
    text = text_of(harness.wait_for_text(ALICE, "Pulse summary"))
    assert "Vision and the why* 3.7" in text and "Clearing the way* 4.0" in text
    assert "Leading change* " not in text
