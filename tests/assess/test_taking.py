"""`/lvm assess` through the real request path: typed, answered in its form, submitted as
Slack submits it; the result checked against a hand computation (reverse-worded statements
included), a retake's change, the chart in the person's DM, their own App Home, and a
submission Slack sends twice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.assess.store import TakenAssessment
from tests.support.assess_steps import (
    answers_by_pole,
    open_form,
    result_messages,
    submit,
    take,
)
from tests.support.harness import ALICE, BOB, TEAM_CHANNEL, text_of
from tests.support.simultaneous import all_at_once

PNG = b"\x89PNG\r\n\x1a\n"

# As answered; what each counts for its pole is in tests/assess/test_scoring.py (HAND).
HAND = {
    "vision-long-run": 4,
    "goals-numbers-and-dates": 2,
    "future-seldom-discussed": 2,  # reverse: counts 4
    "purpose-today-clear": 3,
    "question-the-usual-way": 5,
    "plans-shift-often": 4,  # reverse: counts 2
    "rarely-win-support": 1,  # reverse: counts 5
    "settle-stuck-decisions": 4,
    "ask-how-people-are": 3,
    "late-to-check-work": 2,  # reverse: counts 4
    "wait-for-certainty": 4,  # reverse: counts 2
    "spot-risks-early": 3,
    "time-for-new-ideas": 4,
    "routines-never-trimmed": 5,  # reverse: counts 1
    "coach-not-answer": 2,
    "clear-instructions": 5,
}


def stored(harness) -> list[TakenAssessment]:
    with harness.services.database.reading() as session:
        rows = list(session.scalars(select(TakenAssessment).order_by(TakenAssessment.id)))
        session.expunge_all()
    return rows


def test_the_result_matches_a_hand_computation_and_only_the_person_sees_it(harness, clock):
    take(harness, ALICE, HAND)
    [result] = result_messages(harness, ALICE)
    shown = text_of(result)
    # Leading 29/8 = 3.625 and managing 24/8 = 3.0: 0.625 toward leading, past 0.5.
    assert (
        "*You are leaning leader.* Your leading statements average 3.6 and your managing ones "
        "3.0, each on the 1 to 5 scale: 0.6 toward leading."
    ) in shown
    for line in [
        "• *Vision and goals*: leans to _picturing the long run_ (Picturing the long run 4.0 · "
        "Setting measurable targets 2.0)",
        "• *Change and stability*: leans to _pushing for change_ (Pushing for change 5.0 · "
        "Keeping things steady 2.0)",
        "• *Influence and authority*: leans to _winning people over_ (Winning people over 5.0 · "
        "Deciding from the role 4.0)",
        "• *People and tasks*: leans to _the work and its dates_ (The people 3.0 · The work and "
        "its dates 4.0)",
        "• *Innovation and efficiency*: leans to _room for new ideas_ (Room for new ideas 4.0 · "
        "Lean, reliable routines 1.0)",
        "• *Development and direction*: leans to _clear instructions_ (Growing people 2.0 · "
        "Clear instructions 5.0)",
    ]:
        assert line in shown
    # The two lowest areas: planning (its one statement, reversed: 6 - 5) and growth (2).
    assert "• *Clearing the way* (you rate yourself 1.0 of 5): Plan within" in shown
    assert "• *Coaching and growth* (you rate yourself 2.0 of 5): Coach instead" in shown
    buttons = [b["accessory"]["text"]["text"] for b in result["blocks"] if b.get("accessory")]
    assert buttons == ["Add to my plan"] * 3
    # Ephemeral, where it was typed: only Alice sees it.
    assert result["is_ephemeral"] and result["channel"] == TEAM_CHANNEL
    assert result_messages(harness, BOB) == []
    [row] = stored(harness)
    assert (row.user_id, row.answers, row.taken_at) == (ALICE, HAND, clock())
    assert len(row.offered) == 3


def test_a_retake_from_the_results_button_shows_the_change_since_last_time(harness, bank):
    even = answers_by_pole(bank.assessment, leading=3, managing=3)
    take(harness, ALICE, even)
    first = text_of(result_messages(harness, ALICE)[-1])
    assert "*You are balanced.*" in first and "Since last time" not in first

    harness.services.now.set(harness.services.now() + timedelta(days=30))
    opened = len(harness.workspace.calls_to("views.open"))
    harness.slack.click(ALICE, result_messages(harness, ALICE)[-1], "assess.take")
    harness.workspace.wait_for(
        lambda: len(harness.workspace.calls_to("views.open")) > opened, what="the form again"
    )
    submit(harness, ALICE, harness.workspace.top_view(ALICE), HAND)
    harness.workspace.wait_for(lambda: len(result_messages(harness, ALICE)) == 2, what="result")
    retake = result_messages(harness, ALICE)[-1]
    shown = text_of(retake)
    # Reached through the button's response_url: ephemeral again, the first result kept.
    assert retake["is_ephemeral"] and retake["source"] == "response_url"
    assert "Since last time* (<!date^" in shown
    assert "you moved 0.6 toward leading overall." in shown
    assert "• you moved 2.0 toward leading on *Vision and goals*" in shown
    assert "• you moved 3.0 toward managing on *Development and direction*" in shown
    assert "• you moved 1.0 toward managing on *People and tasks*" in shown
    assert "no change on" not in shown

    # The same answers once more: nothing moved, and it says so.
    harness.wait_until_idle()
    harness.services.now.set(harness.services.now() + timedelta(days=30))
    take(harness, ALICE, HAND)
    third = text_of(result_messages(harness, ALICE)[-1])
    assert "your overall balance did not move." in third
    assert "• no change on Vision and goals, Vision and mission, Change and stability" in third
    assert len(stored(harness)) == 3


def test_the_chart_is_uploaded_to_the_persons_dm_as_a_png(harness, bank):
    take(harness, ALICE, HAND)
    [chart] = harness.workspace.files
    assert chart.content is not None and chart.content.startswith(PNG)
    assert chart.channels == [harness.workspace.dm_channel_id(ALICE)]
    assert chart.shared_with_users == [ALICE]
    assert chart.filename == "lvm-balance-2026-11-23.png"
    assert chart.alt_txt is not None
    assert "on 2026-11-23: leaning leader" in chart.alt_txt
    assert "Development and direction -3.0 toward clear instructions" in chart.alt_txt
    assert "Overall +0.6 toward leading" in chart.alt_txt  # 0.625, half up
    # Slack's upload in three steps: a URL, the bytes, then sharing it.
    assert len(harness.workspace.calls_to("files.getUploadURLExternal")) == 1
    assert len(harness.workspace.calls_to("files.completeUploadExternal")) == 1
    assert harness.workspace.calls_to("files.upload") == []

    harness.services.now.set(harness.services.now() + timedelta(days=7))
    take(harness, ALICE, answers_by_pole(bank.assessment, leading=3, managing=3))
    retake = harness.workspace.files[-1]
    assert retake.alt_txt is not None and "diamond where it was on 2026-11-23" in retake.alt_txt
    assert "Vision and goals 0.0 (even), was +2.0" in retake.alt_txt


def test_the_app_home_shows_a_result_to_its_person_alone(harness):
    take(harness, ALICE, HAND)
    alice = text_of(harness.open_home(ALICE))
    assert "Your balance: leading and managing" in alice
    assert "*You are leaning leader.*" in alice and "Week 1 ·" in alice
    bob = text_of(harness.open_home(BOB))
    assert "Know your balance" in bob
    assert "leaning" not in bob and "Week 1 ·" not in bob


def test_taken_from_the_home_tab_the_result_comes_by_dm_and_onto_home(harness, bank):
    home = harness.open_home(BOB)
    harness.slack.click_in_view(BOB, home, "assess.take")
    form = harness.workspace.wait_for(lambda: harness.workspace.top_view(BOB), what="the form")
    publishes = len(harness.workspace.calls_to("views.publish"))
    submit(harness, BOB, form, answers_by_pole(bank.assessment, leading=2, managing=4))
    result = harness.workspace.wait_for(
        lambda: (result_messages(harness, BOB) or [None])[-1], what="the result"
    )
    assert result["channel"] == harness.workspace.dm_channel_id(BOB)
    assert "*You are leaning manager.*" in text_of(result)
    harness.workspace.wait_for(
        lambda: len(harness.workspace.calls_to("views.publish")) > publishes,
        what="Home published again",
    )
    assert "*You are leaning manager.*" in text_of(harness.workspace.home_view(BOB))


def test_a_submission_slack_sends_again_is_stored_and_answered_once(harness):
    form = open_form(harness, ALICE)
    first = submit(harness, ALICE, form, HAND)
    harness.workspace.wait_for(lambda: result_messages(harness, ALICE), what="the result")
    harness.wait_until_idle()
    state = first.sent["view"]["state"]["values"]
    again = harness.slack.send_view_submission(ALICE, form, state, retry_num=1)
    assert again.status == 200 and not (again.json or {}).get("errors")
    harness.wait_until_idle()
    assert len(stored(harness)) == 1
    assert len(result_messages(harness, ALICE)) == 1
    assert len(harness.workspace.files) == 1


def test_the_same_submission_sent_four_times_at_once_is_stored_and_answered_once(harness):
    form = open_form(harness, ALICE)
    state = {
        k: {k: {"type": "static_select", "selected_option": {"value": str(v)}}}
        for k, v in HAND.items()
    }
    sent = all_at_once(
        [lambda: harness.slack.send_view_submission(ALICE, form, state) for _ in range(4)]
    )
    assert [r.status for r in sent] == [200] * 4
    harness.workspace.wait_for(lambda: result_messages(harness, ALICE), what="the result")
    harness.wait_until_idle()
    assert len(stored(harness)) == 1
    assert len(result_messages(harness, ALICE)) == 1
    assert len(harness.workspace.files) == 1


def test_values_from_the_form_are_what_the_store_keeps(harness, bank):
    # The form's options carry the numbers: "4 · Agree" is stored as 4.
    form = open_form(harness, ALICE)
    select_element = form["blocks"][1]["element"]
    assert [o["text"]["text"] for o in select_element["options"]] == [
        "1 · Strongly disagree",
        "2 · Disagree",
        "3 · Neither",
        "4 · Agree",
        "5 · Strongly agree",
    ]
    assert [b["block_id"] for b in form["blocks"][1:]] == [s.id for s in bank.assessment.statements]
    assert all(b["type"] == "input" and not b.get("optional") for b in form["blocks"][1:])
    submit(harness, ALICE, form, HAND)
    harness.workspace.wait_for(lambda: stored(harness), what="the assessment stored")
    assert stored(harness)[0].answers == HAND


def test_a_reply_url_that_expired_while_the_form_was_open_gives_way_to_the_dm(harness):
    form = open_form(harness, ALICE)
    # Slack accepts a command's response_url for 30 minutes; this form stayed open longer.
    opened_at = harness.workspace.clock()
    harness.workspace.clock = lambda: opened_at + 31 * 60
    submit(harness, ALICE, form, HAND)
    result = harness.workspace.wait_for(
        lambda: (result_messages(harness, ALICE) or [None])[-1], what="the result"
    )
    assert result["channel"] == harness.workspace.dm_channel_id(ALICE)
    assert [c.status for c in harness.workspace.calls_to("response_url")][-1] == 404


def test_a_chart_slack_refuses_still_leaves_the_result_and_the_home_tab(harness, caplog):
    harness.fake.fail_next("files.getUploadURLExternal", "invalid_arguments")
    publishes = len(harness.workspace.calls_to("views.publish"))
    take(harness, ALICE, HAND)
    assert harness.workspace.files == []
    assert "*You are leaning leader.*" in text_of(result_messages(harness, ALICE)[-1])
    assert len(harness.workspace.calls_to("views.publish")) > publishes
    assert any(
        "sending the chart of a self-assessment failed" in r.getMessage() for r in caplog.records
    )
    assert len(stored(harness)) == 1


def test_a_form_slack_will_not_open_says_to_type_the_command_again(harness):
    harness.fake.fail_next("views.open", "expired_trigger_id")
    harness.slack.command(ALICE, "assess", channel_id=TEAM_CHANNEL)
    told = text_of(harness.wait_for_text(ALICE, "Slack took too long to let me open the form"))
    assert "Please type `/lvm assess` again." in told
    assert harness.workspace.top_view(ALICE) is None
