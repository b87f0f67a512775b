"""The self-assessment's content rules (content/assessment.yaml): 12 to 16 statements, every
contrast of the articles asked on both poles, each statement on a known area of its pole's
side, a reverse-worded statement on each pole, and every area about the lead asked and
advised. Each is checked by breaking a copy of the shipped bank; `lvm-bot content check`
refuses the broken file, naming it and the entry."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bot.bank import About, Pole
from tests.support.bank_copies import edit_assessment, problems_of
from tests.support.command_line import lvm_bot


def statement(data: dict, statement_id: str) -> dict:
    return next(s for s in data["statements"] if s["id"] == statement_id)


def test_the_shipped_assessment_asks_every_contrast_and_area_on_both_poles(bank):
    assessment = bank.assessment
    assert assessment is not None
    assert 12 <= len(assessment.statements) <= 16
    contrasts = [t.id for t in bank.topics if "-vs-" in t.id]
    assert len(contrasts) == 8
    assert [c.id for c in assessment.contrasts] == contrasts
    poles = Counter((s.contrast, s.pole) for s in assessment.statements)
    assert all(poles[(c, pole)] >= 1 for c in contrasts for pole in Pole)
    lead_areas = {d.id: d.side for d in bank.dimensions if d.about is About.LEAD}
    assert {s.dimension for s in assessment.statements} == set(lead_areas)
    assert all(lead_areas[s.dimension] == s.pole.side for s in assessment.statements)
    assert {s.pole for s in assessment.statements if s.reverse} == set(Pole)
    assert sum(s.reverse for s in assessment.statements) >= 4
    assert assessment.label_of(1) == "1 · Strongly disagree"
    assert assessment.label_of(5) == "5 · Strongly agree"


def test_a_broken_assessment_is_refused_by_the_content_check_naming_file_and_entry(content):
    def break_it(data: dict) -> None:
        statement(data, "coach-not-answer")["contrast"] = "vision-vs-everything"
        statement(data, "clear-instructions")["dimension"] = "direction"

    edit_assessment(content, break_it)
    result = lvm_bot("content", "check", "--dir", str(content), cwd=content.parent)
    out = result.stdout + result.stderr
    assert result.returncode != 0
    path = content / "assessment.yaml"
    assert f"{path}: statement 'coach-not-answer': unknown contrast 'vision-vs-everything'" in out
    assert (
        f"{path}: statement 'clear-instructions': dimension 'direction' is on the leadership "
        "side, not the side of its pole 'managing'"
    ) in out


def test_an_unknown_area_and_a_missing_field_are_named(content):
    def break_it(data: dict) -> None:
        statement(data, "spot-risks-early")["dimension"] = "juggling"
        del statement(data, "ask-how-people-are")["pole"]

    edit_assessment(content, break_it)
    problems = "\n".join(problems_of(content))
    assert "statement 'spot-risks-early': unknown dimension 'juggling'" in problems
    assert "statements #9 'ask-how-people-are': pole: Field required" in problems


def test_a_contrast_asked_on_one_pole_only_is_refused(content):
    def drop_managing_mission(data: dict) -> None:
        data["statements"].remove(statement(data, "purpose-today-clear"))

    edit_assessment(content, drop_managing_mission)
    problems = problems_of(content)
    assert any(
        "contrast 'vision-vs-mission' has 1 statement(s), none on the managing pole; it needs "
        "at least 2, one on each pole" in p
        for p in problems
    )


def test_a_contrast_of_the_articles_left_out_is_refused(content):
    def drop_mission(data: dict) -> None:
        data["contrasts"] = [c for c in data["contrasts"] if c["id"] != "vision-vs-mission"]
        data["statements"] = [s for s in data["statements"] if s["contrast"] != "vision-vs-mission"]

    edit_assessment(content, drop_mission)
    problems = problems_of(content)
    assert any(
        "contrast 'vision-vs-mission' has no entry under `contrasts:`" in p for p in problems
    )


def test_too_few_or_too_many_statements_are_refused(content):
    def double(data: dict) -> None:
        data["statements"] += [{**s, "id": s["id"] + "-again"} for s in data["statements"][:2]]

    edit_assessment(content, double)
    assert any("has 18 statement(s); it asks 12 to 16" in p for p in problems_of(content))


def test_each_pole_needs_a_reverse_worded_statement(content):
    def unreverse_managing(data: dict) -> None:
        for entry in data["statements"]:
            if entry["pole"] == "managing":
                entry.pop("reverse", None)

    edit_assessment(content, unreverse_managing)
    problems = problems_of(content)
    assert any("no reverse-worded statement on the managing pole" in p for p in problems)
    assert not any("on the leading pole" in p for p in problems)


def test_every_area_about_the_lead_is_asked_and_advised(content):
    def forget_monitoring(data: dict) -> None:
        statement(data, "late-to-check-work")["dimension"] = "stability"
        data["areas"] = [a for a in data["areas"] if a["id"] != "planning"]

    edit_assessment(content, forget_monitoring)
    problems = problems_of(content)
    assert any("area 'monitoring' is asked by no statement" in p for p in problems)
    assert any("area 'planning' has no entry under `areas:` (its advice)" in p for p in problems)


def test_the_scale_needs_five_labels_and_the_threshold_a_positive_number(content):
    def break_it(data: dict) -> None:
        data["scale"] = data["scale"][:4]
        data["lean_threshold"] = -1

    edit_assessment(content, break_it)
    problems = "\n".join(problems_of(content))
    assert "assessment.yaml: scale: Tuple should have at least 5 items" in problems
    assert "assessment.yaml: lean_threshold: Input should be greater than 0" in problems


def test_a_missing_assessment_file_is_named(content: Path):
    (content / "assessment.yaml").unlink()
    problems = problems_of(content)
    assert any("assessment.yaml: missing" in p for p in problems)


def test_the_content_check_describes_the_assessment():
    result = lvm_bot("content", "check", cwd=Path.cwd())
    assert result.returncode == 0, result.stderr
    assert "self-assessment: 16 statements on 8 contrasts (6 reverse-worded), 10 areas" in (
        result.stdout
    )
