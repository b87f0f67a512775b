"""Who a round asks: managers stay out of their own team's pulse unless the team asks them,
and the setup form says how many people a round would reach (issue 12, items 8 and 9)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.pulse.teams import find_team
from tests.support.harness import ALICE, BOB, CAROL, DAN, ERIN, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import MANAGERS_ANSWER, SETUP_VALUES, pulse_dms, set_up_team

WEDNESDAY = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)


def audience_text(view: dict) -> str:
    block = next(b for b in view["blocks"] if b.get("block_id") == "audience")
    return block["elements"][0]["text"]


def test_by_default_a_manager_is_not_asked_about_their_own_team(harness):
    harness.services.now.set(WEDNESDAY)
    set_up_team(harness, ALICE)
    announcement = harness.workspace.wait_for(
        lambda: harness.workspace.channel_messages(TEAM_CHANNEL)
    )
    assert "except the team's managers" in text_of(announcement[-1])
    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "4 people asked")
    assert pulse_dms(harness, ALICE) == []
    for member in (BOB, CAROL, DAN, ERIN):
        assert len(pulse_dms(harness, member)) == 1, member
    # The threshold counts those asked: the round's participation is out of 4, not 5.
    harness.slack.command(ALICE, "pulse", channel_id=TEAM_CHANNEL)
    status = text_of(harness.wait_for_text(ALICE, "0 of 4 answered"))
    assert "you are not asked this team's questions" in status
    harness.slack.command(BOB, "privacy", channel_id=TEAM_CHANNEL)
    privacy = text_of(harness.wait_for_text(BOB, "What lvm keeps"))
    assert "Managers are not asked about the team they manage" in privacy
    assert "hides among one person fewer" in privacy


def test_a_team_may_ask_its_managers_and_the_dm_says_what_it_costs(harness):
    harness.services.now.set(WEDNESDAY)
    set_up_team(harness, ALICE, **MANAGERS_ANSWER)
    with harness.services.database.transaction() as session:
        assert find_team(session, "T0LVM", TEAM_CHANNEL).managers_answer is True
    announcement = harness.workspace.wait_for(
        lambda: harness.workspace.channel_messages(TEAM_CHANNEL)
    )
    assert "managers included" in text_of(announcement[-1])
    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "5 people asked")
    assert len(pulse_dms(harness, ALICE)) == 1
    dm = text_of(pulse_dms(harness, BOB)[0])
    assert "Your managers answer this pulse too" in dm


def counted_form(harness, manager: str) -> dict:
    """The setup form once it shows the channel's count (it opens first, then is updated)."""
    harness.slack.command(manager, "pulse setup", channel_id=TEAM_CHANNEL)
    return harness.workspace.wait_for(
        lambda: (
            (view := harness.workspace.top_view(manager))
            and "a round would ask" in audience_text(view)
            and view
        ),
        what="the form to count the channel",
    )


def test_the_setup_form_counts_who_a_round_would_ask_and_warns_about_the_threshold(harness):
    counted = counted_form(harness, ALICE)
    note = audience_text(counted)
    # Five people in the channel; Alice, the manager, is not asked; the default threshold is 5.
    assert "This channel has 5 people; a round would ask 4" in note
    assert "above the 4 people asked, so scores would never be shown" in note
    response = harness.slack.submit_view(
        ALICE, counted, {**SETUP_VALUES, "threshold": {"threshold": "4"}}
    )
    assert not (response.json or {}).get("errors"), response.json
    saved = text_of(harness.wait_for_text(ALICE, "is set up"))
    assert "It would ask 4 people in this channel" in saved
    assert "equals the 4 people asked" in saved and "one absence hides the week" in saved


def test_no_warning_when_the_threshold_leaves_room(harness):
    counted = counted_form(harness, ALICE)
    response = harness.slack.submit_view(ALICE, counted, SETUP_VALUES)  # threshold 3
    assert not (response.json or {}).get("errors"), response.json
    saved = text_of(harness.wait_for_text(ALICE, "is set up"))
    assert "It would ask 4 people" in saved and ":warning:" not in saved
