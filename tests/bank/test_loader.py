"""The bank loader names the file and entry of every problem."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.tips.content_check import check_rendering, describe
from tests.support.bank_copies import edit_practices, edit_statements, problems_of


def test_the_shipped_bank_meets_every_rule(bank):
    check_rendering(bank)
    assert len(bank.practices) >= 120
    summary = "\n".join(describe(bank))
    assert "practices per lens: leadership" in summary


def test_a_duplicate_id_is_named_with_its_file(content):
    edit_practices(content, "contrasts.yaml", lambda ps: ps.append(dict(ps[0])))
    problems = problems_of(content)
    assert any("contrasts.yaml" in p and "used more than once" in p for p in problems)


def test_an_overlong_field_names_the_entry_and_field(content):
    def lengthen(practices: list[dict]) -> None:
        practices[2]["title"] = "x" * 200

    edit_practices(content, "management-skills.yaml", lengthen)
    problems = problems_of(content)
    assert any("management-skills.yaml" in p and "#3" in p and "title" in p for p in problems)


def test_unknown_topics_and_missing_fields_are_named(content):
    def break_two(practices: list[dict]) -> None:
        practices[0]["topics"] = ["not-a-topic"]
        del practices[1]["try_this"]

    edit_practices(content, "leadership-skills.yaml", break_two)
    problems = "\n".join(problems_of(content))
    assert "unknown topic 'not-a-topic'" in problems
    assert "try_this" in problems


def test_a_thin_topic_is_reported(content):
    edit_practices(
        content,
        "styles-and-balance.yaml",
        lambda ps: ps.__setitem__(
            slice(None), [p for p in ps if "autocratic-style" not in p["topics"]]
        ),
    )
    problems = problems_of(content)
    assert any("autocratic-style" in p and "at least 4" in p for p in problems)


def test_broken_yaml_names_the_file(content):
    (content / "practices" / "contrasts.yaml").write_text("practices: [unclosed")
    problems = problems_of(content)
    assert any("contrasts.yaml" in p and "cannot be read" in p for p in problems)


def test_a_practice_naming_an_unknown_dimension_is_named_with_its_file(content):
    def misdirect(practices: list[dict]) -> None:
        practices[0]["dimensions"] = ["trust", "not-a-dimension"]

    edit_practices(content, "leadership-skills.yaml", misdirect)
    [problem] = [p for p in problems_of(content) if "not-a-dimension" in p]
    first = yaml.safe_load((content / "practices" / "leadership-skills.yaml").read_text())
    assert "leadership-skills.yaml" in problem and f"'{first['practices'][0]['id']}'" in problem
    assert "unknown dimension 'not-a-dimension'" in problem


def test_a_dimension_with_five_practices_is_reported(content, bank):
    pool = [p.id for p in bank.practices_for_dimension("outcome")]
    keep = set(pool[:5])

    def thin(practices: list[dict]) -> None:
        for practice in practices:
            if "outcome" in practice.get("dimensions", []) and practice["id"] not in keep:
                practice["dimensions"].remove("outcome")

    for path in (content / "practices").glob("*.yaml"):
        edit_practices(content, path.name, thin)
    problems = problems_of(content)
    assert problems == [
        f"{content / 'questions.yaml'}: dimension 'outcome' has 5 practice(s) that act on its "
        "statements and are not bound to a situation; it needs at least 6 (list it under "
        "`dimensions:` of the practices in content/practices/*.yaml that fit)"
    ]


def test_the_content_check_lists_each_dimensions_pool(bank):
    summary = describe(bank)
    start = summary.index("practices per pulse dimension (a focus on it draws from these):")
    rows = summary[start + 1 : start + 1 + len(bank.dimensions)]
    for row, dimension in zip(rows, bank.dimensions, strict=True):
        dimension_id, count, *_ = row.split()
        assert dimension_id == dimension.id
        # event-bound practices are never a focus pick, so the pool leaves them out
        pool = [p for p in bank.practices if dimension.id in p.dimensions and not p.only_when]
        assert int(count) == len(pool) >= 6


def edit_followups(content: Path, change) -> None:
    edit_statements(content, lambda data: change(data["followups"]))


def test_every_area_about_the_lead_has_one_followup_and_no_other_area_does(bank):
    lead = [d.id for d in bank.dimensions if d.about.value == "lead"]
    assert sorted(bank.followup_by_dimension) == sorted(lead)
    for followup in bank.followups:
        assert followup.text.startswith("Lately, my lead has")
        assert bank.question_by_id[followup.id] is followup  # a round may ask it
        assert followup not in bank.asked_questions  # but no rotation or pinned set does
    assert "10 follow-up statements" in describe(bank)[0]


def test_a_missing_or_misplaced_followup_is_reported(content):
    def break_them(followups: list[dict]) -> None:
        followups.pop(0)  # direction loses its follow-up
        followups[0]["dimension"] = "workload"  # change's becomes one about the team
        followups[1]["anchor"] = True

    edit_followups(content, break_them)
    problems = "\n".join(problems_of(content))
    assert "dimension 'direction' has 0 follow-up statement(s)" in problems
    assert "dimension 'change' has 0 follow-up statement(s)" in problems
    assert "follow-up 'followup-change': needs the `dimension` about the lead" in problems
    assert "follow-up 'followup-influence': a follow-up holds only id, dimension and text" in (
        problems
    )
