"""A self-assessment is the person's alone. A lead takes one while their team runs the pulse:
another manager of the team, a workspace admin the team lets see its results, and the
summary's CSV export see exactly what they saw before it; nobody else's messages, files or
Home tab carry anything of it; no log line carries the answers; `/lvm privacy` says so."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.bank import Bank
from bot.pulse.blocks import ANSWER_PREFIX
from tests.support.assess_steps import answers_by_pole, result_messages, take
from tests.support.harness import ALICE, BOB, CAROL, DAN, ERIN, TEAM_CHANNEL, Harness, text_of
from tests.support.pulse_steps import (
    SETUP_VALUES,
    pinned_questions,
    pulse_dms,
    question_ids,
    set_up_team,
    tick,
)
from tests.support.summary_steps import ADMIN, export_of, shown

OPENS = datetime(2026, 11, 23, 10, 0, 30, tzinfo=UTC)  # Monday 10:00 London (GMT)


@dataclass(frozen=True)
class Seen:
    summary: str
    export: bytes
    admin_summary: str
    home: str


def without_own_view(seen: str) -> str:
    """A summary as `shown` gives it, without the blocks of the viewer's self-view."""
    own = ("You beside your team", "Only you see your self-ratings")
    blocks = [block for block in json.loads(seen) if not any(o in json.dumps(block) for o in own)]
    return json.dumps(blocks, sort_keys=True)


def run_a_round(harness: Harness, bank: Bank) -> None:
    """Alice leads the team, Bob manages it with her, an admin may see it; three answer."""
    harness.workspace.add_user(ADMIN, "admin", is_admin=True)
    set_up_team(
        harness,
        ALICE,
        managers={"managers": [ALICE, BOB]},
        questions={"questions": pinned_questions(bank)},
        admins={"admins": ["admins_may_view"]},
    )
    assert SETUP_VALUES["threshold"] == {"threshold": "3"}  # so three answers show scores
    tick(harness, OPENS)
    for user in (CAROL, DAN, ERIN):
        for question in question_ids(pulse_dms(harness, user)[-1]):
            harness.slack.click(user, pulse_dms(harness, user)[-1], f"{ANSWER_PREFIX}{question}:4")
    tick(harness, OPENS + timedelta(days=3, minutes=1))  # closes
    harness.wait_until_idle()


def summary_of(harness: Harness, bank: Bank, user: str) -> str:
    before = len(harness.workspace.calls_to("response_url"))
    harness.slack.command(user, "summary", channel_id=TEAM_CHANNEL)
    harness.workspace.wait_for(
        lambda: len(harness.workspace.calls_to("response_url")) > before, what="the summary"
    )
    harness.wait_until_idle()
    return shown(harness.wait_for_text(user, "Participation")["blocks"], bank)


def what_others_see(harness: Harness, bank: Bank) -> Seen:
    return Seen(
        summary=summary_of(harness, bank, BOB),
        export=export_of(harness, BOB),
        admin_summary=summary_of(harness, bank, ADMIN),
        home=shown(harness.open_home(BOB)["blocks"], bank),
    )


def result_words(bank: Bank) -> list[str]:
    """Texts only a result (or its form) shows."""
    assessment = bank.assessment
    assert assessment is not None
    return [
        *(s.text for s in assessment.statements),
        *(a.advice for a in assessment.areas),
        *(pole for c in assessment.contrasts for pole in (c.leading, c.managing)),
        "leaning leader",
        "leaning manager",
        "you rate yourself",
        "Your balance",
        "In your plan",
    ]


def test_managers_admins_exports_and_summaries_see_nothing_of_a_leads_assessment(harness, bank):
    run_a_round(harness, bank)
    harness.open_home(BOB)  # the first visit's welcome, out of the way
    before = what_others_see(harness, bank)
    alice_before = summary_of(harness, bank, ALICE)
    assert "Vision and the why" in before.summary and b"direction" in before.export

    take(harness, ALICE, answers_by_pole(bank.assessment, leading=5, managing=1))
    result = result_messages(harness, ALICE)[-1]
    harness.slack.click(
        ALICE, result, "assess.add_step", value=result["blocks"][-3]["accessory"]["value"]
    )
    harness.wait_for_text(ALICE, "In your plan")
    harness.wait_until_idle()

    # Another manager of her team, an admin, and the CSV: exactly as before.
    assert what_others_see(harness, bank) == before
    # Her own summary of her team adds her self-ratings beside the team's, and nothing else
    # (tests/assess/test_self_beside_team.py reads them).
    alice_after = summary_of(harness, bank, ALICE)
    assert "You beside your team" in alice_after
    assert without_own_view(alice_after) == alice_before

    # Nothing anyone else can see carries any of it: messages, files, Home tabs.
    words = result_words(bank)
    for person in (BOB, CAROL, DAN, ERIN, ADMIN):
        seen = [text_of(m) for m in harness.workspace.messages_for(person)]
        home = harness.open_home(person)
        seen.append(text_of(home))
        assert [w for w in words if any(w in text for text in seen)] == [], person
    for stored in harness.workspace.files:
        if stored.filename.startswith("lvm-balance"):
            assert stored.channels == [harness.workspace.dm_channel_id(ALICE)]
            assert stored.shared_with_users == [ALICE]
        else:
            content = (stored.content or b"").decode("utf-8", errors="replace")
            assert [w for w in words if w in content or w in (stored.alt_txt or "")] == []
    # What she saw was hers alone: ephemeral in the channel, then the chart in her DM.
    assert result["is_ephemeral"]
    assert all(
        m["is_ephemeral"] or m["channel"].startswith("D") for m in result_messages(harness, ALICE)
    )


def test_no_log_line_carries_the_answers(harness, bank, caplog):
    caplog.set_level(logging.DEBUG)
    answers = answers_by_pole(bank.assessment, leading=5, managing=1)
    take(harness, ALICE, answers)
    result = result_messages(harness, ALICE)[-1]
    harness.slack.click(
        ALICE, result, "assess.add_step", value=result["blocks"][-3]["accessory"]["value"]
    )
    harness.wait_for_text(ALICE, "In your plan")
    harness.open_home(ALICE)
    harness.wait_until_idle()
    # The capture saw the form's submission and the reply being sent: it could have caught them.
    lines = [record.getMessage() for record in caplog.records]
    assert any("views.publish" in line for line in lines)
    assert any("files.completeUploadExternal" in line for line in lines)
    assessment = bank.assessment
    telling = [
        *(s.id for s in assessment.statements),
        *(s.text for s in assessment.statements),
        "selected_option",
        "leaning leader",
        "you rate yourself",
        assessment.scale[0],
        assessment.scale[4],
    ]
    assert [line for line in lines if any(t in line for t in telling)] == []


def test_lvm_privacy_says_what_the_self_assessment_keeps_and_who_sees_it(harness):
    harness.slack.command(ALICE, "privacy", channel_id=TEAM_CHANNEL)
    shown = text_of(harness.last_message(ALICE))
    assert "`/lvm assess`" in shown
    assert "only you see" in shown.lower()
    assert "answers" in shown and "growth plan" in shown
