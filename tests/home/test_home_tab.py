"""App Home: recent tips, its tip button, a person's own settings, and publishes that Slack
redelivers or rate-limits."""

from __future__ import annotations

from tests.support.harness import ALICE, TEAM_CHANNEL, text_of
from tests.support.tips import shown_practice


def test_app_home_shows_recent_tips_and_survives_redelivery(harness):
    harness.slack.command(ALICE, "tip", channel_id=TEAM_CHANNEL)
    practice = shown_practice(harness, harness.last_message(ALICE))
    harness.open_home(ALICE)
    assert (
        harness.slack.event(
            {"type": "app_home_opened", "user": ALICE, "channel": "D0ALICE", "tab": "home"},
            retry_num=1,
            retry_reason="http_timeout",
        ).status
        == 200
    )
    harness.workspace.wait_for(
        lambda: len(harness.workspace.calls_to("views.publish")) == 2, what="the second publish"
    )
    home = harness.workspace.home_view(ALICE)
    assert home is not None
    assert practice.title in text_of(home)
    assert len(harness.workspace.calls_to("views.publish")) == 2


def test_rate_limited_slack_calls_are_retried_by_the_listener_client(harness):
    # The App's retry handlers must reach the per-request clients Bolt gives listeners.
    harness.fake.fail_next("views.publish", "ratelimited", status=429, retry_after=1)
    harness.open_home(ALICE)
    statuses = [call.status for call in harness.workspace.calls_to("views.publish")]
    assert statuses == [429, 200]
    assert harness.workspace.home_view(ALICE) is not None


def test_the_home_tip_button_sends_a_tip_by_dm(harness):
    home = harness.open_home(ALICE)
    assert harness.slack.click_in_view(ALICE, home, "home.tip").status == 200
    tip = harness.wait_for_text(ALICE, "Try this week")
    assert tip["channel"] == harness.workspace.dm_channel_id(ALICE)
    # The Home tab is republished with the new tip among the recent ones.
    harness.workspace.wait_for(
        lambda: shown_practice(harness, tip).title in text_of(harness.workspace.home_view(ALICE)),
        what="the home tab to list the new tip",
    )


def test_home_shows_a_persons_own_settings(harness):
    from tests.support.pulse_steps import set_up_team

    set_up_team(harness, ALICE)
    from tests.support.harness import BOB

    harness.slack.command(BOB, "pulse optout", channel_id=TEAM_CHANNEL)
    harness.slack.command(
        BOB, "nudge weekly fri 16:00 coaching", channel_id=harness.workspace.dm_channel_id(BOB)
    )
    harness.wait_for_text(BOB, "will get a practice")
    home = text_of(harness.open_home(BOB))
    assert "every Friday at 16:00" in home and "on coaching" in home
    assert "opted out" in home and "pulse optin" in home
