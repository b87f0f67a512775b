"""The growth plan a result offers: three practices aimed at the two areas to develop, one a
week; "Add to my plan" stores the step once, on the person's own latest result only."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.assess import service
from bot.assess.store import GrowthPlanStep, TakenAssessment
from tests.support.assess_steps import answers_by_pole, result_messages, take
from tests.support.harness import ALICE, BOB, text_of

ADD = "assess.add_step"


def steps(harness) -> list[tuple[int, str, int]]:
    with harness.services.database.reading() as session:
        return [
            (s.assessment_id, s.practice_id, s.week_index)
            for s in session.scalars(select(GrowthPlanStep).order_by(GrowthPlanStep.id))
        ]


def assessment_of(harness, user: str) -> TakenAssessment:
    with harness.services.database.reading() as session:
        row = session.scalars(
            select(TakenAssessment)
            .where(TakenAssessment.user_id == user)
            .order_by(TakenAssessment.id.desc())
        ).first()
        assert row is not None
        session.expunge(row)
        return row


def add_buttons(message: dict) -> list[str]:
    return [
        b["accessory"]["value"]
        for b in message["blocks"]
        if (b.get("accessory") or {}).get("action_id") == ADD
    ]


def test_the_plan_aims_at_the_two_areas_and_a_step_is_added_once(harness, bank):
    # Managing low everywhere: the two lowest areas are managing ones.
    take(harness, ALICE, answers_by_pole(bank.assessment, leading=4, managing=2))
    row = assessment_of(harness, ALICE)
    result = result_messages(harness, ALICE)[-1]
    areas = ("goals", "stability")  # tied at 2, in the content's order
    assert "*Goals and priorities* (you rate yourself 2.0 of 5)" in text_of(result)
    practices = [bank.practice_by_id[p] for p in row.offered]
    assert [areas[0] in practices[0].dimensions, areas[1] in practices[1].dimensions] == [
        True,
        True,
    ]
    assert areas[0] in practices[2].dimensions
    assert not any(p.event_bound for p in practices)
    assert add_buttons(result) == [f"{row.id}:1", f"{row.id}:2", f"{row.id}:3"]

    harness.slack.click(ALICE, result, ADD, value=f"{row.id}:2")

    def with_two_buttons() -> dict | None:
        latest = result_messages(harness, ALICE)[-1]
        return latest if len(add_buttons(latest)) == 2 else None

    updated = harness.workspace.wait_for(with_two_buttons, what="the result to show the step")
    assert updated["ts"] == result["ts"]  # the same message, replaced
    assert f"*Week 2 · {practices[1].title}*" in text_of(updated)
    assert ":white_check_mark: In your plan" in text_of(updated)
    assert steps(harness) == [(row.id, row.offered[1], 2)]
    with harness.services.database.reading() as session:
        accepted = session.scalars(select(GrowthPlanStep.accepted_at)).one()
    assert accepted == harness.services.now()

    # A second press (a double click, a stale Home) adds nothing more.
    service.accept_step(
        harness.services, team_id=row.team_id, user_id=ALICE, assessment_id=row.id, week=2
    )
    assert len(steps(harness)) == 1
    harness.wait_until_idle()
    assert ":white_check_mark: In your plan" in text_of(harness.open_home(ALICE))


def test_a_step_added_from_home_shows_there(harness, bank):
    take(harness, ALICE, answers_by_pole(bank.assessment, leading=2, managing=4))
    home = harness.open_home(ALICE)
    publishes = len(harness.workspace.calls_to("views.publish"))
    harness.slack.click_in_view(ALICE, home, ADD, value=f"{assessment_of(harness, ALICE).id}:1")
    harness.workspace.wait_for(
        lambda: len(harness.workspace.calls_to("views.publish")) > publishes, what="Home again"
    )
    assert text_of(harness.workspace.home_view(ALICE)).count("In your plan") == 1
    assert len(steps(harness)) == 1


def test_nobody_adds_a_step_to_someone_elses_plan_or_an_old_result(harness, bank):
    answers = answers_by_pole(bank.assessment, leading=4, managing=2)
    take(harness, ALICE, answers)
    take(harness, BOB, answers)
    alice = assessment_of(harness, ALICE)
    bob_result = result_messages(harness, BOB)[-1]
    # Bob's own button, carrying Alice's assessment: refused, nothing stored.
    harness.slack.click(BOB, bob_result, ADD, value=f"{alice.id}:1")
    refusal = harness.wait_for_text(BOB, "I can't find that self-assessment of yours")
    assert "Your App Home shows your latest result" in text_of(refusal)
    harness.slack.click(BOB, bob_result, ADD, value="not:a:step")
    harness.wait_for_text(BOB, "That button is broken")
    assert steps(harness) == []

    # After a retake, the first result's plan is closed: the latest one is the plan.
    first = result_messages(harness, ALICE)[-1]
    harness.services.now.set(harness.services.now() + timedelta(days=14))
    take(harness, ALICE, answers)
    harness.slack.click(ALICE, first, ADD, value=f"{alice.id}:1")
    harness.wait_for_text(ALICE, "You have retaken the self-assessment since this result")
    assert steps(harness) == []


def test_a_retake_offers_practices_not_already_in_a_plan(harness, bank):
    answers = answers_by_pole(bank.assessment, leading=4, managing=2)
    take(harness, ALICE, answers)
    first = assessment_of(harness, ALICE)
    for week in (1, 2, 3):
        service.accept_step(
            harness.services,
            team_id=first.team_id,
            user_id=ALICE,
            assessment_id=first.id,
            week=week,
        )
    harness.services.now.set(harness.services.now() + timedelta(days=21))
    take(harness, ALICE, answers)
    second = assessment_of(harness, ALICE)
    assert second.id != first.id
    assert not set(second.offered) & set(first.offered)
