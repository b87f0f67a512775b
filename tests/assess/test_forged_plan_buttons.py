"""A growth plan's buttons carry row ids: pressed by someone else with another person's ids
(a forged payload, or ids guessed from a shared screen), each is refused in plain words and
the other person's plan, check-ins and shares stay exactly as they were."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.assess.store import GrowthPlanStep, PlanShare
from tests.support.assess_steps import answers_by_pole, result_messages, take
from tests.support.harness import ALICE, BOB, CAROL, text_of
from tests.support.plan_weeks import (
    ADD,
    CHECKIN,
    START,
    dms,
    latest_assessment,
    morning,
    two_clocks,
)

NOT_YOURS = "I can't find that step in your growth plan"


def plans(harness) -> list[tuple]:
    with harness.services.database.reading() as session:
        return [
            (s.id, s.assessment_id, s.stopped_at, s.stopped_why, s.answer, s.reflection)
            for s in session.scalars(select(GrowthPlanStep).order_by(GrowthPlanStep.id))
        ]


def refusals_seen(harness, count: int) -> None:
    harness.workspace.wait_for(
        lambda: (
            len([m for m in harness.workspace.messages_for(BOB) if NOT_YOURS in text_of(m)])
            >= count
        ),
        what=f"Bob to see {count} refusal(s)",
    )


def accept_first_two(harness, user: str) -> None:
    row = latest_assessment(harness, user)
    for week in (1, 2):
        harness.slack.click(user, result_messages(harness, user)[-1], ADD, value=f"{row.id}:{week}")
        harness.wait_until_idle()


def test_someone_elses_plan_ids_in_every_plan_button_change_nothing(harness, bank):
    harness.services.now.set(START)
    for user in (ALICE, BOB):
        take(harness, user, answers_by_pole(bank.assessment, leading=4, managing=2))
        accept_first_two(harness, user)
    two_clocks(harness, morning(1) + timedelta(seconds=30))
    two_clocks(harness, morning(7) + timedelta(hours=7, seconds=30))  # week 1's check-ins
    alice = latest_assessment(harness, ALICE)
    alice_step = next(step for step in plans(harness) if step[1] == alice.id)[0]
    before = plans(harness)
    (bobs_checkin,) = dms(harness, CHECKIN, user=BOB)
    bob_home = harness.open_home(BOB)

    # Remove and stop, from Bob's own Home, carrying Alice's step and plan.
    harness.slack.click_in_view(BOB, bob_home, "assess.remove_step", value=str(alice_step))
    refusals_seen(harness, 1)
    harness.slack.click_in_view(BOB, bob_home, "assess.stop_plan", value=str(alice.id))
    refusals_seen(harness, 2)

    # Answer and reflect, from Bob's own check-in, carrying Alice's step.
    harness.slack.click(BOB, bobs_checkin, "assess.step_checkin.done", value=f"{alice_step}:done")
    refusals_seen(harness, 3)
    harness.slack.click(BOB, bobs_checkin, "assess.step_reflect", value=str(alice_step))
    refusals_seen(harness, 4)
    assert harness.workspace.top_view(BOB) is None  # no reflection form opened for her step

    # Share: the form opens (it holds nothing yet), and submitting it is refused on its field.
    harness.slack.click_in_view(BOB, harness.open_home(BOB), "assess.share", value=str(alice.id))
    form = harness.workspace.wait_for(
        lambda: harness.workspace.top_view(BOB), what="the share form"
    )
    response = harness.slack.submit_view(BOB, form, {"share_with": {"share_with": CAROL}})
    errors = (response.json or {}).get("errors") or {}
    assert "I can't find that self-assessment of yours" in errors.get("share_with", "")

    harness.wait_until_idle()
    assert plans(harness) == before
    with harness.services.database.reading() as session:
        assert list(session.scalars(select(PlanShare))) == []
    assert not harness.workspace.dm_messages(CAROL)
    assert "Stopped" not in text_of(harness.open_home(ALICE))
