"""When a round closes, its pulse DMs stop looking live (issue 12, item 14)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.platform import outbox
from tests.support.harness import ALICE, BOB, CAROL, DAN, ERIN, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import answer, answer_ids, pulse_dms, question_ids, set_up_team, tick

LIVE = "You can change any answer until the round closes"
CLOSED = "This round is closed"
MONDAY_OPENING = datetime(2026, 11, 23, 10, 0, 30, tzinfo=UTC)  # 10:00 London (GMT)


def closed_dm(harness, user: str, ts: str) -> dict:
    return harness.workspace.wait_for(
        lambda: next(
            (m for m in pulse_dms(harness, user) if m["ts"] == ts and CLOSED in text_of(m)), None
        ),
        what=f"{user}'s pulse DM rewritten as closed",
    )


def test_closing_early_rewrites_every_dm_without_answers_or_buttons(harness):
    harness.services.now.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    set_up_team(harness, ALICE)
    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "4 people asked")
    dm = pulse_dms(harness, BOB)[0]
    assert LIVE in text_of(dm)
    answer(harness, BOB, dm, question_ids(dm)[0], 4)
    harness.wait_for_text(BOB, "you said: Agree")

    harness.slack.command(ALICE, "pulse close", channel_id=TEAM_CHANNEL)
    for member in (BOB, CAROL, DAN, ERIN):
        original = pulse_dms(harness, member)[0]
        rewritten = closed_dm(harness, member, original["ts"])
        assert LIVE not in text_of(rewritten)
        assert answer_ids(rewritten) == [] and "pulse.comment" not in str(rewritten["blocks"])
        assert "you said" not in text_of(rewritten)  # the outbox row names the DM: no answers
        assert len(pulse_dms(harness, member)) == 1  # edited in place, not a new message
    # The rewrites went through the outbox, once each, however often the clock ticks after.
    tick(harness, datetime(2026, 11, 25, 14, 5, tzinfo=UTC))
    tick(harness, datetime(2026, 11, 25, 14, 6, tzinfo=UTC))
    updates = [c for c in harness.workspace.calls_to("chat.update") if CLOSED in str(c)]
    assert len(updates) == 4
    with harness.services.database.transaction() as session:
        rows = [m for m in outbox.messages(session) if m.kind == "pulse.closed_dm"]
        assert len(rows) == 4 and {r.status for r in rows} == {"sent"}


def test_the_scheduled_close_rewrites_the_dm_and_a_reminder_click_is_told_it_closed(harness):
    harness.services.now.set(MONDAY_OPENING - timedelta(days=3))
    set_up_team(harness, ALICE)
    tick(harness, MONDAY_OPENING)
    tick(harness, MONDAY_OPENING + timedelta(hours=24, minutes=1))  # Dan is reminded
    first, reminder = pulse_dms(harness, DAN)
    assert "reminder" in text_of(reminder).lower()
    tick(harness, MONDAY_OPENING + timedelta(days=3, minutes=1))  # closes
    rewritten = closed_dm(harness, DAN, first["ts"])
    assert LIVE not in text_of(rewritten) and answer_ids(rewritten) == []
    # The reminder is left as sent: a rewrite row in the outbox would name Dan's DM, and so
    # that Dan had not answered by the reminder. Its buttons say the round has closed.
    with harness.services.database.transaction() as session:
        rewrites = [m for m in outbox.messages(session) if m.kind == "pulse.closed_dm"]
        assert all(m.payload["args"]["ts"] != reminder["ts"] for m in rewrites)
    answer(harness, DAN, reminder, question_ids(reminder)[0], 4)
    harness.wait_for_text(DAN, "This round has closed")


def test_a_dm_sent_only_after_its_round_closed_is_rewritten_once_sent(harness):
    harness.services.now.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    set_up_team(harness, ALICE)
    harness.workspace.wait_for(lambda: harness.workspace.channel_messages(TEAM_CHANNEL))
    harness.fake.fail_next("chat.postMessage", "fatal_error")  # one DM waits for a retry
    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "4 people asked")
    late = next(m for m in (BOB, CAROL, DAN, ERIN) if not pulse_dms(harness, m))
    harness.slack.command(ALICE, "pulse close", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "Round closed early")
    tick(harness, datetime(2026, 11, 25, 14, 2, tzinfo=UTC))  # the retry sends the DM
    tick(harness, datetime(2026, 11, 25, 14, 3, tzinfo=UTC))  # and then its rewrite
    (message,) = pulse_dms(harness, late)
    closed_dm(harness, late, message["ts"])
