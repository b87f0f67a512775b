"""Answers racing `/lvm pulse close`: once closed, a round's numbers never change.

Every member clicks every answer at the same moment as the manager closes the round early.
Whichever answers made it in before the close, the digest the close planned, the totals it
stored and the answers in the database afterwards must all say the same.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import partial

from sqlalchemy import select

from bot.platform import outbox
from bot.pulse.aggregates import participation_of, question_totals_of, respondents_of
from bot.pulse.blocks import ANSWER_PREFIX
from bot.pulse.store import PulseRound
from bot.pulse.totals_store import PulseQuestionTotal
from bot.summary.digests import DIGEST
from tests.support.harness import ALICE, BOB, CAROL, DAN, ERIN, TEAM_CHANNEL
from tests.support.pulse_steps import MANAGERS_ANSWER, pulse_dms, question_ids, set_up_team
from tests.support.simultaneous import all_at_once

MEMBERS = [ALICE, BOB, CAROL, DAN, ERIN]
RACES = 3
A_WEDNESDAY = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)


def live_numbers(session, round_id: int) -> tuple:
    """The round's numbers counted from its answers and recipients right now."""
    totals = sorted(
        (t.question_id, t.score_sum, t.answers) for t in question_totals_of(session, [round_id])
    )
    return (
        totals,
        respondents_of(session, [round_id]).get(round_id, 0),
        participation_of(session, [round_id])[round_id],
    )


def stored_numbers(session, round_id: int) -> tuple:
    pulse_round = session.get(PulseRound, round_id)
    totals = sorted(
        (t.question_id, t.score_sum, t.answers)
        for t in session.scalars(
            select(PulseQuestionTotal).where(PulseQuestionTotal.round_id == round_id)
        )
    )
    return totals, pulse_round.respondents, (pulse_round.answered, pulse_round.asked)


def test_a_digest_equals_the_final_numbers_however_answers_race_the_close(harness):
    harness.services.now.set(A_WEDNESDAY)
    set_up_team(harness, ALICE, **MANAGERS_ANSWER)
    for race in range(RACES):
        harness.services.now.set(A_WEDNESDAY + timedelta(weeks=race))
        harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)
        harness.workspace.wait_for(
            lambda n=race + 1: all(len(pulse_dms(harness, m)) == n for m in MEMBERS),
            what="every member's pulse DM",
        )
        dms = {user: pulse_dms(harness, user)[-1] for user in MEMBERS}
        clicks = [
            partial(harness.slack.click, user, dms[user], f"{ANSWER_PREFIX}{question}:{score}")
            for user in MEMBERS
            for question in question_ids(dms[user])
            for score in [1 + race % 5]
        ]
        close = [lambda: harness.slack.command(ALICE, "pulse close", channel_id=TEAM_CHANNEL)]
        responses = all_at_once(close + clicks)
        assert all(response.ok for response in responses)
        closed_reply = (responses[0].json or {}).get("text", "")
        assert "Round closed early" in closed_reply, closed_reply

        with harness.services.database.transaction() as session:
            pulse_round = session.scalars(
                select(PulseRound).order_by(PulseRound.opens_at.desc())
            ).first()
            assert pulse_round.status == "closed"
            stored = stored_numbers(session, pulse_round.id)
            digest = outbox.find(
                session, f"{DIGEST}:{pulse_round.team_id}:{pulse_round.id}:{ALICE}"
            )
            assert digest is not None
        # Clicks that lost the race still get their answer ("closed"); wait for none to lag.
        with harness.services.database.transaction() as session:
            assert live_numbers(session, pulse_round.id) == stored
        answered, asked = stored[2]
        heading = digest.args["text"]
        assert f"closed: {answered} of {asked} answered" in heading, heading
        assert re.search(rf"\b{answered} of {asked} answered", closed_reply), closed_reply
