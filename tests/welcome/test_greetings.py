"""lvm greets once: a channel it is added to, and a person on their first visit to its Home."""

from __future__ import annotations

from tests.support.harness import ALICE, BOB, TEAM_CHANNEL, running_app, text_of

GREETING = "I'm lvm"


def joined(harness, user_id: str, *, retry_num: int | None = None):
    event = {
        "type": "member_joined_channel",
        "user": user_id,
        "channel": TEAM_CHANNEL,
        "channel_type": "C",
        "team": harness.workspace.team_id,
    }
    return harness.slack.event(event, retry_num=retry_num, retry_reason="http_timeout")


def greetings(harness) -> list[str]:
    return [
        text_of(m)
        for m in harness.workspace.channel_messages(TEAM_CHANNEL)
        if GREETING in text_of(m)
    ]


def test_lvm_greets_a_channel_it_is_added_to_once(database, bank, clock):
    with running_app(database, bank, clock) as harness:
        bot = harness.workspace.bot_user_id
        assert joined(harness, BOB).status == 200  # a person joining: not lvm's cue
        assert joined(harness, bot).status == 200
        harness.workspace.wait_for(lambda: greetings(harness), what="the channel greeting")
        [greeting] = greetings(harness)
        assert "/lvm pulse setup" in greeting and "/lvm tip" in greeting
        joined(harness, bot, retry_num=1)  # Slack redelivers
        harness.open_home(ALICE)  # something else, to let any second greeting land first
    # Kept in the database: a restarted app does not greet again either.
    with running_app(database, bank, clock) as restarted:
        joined(restarted, restarted.workspace.bot_user_id)
        restarted.open_home(ALICE)
        assert greetings(restarted) == []  # a fresh stand-in: nothing was posted


def test_a_persons_first_home_says_what_lvm_is_for_and_a_first_step(harness):
    first = text_of(harness.open_home(ALICE))
    assert "Welcome to lvm" in first
    assert "Practices" in first and "team pulse" in first and "Summaries" in first
    assert "A first step" in first and "Send me a tip" in first
    again = text_of(harness.open_home(ALICE))
    assert "Welcome to lvm" not in again and "Send me a tip" in str(harness.open_home(ALICE))
    assert "Welcome to lvm" in text_of(harness.open_home(BOB))  # each person once


def test_a_first_home_that_could_not_be_shown_welcomes_next_time(harness):
    harness.fake.fail_next("views.publish", "internal_error", status=500)
    harness.slack.app_home_opened(ALICE)
    # The publish fails; the Home then says something went wrong (a second publish).
    harness.workspace.wait_for(
        lambda: len(harness.workspace.calls_to("views.publish")) == 2 or None,
        what="the failed publish and the notice",
    )
    assert "Welcome to lvm" in text_of(harness.open_home(ALICE))
