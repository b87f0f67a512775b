"""A pulse team's channel nudge is its managers' to change (issue 12, item 11)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.nudges import store as nudge_store
from tests.support.harness import ALICE, BOB, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import set_up_team

WEDNESDAY = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)


def channel_subscription(harness, channel: str):
    with harness.services.database.transaction() as session:
        found = nudge_store.find(session, "T0LVM", channel)
        return None if found is None else (found.query, found.weekday, found.active)


def test_only_the_teams_managers_change_its_channel_nudge(harness):
    harness.services.now.set(WEDNESDAY)
    set_up_team(harness, ALICE)
    harness.slack.command(ALICE, "nudge weekly mon 09:00 delegation", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "will get a practice every Monday")
    before = channel_subscription(harness, TEAM_CHANNEL)
    assert before == ("delegation", 0, True)

    for words in ("nudge weekly fri 16:00 feedback", "nudge daily 08:00", "nudge off"):
        harness.slack.command(BOB, words, channel_id=TEAM_CHANNEL)
        refusal = text_of(harness.last_message(BOB))
        assert f"Only this team's managers (<@{ALICE}>) can set up, replace or stop" in refusal
        assert "can change its pulse" not in refusal, words
    assert channel_subscription(harness, TEAM_CHANNEL) == before


def test_a_member_asking_for_focus_is_told_why_in_nudge_terms(harness):
    harness.services.now.set(WEDNESDAY)
    set_up_team(harness, ALICE)
    harness.slack.command(BOB, "nudge weekly mon 09:00 focus", channel_id=TEAM_CHANNEL)
    refusal = text_of(harness.last_message(BOB))
    assert "A `focus` nudge follows this team's pulse results" in refusal
    assert f"only its managers (<@{ALICE}>) can set one up here" in refusal
    assert "can change its pulse" not in refusal
    assert channel_subscription(harness, TEAM_CHANNEL) is None


def test_a_replacement_says_what_it_replaces(harness):
    harness.services.now.set(WEDNESDAY)
    set_up_team(harness, ALICE)
    harness.slack.command(ALICE, "nudge weekly mon 09:00 delegation", channel_id=TEAM_CHANNEL)
    first = text_of(harness.wait_for_text(ALICE, "will get a practice every Monday"))
    assert "replaces" not in first
    harness.slack.command(ALICE, "nudge weekly fri 16:00 feedback", channel_id=TEAM_CHANNEL)
    second = text_of(harness.wait_for_text(ALICE, "every Friday"))
    assert (
        "It replaces the earlier schedule: every Monday at 09:00 (Europe/London) on delegation."
        in second
    )


def test_channels_without_a_pulse_stay_open_to_everyone(harness):
    # The app is in the team channel; without a pulse team there, anyone may set its tips.
    harness.services.now.set(WEDNESDAY)
    harness.slack.command(BOB, "nudge weekly mon 09:00 delegation", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(BOB, "will get a practice every Monday")
    harness.slack.command(ALICE, "nudge off", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "Scheduled tips stopped.")
    assert channel_subscription(harness, TEAM_CHANNEL) == ("delegation", 0, False)
