"""Scheduled tips through the real tick, outbox and fake Slack, over weeks and a clock change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.support.harness import ALICE, QUIET_CHANNEL, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import tick

MONDAY_12_OCT = datetime(2026, 10, 12, 12, 0, tzinfo=UTC)  # London on BST until the 25th


def nudges_in(harness, channel: str) -> list[dict]:
    return [
        m
        for m in harness.workspace.channel_messages(channel)
        if "Your scheduled practice" in text_of(m)
    ]


def dm_nudges(harness, user: str) -> list[dict]:
    return [
        m for m in harness.workspace.dm_messages(user) if "Your scheduled practice" in text_of(m)
    ]


def test_weekly_channel_nudge_posts_once_a_week_at_local_time_across_the_clock_change(harness):
    harness.services.now.set(MONDAY_12_OCT)
    harness.slack.command(ALICE, "nudge weekly mon 09:00 delegation", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "will get a practice every Monday at 09:00 (Europe/London)")
    posted_at: list[datetime] = []
    for week_start in (datetime(2026, 10, 19, tzinfo=UTC), datetime(2026, 10, 26, tzinfo=UTC)):
        for minutes in range(6 * 60, 11 * 60, 30):  # every half hour, 06:00 to 11:00 UTC
            moment = week_start + timedelta(minutes=minutes)
            before = len(nudges_in(harness, TEAM_CHANNEL))
            tick(harness, moment)
            if len(nudges_in(harness, TEAM_CHANNEL)) > before:
                posted_at.append(moment)
    # 09:00 BST is 08:00 UTC; after the change, 09:00 GMT is 09:00 UTC. Once each week.
    assert posted_at == [
        datetime(2026, 10, 19, 8, 0, tzinfo=UTC),
        datetime(2026, 10, 26, 9, 0, tzinfo=UTC),
    ]
    practices = nudges_in(harness, TEAM_CHANNEL)
    assert all("Delegation" in text_of(m) for m in practices)
    assert text_of(practices[0]) != text_of(practices[1])  # no repeat before all are seen


def test_a_dm_nudge_is_personal_daily_and_skips_weekends(harness):
    harness.services.now.set(datetime(2026, 11, 19, 12, 0, tzinfo=UTC))  # Thursday
    dm = harness.workspace.dm_channel_id(ALICE)
    harness.slack.command(ALICE, "nudge daily 08:30 leadership", channel_id=dm)
    harness.wait_for_text(ALICE, "You will get a practice by DM every working day at 08:30")
    for day in range(1, 6):  # Fri, Sat, Sun, Mon, Tue
        morning = datetime(2026, 11, 19, tzinfo=UTC) + timedelta(days=day)
        tick(harness, morning + timedelta(hours=8, minutes=30, seconds=5))
        tick(harness, morning + timedelta(hours=12))
    sent = dm_nudges(harness, ALICE)
    assert len(sent) == 3  # Friday, Monday, Tuesday
    assert "tip.helpful" in str(sent[0]["blocks"])  # personal: the feedback buttons are there
    harness.slack.command(ALICE, "nudge", channel_id=dm)
    harness.wait_for_text(ALICE, "every working day at 08:30 (Europe/London) on leadership")
    harness.slack.command(ALICE, "nudge off", channel_id=dm)
    harness.wait_for_text(ALICE, "Scheduled tips stopped")
    tick(harness, datetime(2026, 11, 25, 8, 30, 5, tzinfo=UTC))
    assert len(dm_nudges(harness, ALICE)) == 3


def test_after_long_downtime_a_nudge_is_skipped_not_sent_late(harness):
    harness.services.now.set(MONDAY_12_OCT)
    harness.slack.command(ALICE, "nudge weekly mon 09:00", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "will get a practice")
    tick(harness, datetime(2026, 10, 19, 12, 30, tzinfo=UTC))  # 4.5 h after 08:00 UTC
    assert nudges_in(harness, TEAM_CHANNEL) == []
    tick(harness, datetime(2026, 10, 26, 9, 0, 10, tzinfo=UTC))
    assert len(nudges_in(harness, TEAM_CHANNEL)) == 1


def test_malformed_schedules_answer_with_the_accepted_forms(harness):
    for text in (
        "nudge fortnightly 25:00",
        "nudge weekly 09:00",
        "nudge daily 25:00",
        "nudge weekly mon",
    ):
        harness.slack.command(ALICE, text, channel_id=TEAM_CHANNEL)
        shown = text_of(harness.last_message(ALICE))
        assert "Accepted forms" in shown and "/lvm nudge weekly mon 09:00" in shown, text
    harness.slack.command(ALICE, "nudge weekly mon 09:00 basket-weaving", channel_id=TEAM_CHANNEL)
    assert "No practice matches" in text_of(harness.last_message(ALICE))


def test_a_channel_without_the_app_is_told_how_to_invite_it(harness):
    harness.slack.command(ALICE, "nudge weekly fri 16:00", channel_id=QUIET_CHANNEL)
    harness.wait_for_text(ALICE, "/invite @lvm")
    harness.slack.command(ALICE, "nudge", channel_id=QUIET_CHANNEL)
    harness.wait_for_text(ALICE, "has no scheduled tips")
