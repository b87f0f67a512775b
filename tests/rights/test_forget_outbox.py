"""`/lvm forget me` and the outbox: messages to the person, and records of sent messages that
name them, are deleted; a message still waiting for someone else (a co-manager's digest, a
channel's announcement) still reaches them, naming "someone" instead; an id that merely
begins with theirs is another person's and is left alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from bot.platform import outbox
from bot.platform.outbox import OutboxMessage
from bot.rights.blocks import FORGET_CONFIRM
from tests.support.harness import ALICE, BOB, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import set_up_team, tick

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
LONGER_ID = ALICE + "2"  # a different person whose id begins with Alice's


def post(channel: str, text: str) -> dict:
    return outbox.post_payload(channel, {"text": text})


def rows(harness) -> dict[str, tuple[str, dict]]:
    with harness.services.database.reading() as session:
        return {
            row.dedupe_key: (row.status, row.payload)
            for row in session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "t"))
        }


def test_forgetting_keeps_others_waiting_messages_without_the_name(harness):
    harness.services.now.set(NOW)
    set_up_team(harness, ALICE, managers={"managers": [ALICE, BOB]})
    harness.workspace.add_user(LONGER_ID, "alice.two")
    planned = {
        "to-bob": post(BOB, f"Focus chosen by <@{ALICE}>; ask <@{ALICE}> or {ALICE} about it."),
        "to-alice": post(ALICE, "Your check-in is due."),
        "sent-to-bob": post(BOB, f"<@{ALICE}> committed to a practice."),
        "to-the-channel": post(TEAM_CHANNEL, f"<@{LONGER_ID}> committed to a practice."),
    }
    with harness.services.database.transaction() as session:
        for key, payload in planned.items():
            outbox.enqueue(
                session,
                team_id=harness.workspace.team_id,
                dedupe_key=key,
                kind="t",
                payload=payload,
                due_at=NOW + timedelta(days=1),  # nothing goes out before she is forgotten
                now=NOW,
            )
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.dedupe_key == "sent-to-bob")
            .values(status=outbox.SENT)
        )

    harness.slack.command(ALICE, "forget me", channel_id=TEAM_CHANNEL)
    asked = harness.wait_for_text(ALICE, "Delete what lvm keeps about you")
    harness.slack.click(ALICE, asked, FORGET_CONFIRM)
    harness.wait_for_text(ALICE, "Done: lvm has deleted")

    left = rows(harness)
    assert sorted(left) == ["to-bob", "to-the-channel"]
    assert left["to-the-channel"] == (outbox.PENDING, planned["to-the-channel"])
    status, payload = left["to-bob"]
    assert status == outbox.PENDING and ALICE not in str(payload)
    assert payload["args"]["text"] == "Focus chosen by someone; ask someone or someone about it."

    tick(harness, NOW + timedelta(days=1, minutes=1))
    harness.wait_for_text(BOB, "Focus chosen by someone")
    shown = [text_of(m) for m in harness.workspace.channel_messages(TEAM_CHANNEL)]
    assert f"<@{LONGER_ID}> committed to a practice." in shown
    assert not [m for m in harness.workspace.dm_messages(ALICE) if "check-in is due" in text_of(m)]
