"""The summary's Slack surfaces: valid Block Kit within Slack's limits, saying the right things."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import timedelta

import pytest
from slack_sdk.models.blocks import Block

from bot.summary.blocks import (
    CHOOSE_FOCUS,
    COMMENT_MENU,
    COMMENT_RESPONSES,
    COMMIT,
    COMMIT_ANNOUNCE,
    HOME_SETTINGS,
    HOME_SUMMARY,
    MAX_HOME_TEAMS,
    REPLY,
    CommitChoice,
    TeamGlance,
    commit_value,
    commitment_announcement,
    digest_message,
    home_view_for_manager,
    parse_comment_response,
    parse_commit_value,
    summary_message,
)
from bot.summary.commitment_blocks import commitment_confirmation
from bot.summary.focus import candidates_of, choose_focus
from bot.tips.blocks import ANOTHER, HELPFUL, NOT_FOR_ME, SHARE
from slack_standin import validate_blocks, validate_view
from tests.support.summary_history import monday


@pytest.fixture
def summary(sqlite_history):
    """Rendering needs no database of its own: one stored history serves every test here."""
    return sqlite_history.summary()


def day(moment) -> str:
    """How a summary names a date in Slack: each reader's own date format and zone."""
    return f"<!date^{int(moment.timestamp())}^{{date_short}}|{moment:%d %b %Y}>"


def check_message(message: dict) -> str:
    """Assert Slack would take the message; return its text for content checks."""
    assert message["text"]
    assert validate_blocks(message["blocks"]) == []
    assert len(message["blocks"]) <= 50
    for block in message["blocks"]:
        parsed = Block.parse(block)
        parsed.validate_json()  # slack_sdk's own limits
        assert parsed.to_dict() == block
    return json.dumps(message, ensure_ascii=False)


def buttons(message: dict) -> dict[str, str]:
    """Every button: in actions blocks, and beside a section (a focus candidate's)."""
    elements = [
        element
        for block in message["blocks"]
        for element in (
            block["elements"] if block["type"] == "actions" else [block.get("accessory") or {}]
        )
        if element.get("type") == "button"
    ]
    return {element["action_id"]: element["value"] for element in elements}


def test_the_summary_message(summary, bank):
    message = summary_message(summary, bank, "Platform")
    text = check_message(message)
    assert (
        f"100% answered the round of {day(monday(3))} (5 of 5), up 17 percentage points from "
        "the round before" in text
    )
    assert f"*Open now (opened {day(monday(4))}):* 5 of 6 answered so far" in text
    # Levels over weeks 0, 2 and 3 (test_numbers.py works them out), nothing before them.
    assert (
        "`▇▇▇` *Care and trust* 4.1 ±0.5 · 93% favorable · over 3 rounds, latest 4.2 · "
        "nothing earlier in this span to compare with" in text
    )
    assert "*Goals and priorities* 2.4 ±0.5 · 7% favorable · over 3 rounds, latest 2.2" in text
    assert "*Coaching and growth* 3.7 ±0.7 · 67% favorable · over 2 rounds, latest 3.4" in text
    assert "*Leading* 4.0 ±0.5 · 84% favorable" in text
    assert "*Managing* 2.4 ±0.5 · 7% favorable" in text
    assert "Your team experiences you as stronger at leading (4.0) than at managing (2.4)." in text
    assert f"Not enough answers to show the round of {day(monday(1))}" in text
    # By level, as the area lines read them, not by one round's value (4.2 and 2.2).
    assert "*Strongest:* Care and trust 4.1" in text
    assert "*Weakest:* Goals and priorities 2.4" in text
    assert "Focus: Goals and priorities" in text
    assert "Suggested by the pulse; it is at 2.4 ±0.5 · 7% favorable: the lowest area." in text
    # Two candidates, each with its reason and a button to choose it.
    assert "*Sustainable workload* 2.5 ±0.5 · 0% favorable: the next lowest area" in text
    assert {f"{CHOOSE_FOCUS}.goals", f"{CHOOSE_FOCUS}.workload"} <= set(buttons(message))
    assert f"What people said in the round of {day(monday(3))}" in text
    assert "-W4" not in text and "W38" not in text  # dates, never ISO week labels
    for comment in summary.comments:
        assert comment in text


def test_the_focus_carries_the_tip_buttons_and_the_commitment_buttons(summary, bank):
    actions = buttons(summary_message(summary, bank, "Platform"))
    practice = summary.focus.practice
    assert {ANOTHER, HELPFUL, NOT_FOR_ME, SHARE, COMMIT, COMMIT_ANNOUNCE} <= set(actions)
    assert actions[HELPFUL] == actions[SHARE] == practice.id
    assert actions[ANOTHER] == "area:goals"  # "Another tip" draws from the same pool
    expected = CommitChoice(summary.pulse_team_id, "goals", practice.id)
    assert parse_commit_value(actions[COMMIT]) == expected
    assert parse_commit_value(actions[COMMIT_ANNOUNCE]) == expected


@pytest.mark.parametrize("value", ["", "1:goals", "x:goals:p", "1::p", "1:goals:", "1:a:b:c"])
def test_a_forged_commit_value_is_refused(value):
    with pytest.raises(ValueError):
        parse_commit_value(value)
    assert parse_commit_value(commit_value(CommitChoice(3, "goals", "p"))) == CommitChoice(
        3, "goals", "p"
    )


def test_many_long_comments_stay_within_slack_limits(summary, bank):
    comments = tuple(f"{n:02d} " + "word " * 399 for n in range(40))  # 2000 characters each
    crowded = replace(summary, comments=comments)
    message = summary_message(crowded, bank, "Platform")
    text = check_message(message)
    assert "more comments did not fit in this message" in text
    for block in message["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000


def test_each_answerable_comment_has_a_menu_naming_only_its_reference(summary, bank):
    """Forty long comments that can all be answered: one section and menu each, as many as
    fit, in the summary's order; the menu names the comment's reference and nothing else."""
    comments = tuple(f"{n:02d} " + "word " * 399 for n in range(40))
    references = tuple(f"ref{n:02d}" for n in range(40))
    crowded = replace(summary, comments=comments, comment_references=references)
    for build in (summary_message, digest_message):
        message = build(crowded, bank, "Platform")
        text = check_message(message)
        assert "more comments did not fit in this message" in text
        menus = [
            b["accessory"]
            for b in message["blocks"]
            if b.get("accessory", {}).get("type") == "overflow"
        ]
        assert len(menus) > 10
        for n, menu in enumerate(menus):
            assert menu["action_id"] == f"{COMMENT_MENU}.ref{n:02d}"
            values = [option["value"] for option in menu["options"]]
            assert values == [f"{kind}:ref{n:02d}" for kind in COMMENT_RESPONSES]
            assert parse_comment_response(values[0]) == (REPLY, f"ref{n:02d}")
        assert "⋮ menu replies to its author" in text
        assert "Comments without a menu" not in text


def test_comments_that_cannot_be_answered_are_packed_and_said_so(summary, bank):
    mixed = replace(
        summary,
        comments=("first", "second", "third"),
        comment_references=("ref1", None, None),
    )
    message = summary_message(mixed, bank, "Platform")
    text = check_message(message)
    sections = [
        b
        for b in message["blocks"]
        if b["type"] == "section" and b["text"]["text"].startswith("> ")
    ]
    assert [b["text"]["text"] for b in sections] == ["> first", "> second\n> third"]
    assert "accessory" in sections[0] and "accessory" not in sections[1]
    assert "Comments without a menu cannot be answered" in text
    admins = replace(mixed, comment_references=(None, None, None))
    assert "⋮" not in check_message(summary_message(admins, bank, "Platform"))


@pytest.mark.parametrize("value", ["", "reply", "reply:", "nope:ref", "reply:a:b", ":ref"])
def test_a_forged_comment_response_is_refused(value):
    with pytest.raises(ValueError):
        parse_comment_response(value)


def test_every_area_restarted_and_many_comments_stay_within_slack_limits(summary, bank):
    """Thirteen areas, each with a series that starts over, both sides and their balance,
    and forty long comments: still one valid message."""
    template = summary.dimension("trust")
    every_area = tuple(
        replace(
            template,
            dimension_id=dimension.id,
            name=dimension.name,
            restarted_on=monday(2),
            basis=("a", "b") if index % 2 else ("a",),
        )
        for index, dimension in enumerate(bank.dimensions)
    )
    comments = tuple(f"{n:02d} " + "word " * 399 for n in range(40))
    crowded = replace(summary, dimensions=every_area, comments=comments)
    for build in (summary_message, digest_message):
        message = build(crowded, bank, "Platform")
        text = check_message(message)
        for dimension in bank.dimensions:
            assert f"*{dimension.name}* 4.1 ±0.5" in text
            assert f"*{dimension.name}:* a new" in text
        assert "a new set of statements from" in text
        assert "stronger at leading" in text
        for block in message["blocks"]:
            if block["type"] in ("section", "context"):
                texts = [block["text"]] if "text" in block else block["elements"]
                assert all(len(t["text"]) <= 3000 for t in texts)


def test_comments_and_names_cannot_ping_or_link(summary, bank):
    tricky = replace(
        summary,
        comments=("<!channel> see <https://evil.example|this> & <@U0PERSON1>",),
        team_name="<!here>",
    )
    text = check_message(summary_message(tricky, bank, "Platform"))
    assert "<!channel>" not in text and "<@U0PERSON1>" not in text and "<!here>" not in text
    assert "&lt;!channel&gt; see &lt;https://evil.example|this&gt; &amp; &lt;@U0PERSON1&gt;" in text


def test_a_summary_whose_latest_round_is_hidden(sqlite_history, bank):
    summary = sqlite_history.summary(now=monday(1) + timedelta(days=3, hours=1))
    text = check_message(summary_message(summary, bank, "Platform"))
    assert f"*Round of {day(monday(1))}:* not enough answers to show this round (2 of 6" in text
    # Said once, in the latest round's own note, not again among earlier hidden rounds.
    assert text.count("not enough answers") + text.count("Not enough answers") == 1
    assert "What people said" not in text


def test_a_summary_without_closed_rounds(sqlite_history, bank):
    summary = sqlite_history.summary(weeks=1)
    text = check_message(summary_message(summary, bank, "Platform"))
    assert "No round has closed in the last 1 week yet" in text
    assert COMMIT not in buttons(summary_message(summary, bank, "Platform"))


def test_when_every_area_is_high_the_focus_is_a_stretch(summary, bank):
    high = tuple(
        replace(trend, level=replace(trend.level, average=trend.level.average + 2.0))
        for trend in summary.dimensions
    )
    views = summary.rounds
    focus = choose_focus(high, bank, views=views, committed_practices=(), rng=random.Random(1))
    calm = replace(summary, dimensions=high, focus=focus, candidates=candidates_of(high, views))
    message = summary_message(calm, bank, "Platform")
    text = check_message(message)
    # The lowest level (goals, now 4.4) is offered as a stretch, not "no focus needed".
    assert "Stretch focus: Goals and priorities" in text
    assert "Every area is at 4.0 or above, so here is a stretch" in text
    assert "at 4.0 or above like every area: a stretch" in text
    assert COMMIT in buttons(message) and f"{CHOOSE_FOCUS}.workload" in buttons(message)


def test_the_digest_after_a_round_closes(summary, bank):
    message = digest_message(summary, bank, "Platform")
    text = check_message(message)
    assert message["text"] == "The pulse for Platform closed: 5 of 5 answered"
    assert "Focus: Goals and priorities" in text


def test_the_home_tab_glance(summary):
    glance = TeamGlance(summary=summary, next_round=monday(5))
    blocks = home_view_for_manager([glance])
    assert validate_view({"type": "home", "blocks": blocks}, allowed_types=("home",)) == []
    text = json.dumps(blocks, ensure_ascii=False)
    assert "*Platform*" in text and f"Round of {day(monday(3))}: 100% answered (5 of 5)" in text
    assert "Care and trust 4.1 · Coaching and growth 3.7" in text
    assert "Leading 4.0 · Managing 2.4: stronger at leading" in text
    assert "Open now: 5 of 6 answered" in text
    actions = buttons({"blocks": blocks})
    assert actions == {
        HOME_SUMMARY: str(summary.pulse_team_id),
        HOME_SETTINGS: str(summary.pulse_team_id),
    }

    quiet = replace(summary, open_round=None)
    text = json.dumps(home_view_for_manager([TeamGlance(quiet, monday(5))]))
    assert "Next round: <!date^" in text
    assert home_view_for_manager([]) == []


def test_the_home_tab_with_many_teams_stays_within_limits(summary):
    glances = [
        TeamGlance(replace(summary, pulse_team_id=n, team_name=f"Team {n}"), None)
        for n in range(MAX_HOME_TEAMS + 5)
    ]
    blocks = home_view_for_manager(glances)
    assert validate_view({"type": "home", "blocks": blocks}, allowed_types=("home",)) == []
    assert len(blocks) < 100 and "5 more" in json.dumps(blocks)


def test_a_commitment_told_to_the_team_and_to_the_manager(summary, bank):
    practice = summary.focus.practice
    announcement = commitment_announcement(
        practice, bank, manager_id="U0MANAGER", dimension_name="Goals and priorities"
    )
    text = check_message(announcement)
    assert "<@U0MANAGER> will try this practice" in text and practice.title in text
    due = monday(9)
    confirmation = commitment_confirmation(
        commitment_id=7,
        practice_title=practice.title,
        dimension_name="Goals and priorities",
        weeks=3,
        due_at=due,
        told=True,
        choices=(2, 3, 4),
    )
    text = check_message(confirmation)
    assert "I told the team" in text and f"for 3 weeks: until {day(due)}" in text
