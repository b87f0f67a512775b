"""`/lvm pulse start` and `close` send what they planned, and leave every other row to the clock.

A web worker that drained the whole outbox after a command sent every team's due messages
(with their 429 waits and charts) from a request's thread.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.platform import outbox
from tests.support.harness import ALICE, BOB, TEAM_CHANNEL
from tests.support.pulse_steps import pulse_dms, set_up_team

A_WEDNESDAY = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
OTHER_TEAMS_ROW = "test.other_team:T0OTHER:1"


def plan_another_teams_message(harness) -> None:
    now = harness.services.now()
    with harness.services.database.transaction() as session:
        outbox.enqueue(
            session,
            team_id="T0OTHER",
            dedupe_key=OTHER_TEAMS_ROW,
            kind="test.other_team",
            payload={"method": "chat.postMessage", "args": {"channel": BOB, "text": "Other"}},
            due_at=now,
            now=now,
        )


def status_of_the_other_row(harness) -> str:
    with harness.services.database.reading() as session:
        row = outbox.find(session, OTHER_TEAMS_ROW)
        assert row is not None
        return row.status


def test_start_and_close_send_their_own_rows_only(harness):
    harness.services.now.set(A_WEDNESDAY)
    set_up_team(harness, ALICE)
    plan_another_teams_message(harness)
    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "4 people asked, the questions delivered to 4.")
    assert len(pulse_dms(harness, BOB)) == 1
    assert status_of_the_other_row(harness) == outbox.PENDING

    harness.slack.command(ALICE, "pulse close", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "closed: 0 of 4")  # the digest, sent by the command
    harness.wait_for_text(BOB, "This round is closed")  # the DM, rewritten
    assert status_of_the_other_row(harness) == outbox.PENDING
    assert not [m for m in harness.workspace.dm_messages(BOB) if m.get("text") == "Other"]
