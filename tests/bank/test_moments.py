"""The bank's marks for the moment a practice fits: `only_when` and `every_one_on_one`."""

from __future__ import annotations

import re

import yaml

from tests.support.bank_copies import edit_practices, problems_of

# Wording that asks something in every 1:1 of the week.
EVERY_ONE_ON_ONE = re.compile(r"\b(in each 1:1|in every 1:1|end every 1:1|in your 1:1s)\b", re.I)


def test_an_unknown_situation_in_only_when_is_named(content):
    def bind(practices: list[dict]) -> None:
        practices[0]["only_when"] = ["crisis", "a-full-moon"]

    edit_practices(content, "leadership-skills.yaml", bind)
    [problem] = problems_of(content)
    assert "leadership-skills.yaml" in problem
    assert "only_when: unknown situation 'a-full-moon'" in problem


def test_every_one_on_one_on_a_practice_that_is_no_question_is_refused(content):
    def mark(practices: list[dict]) -> None:
        target = next(p for p in practices if p["form"] == "exercise")
        target["every_one_on_one"] = True

    edit_practices(content, "management-skills.yaml", mark)
    [problem] = problems_of(content)
    assert "every_one_on_one is for a question asked in each 1:1" in problem


def test_a_situation_alias_that_names_a_topic_is_refused(content):
    path = content / "topics.yaml"
    data = yaml.safe_load(path.read_text())
    data["situations"][0]["aliases"] = ["delegation"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    [problem] = problems_of(content)
    assert "alias 'delegation' also names a topic or another situation" in problem


def test_binding_a_dimensions_practices_can_leave_it_too_thin(content, bank):
    outcome = [p.id for p in bank.practices_for_dimension("outcome")]

    def bind(practices: list[dict]) -> None:
        for practice in practices:
            if practice["id"] == outcome[0]:
                practice["only_when"] = ["crisis"]

    for path in (content / "practices").glob("*.yaml"):
        edit_practices(content, path.name, bind)
    assert any("dimension 'outcome' has 5 practice(s)" in p for p in problems_of(content))


def test_every_ask_for_each_1on1_is_marked_and_only_those(bank):
    worded = {p.id for p in bank.practices if EVERY_ONE_ON_ONE.search(p.try_this)}
    marked = {p.id for p in bank.practices if p.every_one_on_one}
    assert worded == marked
    assert len(marked) >= 15
