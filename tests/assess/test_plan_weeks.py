"""A growth plan week by week, through the real request path: accepted steps come back one a
week at the person's 9:00 in the order accepted, each DM once however many clocks run; the
week's check-in is answered with a reflection and shown on Home; a step can be removed, the
plan stopped, and a retake stops the old plan's steps still to come.

Alice is in Europe/London (BST, UTC+1, until 25 October 2026). She takes the assessment on
Monday 7 September 2026 at 11:00 her time.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.assess.store import GrowthPlanStep
from bot.platform.checkin_form import REFLECTION_INPUT
from tests.support.assess_steps import answers_by_pole, result_messages, take
from tests.support.harness import ALICE, BOB, text_of
from tests.support.plan_weeks import (
    CHECKIN,
    NUDGE,
    REFLECTION,
    START,
    accept,
    dms,
    morning,
    two_clocks,
)


def steps(harness) -> list[GrowthPlanStep]:
    with harness.services.database.reading() as session:
        rows = list(session.scalars(select(GrowthPlanStep).order_by(GrowthPlanStep.accepted_at)))
        session.expunge_all()
        return rows


def test_steps_come_back_one_a_week_in_the_order_accepted_and_their_checkins_are_kept(
    harness, bank
):
    harness.services.now.set(START)
    take(harness, ALICE, answers_by_pole(bank.assessment, leading=4, managing=2))
    row = accept(harness, [2, 1, 3])
    titles = [bank.practice_by_id[row.offered[w - 1]].title for w in (2, 1, 3)]

    # Each week starts at 9:00 London the morning after the previous one ends; its check-in
    # is at 16:00 London on its seventh day.
    assert [(s.week_index, s.starts_at, s.checkin_at) for s in steps(harness)] == [
        (2, morning(1), morning(7) + timedelta(hours=7)),
        (1, morning(8), morning(14) + timedelta(hours=7)),
        (3, morning(15), morning(21) + timedelta(hours=7)),
    ]
    home = text_of(harness.open_home(ALICE))
    assert "its week starts" in home and "*Your plan*: 3 steps, 0 weeks over, 0 done." in home

    # Nothing before its morning; then each nudge once, however many clocks tick.
    two_clocks(harness, morning(1) - timedelta(minutes=5))
    assert dms(harness, NUDGE) == []
    for week, day in enumerate((1, 8, 15), start=1):
        two_clocks(harness, morning(day) + timedelta(seconds=30))
        nudges = dms(harness, NUDGE)
        assert len(nudges) == week
        assert f"Week {week} of 3 of your growth plan" in text_of(nudges[-1])
        assert titles[week - 1] in text_of(nudges[-1])
        if week == 1:
            # The first week's check-in: asked once at its end, answered with a reflection.
            two_clocks(harness, morning(7) + timedelta(hours=7, seconds=30))
            (asked,) = dms(harness, CHECKIN)
            assert titles[0] in text_of(asked)
            harness.slack.click(ALICE, asked, "assess.step_checkin.partly")
            harness.wait_for_text(ALICE, "You said: *Partly*")
            harness.slack.click(ALICE, asked, "assess.step_reflect")
            modal = harness.workspace.wait_for(
                lambda: harness.workspace.top_view(ALICE), what="the reflection form"
            )
            response = harness.slack.submit_view(
                ALICE, modal, {REFLECTION_INPUT: {REFLECTION_INPUT: REFLECTION}}
            )
            assert response.status == 200 and not (response.json or {}).get("errors")
            harness.wait_for_text(ALICE, REFLECTION)
    nudges = dms(harness, NUDGE)
    assert [next(t for t in titles if t in text_of(m)) for m in nudges] == titles
    assert len(dms(harness, CHECKIN)) == 1  # weeks 2 and 3 have not ended
    first = steps(harness)[0]
    assert (first.answer, first.reflection) == ("partly", REFLECTION)

    home = text_of(harness.open_home(ALICE))
    assert f":checkered_flag: Week over: you said *Partly* · “{REFLECTION}”" in home
    assert "*Your plan*: 3 steps, 1 week over, 0 done." in home
    assert home.count(":seedling: In your plan: this week") == 2
    # Nobody else's Home shows any of it.
    assert REFLECTION not in text_of(harness.open_home(BOB))
    assert titles[0] not in text_of(harness.open_home(BOB))

    # A check-in not yet sent cannot be answered, even by a forged button.
    second = steps(harness)[1]
    harness.slack.click(ALICE, asked, "assess.step_checkin.done", value=f"{second.id}:done")
    harness.wait_for_text(ALICE, "hasn't started yet")
    assert steps(harness)[1].answer is None


def test_a_removed_step_and_a_stopped_plan_send_nothing_more(harness, bank):
    harness.services.now.set(START)
    take(harness, ALICE, answers_by_pole(bank.assessment, leading=2, managing=4))
    row = accept(harness, [1, 2, 3])
    home = harness.open_home(ALICE)
    removed = steps(harness)[1]
    harness.slack.click_in_view(ALICE, home, "assess.remove_step", value=str(removed.id))
    harness.workspace.wait_for(
        lambda: "Stopped: you removed it" in text_of(harness.workspace.home_view(ALICE)),
        what="Home to show the removed step",
    )
    two_clocks(harness, morning(1) + timedelta(seconds=30))
    two_clocks(harness, morning(8) + timedelta(seconds=30))  # the removed step's week
    assert len(dms(harness, NUDGE)) == 1
    # Stop the plan during week 1: nothing more comes, not even week 1's check-in.
    home = harness.open_home(ALICE)
    harness.slack.click_in_view(ALICE, home, "assess.stop_plan", value=str(row.id))
    harness.workspace.wait_for(
        lambda: "Stopped: you stopped the plan" in text_of(harness.workspace.home_view(ALICE)),
        what="Home to show the stopped plan",
    )
    for day in (7, 14, 15, 21):
        two_clocks(harness, morning(day) + timedelta(hours=7, seconds=30))
    assert len(dms(harness, NUDGE)) == 1
    assert dms(harness, CHECKIN) == []  # week 1's check-in was stopped with the plan
    assert [s.stopped_why for s in steps(harness)] == ["stopped", "removed", "stopped"]
    # Someone else's remove button changes nothing.
    bob_home = harness.open_home(BOB)
    assert "assess.remove_step" not in str(bob_home)


def test_a_retake_stops_the_old_plans_steps_still_to_come_and_says_so(harness, bank):
    harness.services.now.set(START)
    answers = answers_by_pole(bank.assessment, leading=4, managing=2)
    take(harness, ALICE, answers)
    accept(harness, [1, 2])
    two_clocks(harness, morning(1) + timedelta(seconds=30))
    two_clocks(harness, morning(7) + timedelta(hours=7, seconds=30))  # week 1 is over
    assert len(dms(harness, NUDGE)) == 1 and len(dms(harness, CHECKIN)) == 1

    harness.services.now.set(morning(8) - timedelta(hours=2))
    take(harness, ALICE, answers)
    said = harness.wait_for_text(ALICE, "Your earlier growth plan had 1 step still to come")
    assert "I stopped them" in text_of(said)
    assert [s.stopped_why for s in steps(harness)] == [None, "retaken"]
    for day in (8, 14):
        two_clocks(harness, morning(day) + timedelta(hours=7, seconds=30))
    assert len(dms(harness, NUDGE)) == 1 and len(dms(harness, CHECKIN)) == 1
    # The new result offers a new plan, with its buttons.
    assert "Add to my plan" in str(result_messages(harness, ALICE)[-1])
