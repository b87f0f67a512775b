"""A round that meets Slack's faults: who cannot be reached is skipped and the managers are
told, once; transient errors are retried; the manager hears what was really delivered.

Everything runs through the real request path (signed `/lvm pulse start`) and the real clock
tick, against the local Slack stand-in with errors injected.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.platform import directory as slack_directory
from tests.support.harness import ALICE, BOB, CAROL, DAN, ERIN, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import MANAGERS_ANSWER, pulse_dms, set_up_team, tick

GUEST = "U0GUEST"  # in the channel, unknown to users.info (a Slack Connect guest)
# Monday 23 November 2026, 10:00 London = 10:00 UTC: the team's scheduled opening.
OPENING = datetime(2026, 11, 23, 10, 0, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def no_pauses(monkeypatch):
    """Transient errors are asked again at once, so the suite does not sleep."""
    monkeypatch.setattr(slack_directory, "TRANSIENT_PAUSES", (0.0, 0.0))


def set_up(harness) -> None:
    """The team is saved and its announcement posted, before any fault is injected."""
    set_up_team(harness, ALICE, **MANAGERS_ANSWER)  # Alice is asked too
    harness.workspace.wait_for(
        lambda: harness.workspace.channel_messages(TEAM_CHANNEL) or None,
        what="the team's announcement",
    )


def manager_notes(harness, needle: str) -> list[dict]:
    return [m for m in harness.workspace.dm_messages(ALICE) if needle in text_of(m)]


def test_a_member_slack_cannot_look_up_is_skipped_and_the_managers_told_once(harness):
    harness.workspace.add_channel(TEAM_CHANNEL, "team", [ALICE, BOB, CAROL, GUEST])
    harness.services.now.set(OPENING - timedelta(days=3))
    set_up_team(harness, ALICE, **MANAGERS_ANSWER)  # Alice is asked too

    tick(harness, OPENING)
    tick(harness, OPENING + timedelta(minutes=1))

    for person in (ALICE, BOB, CAROL):
        assert len(pulse_dms(harness, person)) == 1, person
    [note] = manager_notes(harness, "could not be looked up")
    assert f"<@{GUEST}>" in text_of(note) and "not ask them" in text_of(note)

    # Next week the same guest is still there: the round opens, nobody is told again.
    tick(harness, OPENING + timedelta(days=7))
    assert len(pulse_dms(harness, BOB)) == 2
    assert len(manager_notes(harness, "could not be looked up")) == 1


def test_a_member_slack_cannot_look_up_does_not_stop_a_manual_start(harness):
    harness.workspace.add_channel(TEAM_CHANNEL, "team", [ALICE, BOB, GUEST])
    harness.services.now.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    set_up_team(harness, ALICE, **MANAGERS_ANSWER)  # Alice is asked too

    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)

    reply = text_of(harness.wait_for_text(ALICE, "people asked"))
    assert "2 people asked, the questions delivered to 2." in reply
    assert f"Slack would not look up 1 channel member (<@{GUEST}>)" in reply


def test_transient_errors_reading_the_channel_are_asked_again(harness):
    harness.services.now.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    set_up(harness)
    harness.fake.fail_next("conversations.members", "internal_error")
    harness.fake.fail_next("users.info", "service_unavailable", status=503)

    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)

    harness.wait_for_text(ALICE, "5 people asked, the questions delivered to 5.")
    assert len(pulse_dms(harness, BOB)) == 1


def test_slack_failing_on_every_try_gets_a_clear_answer_and_opens_nothing(harness):
    harness.services.now.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    set_up(harness)
    harness.fake.fail_next("conversations.members", "internal_error", times=3)

    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)

    reply = text_of(harness.wait_for_text(ALICE, "No round was opened"))
    assert "`internal_error`" in reply and "try `/lvm pulse start` again" in reply
    assert "Something went wrong" not in reply
    assert pulse_dms(harness, BOB) == []
    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)  # Slack is back
    harness.wait_for_text(ALICE, "5 people asked, the questions delivered to 5.")


def test_the_manager_is_told_what_was_delivered_and_what_was_not(harness):
    harness.services.now.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    set_up(harness)
    harness.fake.fail_next("chat.postMessage", "is_archived")
    harness.fake.fail_next("chat.postMessage", "user_not_found")

    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)

    reply = text_of(harness.wait_for_text(ALICE, "people asked"))
    assert "5 people asked, the questions delivered to 3." in reply
    assert "Not delivered to 2:" in reply
    assert "their DM with lvm is archived" in reply and "Slack could not find them" in reply
    delivered = sum(len(pulse_dms(harness, p)) for p in (ALICE, BOB, CAROL, DAN, ERIN))
    assert delivered == 3

    # Once sending has settled, every manager gets the same account by DM, once.
    now = harness.services.now()
    tick(harness, now + timedelta(minutes=1))
    tick(harness, now + timedelta(minutes=2))
    [report] = manager_notes(harness, "the questions reached 3 of 5 people")
    assert "Not delivered to 2:" in text_of(report)
    assert "<!date^" in text_of(report) and "-W" not in text_of(report)  # a date, not a week


def test_a_revoked_token_is_reported_as_nothing_delivered(harness):
    harness.services.now.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    set_up(harness)
    harness.fake.fail_next("chat.postMessage", "invalid_auth", times=5)

    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)

    reply = text_of(harness.wait_for_text(ALICE, "people asked"))
    assert "5 people asked, the questions delivered to 0." in reply
    assert "Slack refused lvm's token" in reply and "reinstall the app" in reply


def test_a_dm_still_being_retried_is_not_counted_as_delivered(harness):
    harness.services.now.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    set_up(harness)
    harness.fake.fail_next("chat.postMessage", "internal_error")

    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)

    reply = text_of(harness.wait_for_text(ALICE, "people asked"))
    assert "5 people asked, the questions delivered to 4." in reply
    assert "1 not sent yet" in reply
    tick(harness, harness.services.now() + timedelta(minutes=1))  # the retry goes out
    assert sum(len(pulse_dms(harness, p)) for p in (ALICE, BOB, CAROL, DAN, ERIN)) == 5
    assert manager_notes(harness, "the questions reached") == []  # all arrived: nothing to say
