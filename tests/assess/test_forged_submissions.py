"""A self-assessment submission that Slack's own form would never send (an answer missing or
off the scale, a form from before the statements changed, a payload of the wrong shape) is
refused field by field, in words that say what to do, and stores nothing."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import func, select

from bot.assess.form import MISSING, NOT_ON_SCALE, OUT_OF_DATE
from bot.assess.store import TakenAssessment
from tests.support.assess_steps import answers_by_pole, open_form, result_messages
from tests.support.harness import ALICE


def state_of(answers: dict[str, object]) -> dict[str, dict[str, dict]]:
    """Slack's state for these selections: a value, or a whole option (or anything) as is."""
    values = {}
    for statement_id, picked in answers.items():
        option = (
            {"text": {"type": "plain_text", "text": f"{picked}"}, "value": picked}
            if isinstance(picked, str)
            else picked
        )
        values[statement_id] = {statement_id: {"type": "static_select", "selected_option": option}}
    return values


def stored_count(harness) -> int:
    with harness.services.database.reading() as session:
        return session.scalar(select(func.count()).select_from(TakenAssessment)) or 0


@pytest.fixture
def answers(bank) -> dict[str, object]:
    return {k: str(v) for k, v in answers_by_pole(bank.assessment, leading=4, managing=3).items()}


def test_a_missing_answer_and_answers_off_the_scale_get_their_fields_errors(harness, answers):
    form = open_form(harness, ALICE)
    ids = list(answers)
    forged = {
        **answers,
        ids[0]: None,  # no answer
        ids[1]: "7",
        ids[2]: "0",
        ids[3]: "four",
        ids[4]: {"value": ["4"]},  # not even a string
    }
    response = harness.slack.send_view_submission(ALICE, form, state_of(forged))
    assert response.status == 200
    assert response.json == {
        "response_action": "errors",
        "errors": {
            ids[0]: MISSING,
            ids[1]: NOT_ON_SCALE,
            ids[2]: NOT_ON_SCALE,
            ids[3]: NOT_ON_SCALE,
            ids[4]: NOT_ON_SCALE,
        },
    }
    assert MISSING == "Choose how much you agree, from 1 to 5."
    assert stored_count(harness) == 0


def test_a_forged_option_shows_its_error_in_the_open_form(harness, answers):
    form = open_form(harness, ALICE)
    first = next(iter(answers))
    values = {k: {k: v} for k, v in answers.items()}
    values[first] = {first: {"value": "9", "text": {"type": "plain_text", "text": "9 · Yes"}}}
    response = harness.slack.submit_view(ALICE, form, values)
    assert response.json["errors"] == {first: NOT_ON_SCALE}
    assert harness.workspace.view_errors(form["id"]) == {first: NOT_ON_SCALE}
    assert harness.workspace.top_view(ALICE) is not None  # the form stays open, answers kept
    assert stored_count(harness) == 0


def test_a_form_from_before_the_statements_changed_is_refused_as_out_of_date(harness, answers):
    form = open_form(harness, ALICE)
    older = copy.deepcopy(form)
    retired = older["blocks"].pop(5)["block_id"]  # a statement the content has since added
    kept = {k: v for k, v in answers.items() if k != retired}
    response = harness.slack.send_view_submission(ALICE, older, state_of(kept))
    first = older["blocks"][1]["block_id"]
    assert response.json == {"response_action": "errors", "errors": {first: OUT_OF_DATE}}
    assert "`/lvm assess` again" in OUT_OF_DATE
    assert stored_count(harness) == 0


@pytest.mark.parametrize("values", [None, "all fives", [], {"x": 1}])
def test_a_payload_of_the_wrong_shape_is_refused_with_every_field_asked_again(
    harness, bank, values
):
    form = open_form(harness, ALICE)
    response = harness.slack.send_view_submission(ALICE, form, values)  # type: ignore[arg-type]
    assert response.status == 200
    errors = response.json["errors"]
    assert set(errors) == {s.id for s in bank.assessment.statements}
    assert set(errors.values()) == {MISSING}
    assert stored_count(harness) == 0


def test_unreadable_private_metadata_still_stores_and_answers_by_dm(harness, answers):
    form = open_form(harness, ALICE)
    broken = {**form, "private_metadata": "{not json"}
    response = harness.slack.send_view_submission(ALICE, broken, state_of(answers))
    assert response.status == 200 and not (response.json or {}).get("errors")
    result = harness.workspace.wait_for(
        lambda: (result_messages(harness, ALICE) or [None])[-1], what="the result"
    )
    assert result["channel"] == harness.workspace.dm_channel_id(ALICE)
    assert stored_count(harness) == 1
