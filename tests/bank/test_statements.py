"""The pulse statements' rules: every statement about the lead names its side and contrast,
every contrast has a statement on each side, and every area has exactly one anchor. Each is
checked by breaking a copy of the shipped bank and running `lvm-bot content check` on it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.bank import About, Lens, load_bank
from tests.support.bank_copies import edit_statements
from tests.support.command_line import lvm_bot

Edit = Callable[[dict], None]


def statement(data: dict, statement_id: str) -> dict:
    return next(q for q in data["questions"] if q["id"] == statement_id)


def checked(content: Path) -> tuple[int, str]:
    result = lvm_bot("content", "check", "--dir", str(content), cwd=content.parent)
    return result.returncode, result.stdout + result.stderr


def test_the_shipped_statements_cover_every_contrast_on_both_sides():
    bank = load_bank()
    about_lead = {d.id for d in bank.dimensions if d.about is About.LEAD}
    covered = {(q.contrast, q.side) for q in bank.asked_questions if q.dimension in about_lead}
    assert covered == {
        (c.id, s) for c in bank.contrasts for s in (Lens.LEADERSHIP, Lens.MANAGEMENT)
    }
    assert len(bank.contrasts) == 7
    for dimension in bank.dimensions:
        assert bank.anchor_of(dimension.id).dimension == dimension.id


@pytest.mark.parametrize("missing", ["side", "contrast"])
def test_a_statement_about_the_lead_without_its_side_or_contrast_is_refused(content, missing):
    edit_statements(content, lambda data: statement(data, "goals-lead-defines-done").pop(missing))
    code, out = checked(content)
    assert code != 0
    assert (
        "question 'goals-lead-defines-done': a statement about the lead needs its side and its contrast"
        in out
    )


def test_a_contrast_without_a_statement_on_one_side_is_refused(content):
    def drop_managing_risk(data: dict) -> None:
        # The only managing statement on taking and reducing risk.
        data["questions"].remove(statement(data, "stability-lead-spots-risks"))

    edit_statements(content, drop_managing_risk)
    code, out = checked(content)
    assert code != 0
    assert (
        "contrast 'risk-taking-vs-mitigation' has no statement about the lead on the "
        "management side"
    ) in out


def test_a_statement_on_the_wrong_side_or_with_an_unknown_contrast_is_refused(content):
    def confuse(data: dict) -> None:
        statement(data, "growth-lead-coaches")["side"] = "management"
        statement(data, "growth-lead-feedback")["contrast"] = "vision-vs-everything"

    edit_statements(content, confuse)
    code, out = checked(content)
    assert code != 0
    assert "question 'growth-lead-coaches': side 'management' differs from its dimension's" in out
    assert "question 'growth-lead-feedback': unknown contrast 'vision-vs-everything'" in out


def test_an_area_needs_exactly_one_anchor_and_a_retired_statement_none(content):
    def misanchor(data: dict) -> None:
        statement(data, "direction-lead-describes-future")["anchor"] = True
        statement(data, "workload-sustainable-pace")["anchor"] = False
        statement(data, "goals-know-top-priority")["anchor"] = True
        statement(data, "stability-lead-keeps-plans")["conditional"] = True

    edit_statements(content, misanchor)
    code, out = checked(content)
    assert code != 0
    assert "dimension 'direction' has 2 anchor statement(s)" in out
    assert "dimension 'workload' has 0 anchor statement(s)" in out
    assert "question 'goals-know-top-priority': a retired statement cannot be an anchor" in out
    assert "question 'stability-lead-keeps-plans': an anchor cannot be conditional" in out


def test_only_a_retired_statement_may_fit_no_area(content):
    edit_statements(
        content, lambda data: statement(data, "voice-free-to-disagree").pop("dimension")
    )
    code, out = checked(content)
    assert code != 0
    assert "question 'voice-free-to-disagree': has no dimension" in out
