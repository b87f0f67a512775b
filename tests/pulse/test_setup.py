"""Setting up a team's pulse through the modal, and who may change it."""

from __future__ import annotations

from sqlalchemy import select

from bot.pulse.store import PAUSED, PulseRound
from bot.pulse.teams import find_team
from tests.support.harness import ALICE, BOB, QUIET_CHANNEL, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import (
    SETUP_VALUES,
    pinned_questions,
    pulse_dms,
    question_ids,
    set_up_team,
)


def stored_team(harness):
    with harness.services.database.transaction() as session:
        return find_team(session, "T0LVM", TEAM_CHANNEL)


def test_setup_modal_saves_the_team_and_announces_it(harness):
    set_up_team(harness, ALICE)
    team = stored_team(harness)
    assert team.managers == [ALICE]
    assert (team.weekday, team.local_time, team.timezone) == (0, "10:00", "Europe/London")
    assert team.anonymity_threshold == 3 and team.question_ids is None
    announcement = harness.workspace.wait_for(
        lambda: harness.workspace.channel_messages(TEAM_CHANNEL)
    )
    assert "optout" in text_of(announcement[-1]) and "privacy" in text_of(announcement[-1])
    confirmation = harness.workspace.wait_for(
        lambda: [m for m in harness.workspace.messages_for(ALICE) if "is set up" in text_of(m)]
    )
    assert confirmation[0]["is_ephemeral"]


def test_the_modal_defaults_to_the_person_and_their_time_zone(harness):
    harness.slack.command(ALICE, "pulse setup", channel_id=TEAM_CHANNEL)
    modal = harness.workspace.wait_for(lambda: harness.workspace.top_view(ALICE))
    by_block = {block.get("block_id"): block for block in modal["blocks"]}
    assert by_block["managers"]["element"]["initial_users"] == [ALICE]
    assert by_block["timezone"]["element"]["initial_value"] == "Europe/London"


def test_a_bad_time_zone_is_shown_on_its_field_and_nothing_is_saved(harness):
    harness.slack.command(ALICE, "pulse setup", channel_id=TEAM_CHANNEL)
    modal = harness.workspace.wait_for(lambda: harness.workspace.top_view(ALICE))
    response = harness.slack.submit_view(
        ALICE, modal, {**SETUP_VALUES, "timezone": {"timezone": "Mars/Base"}}
    )
    assert response.json["response_action"] == "errors"
    assert "time zone" in response.json["errors"]["timezone"]
    assert stored_team(harness) is None


def test_a_non_manager_cannot_change_the_team(harness):
    set_up_team(harness, ALICE)
    for words in ("pulse setup", "pulse pause", "pulse start", "pulse close"):
        harness.slack.command(BOB, words, channel_id=TEAM_CHANNEL)
        assert "Only this team's managers" in text_of(harness.last_message(BOB)), words
    assert stored_team(harness).status == "active"
    assert harness.workspace.top_view(BOB) is None


def test_managers_pause_and_resume(harness):
    set_up_team(harness, ALICE)
    harness.slack.command(ALICE, "pulse pause", channel_id=TEAM_CHANNEL)
    assert stored_team(harness).status == PAUSED
    harness.slack.command(ALICE, "pulse", channel_id=TEAM_CHANNEL)
    assert "paused" in text_of(harness.last_message(ALICE))
    harness.slack.command(ALICE, "pulse resume", channel_id=TEAM_CHANNEL)
    assert stored_team(harness).status == "active"


def test_setup_in_a_channel_without_the_app_says_how_to_invite_it(harness):
    harness.slack.command(ALICE, "pulse setup", channel_id=QUIET_CHANNEL)
    harness.wait_for_text(ALICE, "/invite @lvm")
    assert harness.workspace.top_view(ALICE) is None


def test_pulse_commands_without_a_team_explain_how_to_start(harness):
    for words in ("pulse", "pulse start", "pulse optout"):
        harness.slack.command(BOB, words, channel_id=TEAM_CHANNEL)
        assert "/lvm pulse setup" in text_of(harness.last_message(BOB)), words


def test_unknown_pulse_word_lists_the_accepted_ones(harness):
    harness.slack.command(ALICE, "pulse fortnightly", channel_id=TEAM_CHANNEL)
    shown = text_of(harness.last_message(ALICE))
    assert "`/lvm pulse fortnightly`" in shown and "optout" in shown


def open_setup(harness) -> dict:
    harness.slack.command(ALICE, "pulse setup", channel_id=TEAM_CHANNEL)
    return harness.workspace.wait_for(lambda: harness.workspace.top_view(ALICE))


def submit_questions(harness, modal: dict, chosen: list) -> dict:
    response = harness.slack.submit_view(
        ALICE, modal, {**SETUP_VALUES, "questions": {"questions": chosen}}
    )
    assert response.status == 200
    return (response.json or {}).get("errors") or {}


def test_a_pinned_set_must_hold_three_to_six_questions(harness, bank):
    both_sides = pinned_questions(bank)  # leading, managing and team statements
    errors = submit_questions(harness, open_setup(harness), both_sides[:2])
    assert "between 3 and 6" in errors["questions"]
    assert not submit_questions(harness, harness.workspace.top_view(ALICE), both_sides)
    assert stored_team(harness).question_ids == both_sides


def test_a_pinned_set_without_the_managing_side_is_refused_on_its_field(harness, bank):
    leading_only = [bank.anchor_of(d).id for d in ("direction", "change", "trust", "growth")]
    errors = submit_questions(harness, open_setup(harness), leading_only)
    assert set(errors) == {"questions"}
    said = errors["questions"]
    assert "Add a statement about how you manage" in said and "“Managing · …” group" in said
    assert "your management score goes missing" in said and "Leading ·" not in said
    assert len(said) <= 150  # the app cuts longer errors
    assert stored_team(harness) is None


def test_a_pinned_set_of_team_statements_only_asks_for_both_sides(harness, bank):
    team_only = [bank.anchor_of(d).id for d in ("voice", "workload", "outcome")]
    said = submit_questions(harness, open_setup(harness), team_only)["questions"]
    assert "how you lead (a “Leading · …” group) and one about how you manage" in said
    assert "both scores go missing" in said and len(said) <= 150
    assert stored_team(harness) is None


def test_a_retired_statement_from_an_old_form_is_refused(harness, bank):
    # A form opened before the statement was retired still offers it.
    retired = next(q for q in bank.questions if q.retired)
    stale = {"text": {"type": "plain_text", "text": retired.text[:75]}, "value": retired.id}
    chosen = [stale, *pinned_questions(bank)[:3]]
    said = submit_questions(harness, open_setup(harness), chosen)["questions"]
    assert said.startswith("No longer asked, so remove it and pick another: “")
    assert retired.text[:40] in said
    assert stored_team(harness) is None


def test_the_question_groups_name_their_side_within_slacks_limits(harness, bank):
    [questions] = [b for b in open_setup(harness)["blocks"] if b.get("block_id") == "questions"]
    groups = questions["element"]["option_groups"]
    labels = {group["label"]["text"] for group in groups}
    assert {"Leading · Vision and the why", "Managing · Goals and priorities"} <= labels
    assert {"Team · Speaking up", "Team · Sustainable workload", "Outcome · Wanting to stay"} <= (
        labels
    )
    assert all(len(label) <= 75 for label in labels)
    offered = [option["value"] for group in groups for option in group["options"]]
    assert sorted(offered) == sorted(q.id for q in bank.asked_questions) and len(offered) <= 100
    assert questions["element"]["max_selected_items"] == 6
    hint = questions["hint"]["text"]
    assert "every area within 3 weeks" in hint and "how you manage" in hint


def test_the_status_says_what_the_rotating_default_asks(harness, bank):
    set_up_team(harness, ALICE)
    harness.slack.command(ALICE, "pulse", channel_id=TEAM_CHANNEL)
    shown = text_of(harness.last_message(ALICE))
    assert "the rotating default, 6 a week: every area within 3 weeks" in shown
    assert "every statement within 15 weeks" in shown
    set_up_team(harness, ALICE, questions={"questions": pinned_questions(bank)})
    harness.slack.command(ALICE, "pulse", channel_id=TEAM_CHANNEL)
    assert "*Questions:* 4 pinned" in text_of(harness.last_message(ALICE))


def test_a_set_pinned_before_its_statements_were_retired_gives_way_to_the_default(harness, bank):
    set_up_team(harness, ALICE, questions={"questions": pinned_questions(bank)})
    # As an older version saved it: two of the four have been retired since.
    old_set = ["goals-know-top-priority", "trust-cared-for-as-person", *pinned_questions(bank)[:2]]
    with harness.services.database.transaction() as session:
        find_team(session, "T0LVM", TEAM_CHANNEL).question_ids = old_set
    harness.slack.command(ALICE, "pulse", channel_id=TEAM_CHANNEL)
    shown = text_of(harness.last_message(ALICE))
    assert "the rotating default, 6 a week" in shown
    assert "the 4 statements pinned earlier include some no longer asked" in shown
    assert "pick a set again in `/lvm pulse setup`" in shown

    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "The round is open")
    [dm] = harness.workspace.wait_for(lambda: pulse_dms(harness, BOB), what="Bob's pulse DM")
    with harness.services.database.transaction() as session:
        [asked] = session.scalars(select(PulseRound.question_ids)).all()
    assert question_ids(dm) == asked
    assert not set(asked) & set(old_set[:2])  # no retired statement is asked again
    assert all(bank.question_by_id[q] in bank.asked_questions for q in asked) and len(asked) == 6


def test_the_picker_drops_a_time_anchor_rather_than_cut_a_statement(harness, bank):
    [questions] = [b for b in open_setup(harness)["blocks"] if b.get("block_id") == "questions"]
    labels = {
        option["value"]: option["text"]["text"]
        for group in questions["element"]["option_groups"]
        for option in group["options"]
    }
    # 92 characters in the DM; the picker says the same without "In the last three weeks".
    long = "planning-lead-real-capacity"
    assert len(bank.question_by_id[long].text) > 75
    assert labels[long] == "My lead planned our work around the time and people we really have."
    assert all(len(label) <= 75 for label in labels.values())
