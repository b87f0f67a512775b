"""The same click twenty times at once is answered twenty times as if it were the only one,
and stored (and announced) once, on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.pulse.blocks import ANSWER_PREFIX, COMMENT_INPUT
from bot.pulse.store import PulseComment, PulseOptOut, PulseRound
from bot.summary.store import PulseCommitment
from tests.support.harness import ALICE, BOB, CAROL, DAN, ERIN, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import MANAGERS_ANSWER, pulse_dms, question_ids, set_up_team
from tests.support.simultaneous import all_at_once

MEMBERS = [ALICE, BOB, CAROL, DAN, ERIN]
A_WEDNESDAY = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
CLICKS = 20
WENT_WRONG = "Something went wrong"


def count(harness, entity, *where) -> int:
    with harness.services.database.transaction() as session:
        return session.scalar(select(func.count()).select_from(entity).where(*where))


def start_round(harness) -> None:
    harness.services.now.set(A_WEDNESDAY)
    set_up_team(harness, ALICE, **MANAGERS_ANSWER)
    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)
    harness.workspace.wait_for(
        lambda: all(pulse_dms(harness, m) for m in MEMBERS), what="every member's pulse DM"
    )


def messages_with(harness, user: str, needle: str) -> list[dict]:
    return [m for m in harness.workspace.messages_for(user) if needle in text_of(m)]


def test_concurrent_commitments_make_one_and_tell_the_team_once(harness):
    start_round(harness)
    for user in MEMBERS:
        dm = pulse_dms(harness, user)[-1]
        for index, question in enumerate(question_ids(dm)):
            score = 1 + (index + MEMBERS.index(user)) % 5
            harness.slack.click(
                user, pulse_dms(harness, user)[-1], f"{ANSWER_PREFIX}{question}:{score}"
            )
    harness.slack.command(ALICE, "pulse close", channel_id=TEAM_CHANNEL)
    harness.services.now.set(A_WEDNESDAY + timedelta(hours=1))
    harness.slack.command(ALICE, "summary", channel_id=TEAM_CHANNEL)
    summary = harness.wait_for_text(ALICE, "Participation")

    responses = all_at_once(
        [lambda: harness.slack.click(ALICE, summary, "summary.commit_announce")] * CLICKS
    )

    assert all(response.ok for response in responses)
    replies = harness.workspace.wait_for(
        lambda: (
            (found := messages_with(harness, ALICE, "Noted: you'll try"))
            and len(found) >= CLICKS
            and found
        ),
        what="a reply to every click",
    )
    assert len(replies) == CLICKS
    assert all("I told the team" in text_of(reply) for reply in replies)
    assert not messages_with(harness, ALICE, WENT_WRONG)
    assert count(harness, PulseCommitment) == 1
    announcements = [
        m
        for m in messages_with(harness, BOB, "will try this practice")
        if m["channel"] == TEAM_CHANNEL
    ]
    assert len(announcements) == 1


def test_concurrent_comment_saves_keep_one_comment(harness):
    start_round(harness)
    dm = pulse_dms(harness, BOB)[-1]
    harness.slack.click(BOB, dm, "pulse.comment")
    modal = harness.workspace.wait_for(
        lambda: harness.workspace.top_view(BOB), what="the comment modal"
    )
    submission = copy.deepcopy(modal)
    payload = {
        "type": "view_submission",
        **harness.slack._common(BOB),
        "view": {
            **submission,
            "state": {
                "values": {
                    COMMENT_INPUT: {
                        COMMENT_INPUT: {
                            "type": "plain_text_input",
                            "value": "More focus time, please.",
                        }
                    }
                }
            },
        },
        "response_urls": [],
    }

    responses = all_at_once([lambda: harness.slack._send_interaction(payload)] * CLICKS)

    assert [response.status for response in responses] == [200] * CLICKS
    assert not [response.json for response in responses if (response.json or {}).get("errors")]
    assert count(harness, PulseComment) == 1


def test_concurrent_opt_outs_each_say_done(harness):
    start_round(harness)
    responses = all_at_once(
        [lambda: harness.slack.command(BOB, "pulse optout", channel_id=TEAM_CHANNEL)] * CLICKS
    )
    texts = [(response.json or {}).get("text", "") for response in responses]
    # Each is told what a lone click (first or repeated) is told; none that it went wrong.
    assert all(
        "You won't get pulse DMs" in text or "You had already opted out" in text for text in texts
    ), texts
    assert any("You won't get pulse DMs" in text for text in texts)
    assert count(harness, PulseOptOut) == 1


def test_concurrent_starts_open_one_round(harness):
    harness.services.now.set(A_WEDNESDAY)
    set_up_team(harness, ALICE, **MANAGERS_ANSWER)
    starts = 10
    responses = all_at_once(
        [lambda: harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)] * starts
    )
    assert all(response.ok for response in responses)
    opened = harness.workspace.wait_for(
        lambda: (
            len(messages_with(harness, ALICE, "is open until"))
            + len(messages_with(harness, ALICE, "already open"))
            >= starts
        ),
        what="an answer to every start",
    )
    assert opened
    assert len(messages_with(harness, ALICE, "is open until")) == 1
    assert not messages_with(harness, ALICE, WENT_WRONG)
    assert count(harness, PulseRound) == 1
    assert all(len(pulse_dms(harness, member)) == 1 for member in MEMBERS)
