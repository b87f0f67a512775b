"""content/situation_guide.yaml's rules, each checked by breaking a copy of the shipped bank:
every id it names exists, each factor has a style that helps and one that hurts, and every
practice bound to a moment is reachable through one of its events."""

from __future__ import annotations

from pathlib import Path

from bot.bank import Lens
from tests.support.bank_copies import edit_situation_guide, problems_of
from tests.support.command_line import lvm_bot


def entry(entries: list[dict], key: str, value: str) -> dict:
    return next(e for e in entries if e[key] == value)


def checked(content: Path) -> tuple[int, str]:
    result = lvm_bot("content", "check", "--dir", str(content), cwd=content.parent)
    return result.returncode, result.stdout + result.stderr


def test_the_shipped_guide_has_eight_factors_four_styles_and_every_bound_moment(bank):
    guide = bank.situation_guide
    sides = [factor.side for factor in guide.factors]
    assert sides.count(Lens.LEADERSHIP) == 4 and sides.count(Lens.MANAGEMENT) == 4
    assert {style.topic for style in guide.styles} == {
        "autocratic-style",
        "democratic-style",
        "laissez-faire-style",
        "transformational-style",
    }
    bound = {situation for p in bank.practices for situation in p.only_when}
    assert {event.situation for event in guide.events} == bound


def test_a_style_naming_an_unknown_factor_or_moment_is_refused_by_content_check(content):
    def confuse(data: dict) -> None:
        entry(data["styles"], "id", "democratic")["helps"].append("telepathy")
        entry(data["styles"], "id", "autocratic")["hurts_after"].append("full-moon")

    edit_situation_guide(content, confuse)
    code, out = checked(content)
    assert code != 0
    assert "situation_guide.yaml: style 'democratic': helps: unknown factor 'telepathy'" in out
    assert "style 'autocratic': hurts_after: unknown situation 'full-moon'" in out


def test_a_moment_without_bound_practices_or_a_bound_moment_left_out_is_refused(content):
    def swap(data: dict) -> None:
        data["events"] = [e for e in data["events"] if e["situation"] != "crisis"]
        data["events"].append(
            {"situation": "new-team", "label": "New people joined", "implies": ["people"]}
        )

    edit_situation_guide(content, swap)
    problems = "\n".join(problems_of(content))
    assert "event 'new-team': no practice is bound to it (only_when)" in problems
    assert "practices are bound to situation 'crisis' but no event names it" in problems


def test_a_factor_on_no_side_or_unanswered_by_the_styles_is_refused(content):
    def unbalance(data: dict) -> None:
        entry(data["factors"], "id", "routine")["side"] = "both"
        for style in data["styles"]:
            style["hurts"] = [f for f in style["hurts"] if f != "efficiency"]

    edit_situation_guide(content, unbalance)
    problems = "\n".join(problems_of(content))
    assert "factor 'routine': side is 'leadership' or 'management'" in problems
    assert "factor 'efficiency': no style lists it under hurts" in problems


def test_an_overlong_label_names_the_file_entry_and_field(content):
    def lengthen(data: dict) -> None:
        entry(data["events"], "situation", "conflict")["label"] = "x" * 80
        entry(data["factors"], "id", "change")["topics"] = ["not-a-topic"]

    edit_situation_guide(content, lengthen)
    problems = "\n".join(problems_of(content))
    assert "situation_guide.yaml: events #3 'conflict': label:" in problems
    assert "factor 'change': unknown topic 'not-a-topic'" in problems


def test_a_bank_without_the_guide_is_refused(content):
    (content / "situation_guide.yaml").unlink()
    [problem] = problems_of(content)
    assert "situation_guide.yaml: missing" in problem
