"""The setup form reports every problem in one submit, and never fails on what is typed."""

from __future__ import annotations

import pytest

from bot.pulse.teams import find_team
from tests.support.harness import ALICE, TEAM_CHANNEL
from tests.support.pulse_steps import SETUP_VALUES


def open_form(harness) -> dict:
    harness.slack.command(ALICE, "pulse setup", channel_id=TEAM_CHANNEL)
    return harness.workspace.wait_for(lambda: harness.workspace.top_view(ALICE), what="the form")


def stored_team(harness):
    with harness.services.database.reading() as session:
        return find_team(session, "T0LVM", TEAM_CHANNEL)


def test_every_problem_is_reported_in_the_first_submit(harness):
    modal = open_form(harness)
    response = harness.slack.submit_view(
        ALICE,
        modal,
        {
            **SETUP_VALUES,
            "timezone": {"timezone": "Mars/Base"},
            "threshold": {"threshold": "2"},
            "time": {"time": "20:00"},  # outside working hours
            "open_days": {"open_days": "1"},
            "reminder": {"reminder": "48"},  # after a one-day round has closed
        },
    )
    assert response.json["response_action"] == "errors"
    errors = response.json["errors"]
    assert set(errors) == {"timezone", "threshold", "time", "reminder"}
    assert "working hours" in errors["time"] and "before the round closes" in errors["reminder"]
    assert stored_team(harness) is None


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("Europe", "That is a region: add a city from it, like Europe/London"),
        ("x" * 300, "Use a name like Europe/London"),
        ("Europe/Londn", "Did you mean Europe/London?"),
    ],
    ids=["an-area", "over-255-characters", "misspelled"],
)
def test_a_time_zone_that_is_no_zone_is_shown_on_its_field(harness, typed, said):
    modal = open_form(harness)
    response = harness.slack.submit_view(
        ALICE, modal, {**SETUP_VALUES, "timezone": {"timezone": typed}}
    )
    assert response.status == 200
    assert response.json["response_action"] == "errors"
    message = response.json["errors"]["timezone"]
    assert said in message and len(message) < 200
    assert stored_team(harness) is None


def test_a_time_zone_in_the_wrong_case_is_saved_in_its_own_spelling(harness):
    modal = open_form(harness)
    response = harness.slack.submit_view(
        ALICE, modal, {**SETUP_VALUES, "timezone": {"timezone": "europe/london"}}
    )
    assert not (response.json or {}).get("errors"), response.json
    team = harness.workspace.wait_for(lambda: stored_team(harness), what="the saved team")
    assert team.timezone == "Europe/London"


def test_question_options_are_never_cut_mid_word(harness, bank):
    modal = open_form(harness)
    [questions] = [block for block in modal["blocks"] if block.get("block_id") == "questions"]
    shown = {
        option["value"]: option["text"]["text"]
        for group in questions["element"]["option_groups"]
        for option in group["options"]
    }
    texts = {question.id: question.text for question in bank.questions}
    shortened = [qid for qid, text in shown.items() if text != texts[qid]]
    assert shortened  # the bank has statements longer than Slack's 75 characters
    for qid in shortened:
        text = shown[qid]
        assert len(text) <= 75
        # The time anchor goes first ("In the last three weeks, ", "lately"); what is still
        # too long is cut after a whole word.
        whole = texts[qid].removeprefix("In the last three weeks, ").replace(" lately,", ",", 1)
        whole = whole[:1].upper() + whole[1:]
        if text.endswith("…"):
            kept = text[:-1]
            assert whole.startswith(kept) and whole[len(kept)] in " ,;:", text
        else:
            assert text == whole
