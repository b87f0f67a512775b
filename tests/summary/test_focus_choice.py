"""Choosing the team's focus through the real request path: the candidates' buttons."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.pulse.blocks import ANSWER_PREFIX
from bot.summary.focus_store import PulseFocus
from tests.support.harness import ALICE, BOB, CAROL, DAN, text_of
from tests.support.pulse_steps import (
    MANAGERS_ANSWER,
    pinned_questions,
    pulse_dms,
    question_ids,
    set_up_team,
    tick,
)
from tests.support.summary_steps import candidate_buttons, summary_for
from tests.support.team_history import FIRST_MONDAY, WEEKS, build_history

AFTER = FIRST_MONDAY + timedelta(weeks=WEEKS)


def stored(harness) -> list[tuple[str, str | None]]:
    with harness.services.database.reading() as session:
        rows = session.scalars(select(PulseFocus))
        return [(row.dimension_id, row.chosen_by) for row in rows]


def test_a_managers_choice_holds_across_summaries_for_every_manager(harness, bank):
    build_history(harness, bank)
    # Carol manages the team too; the history's digests carried the suggested focus.
    set_up_team(harness, ALICE, managers={"managers": [ALICE, CAROL]})
    suggested = stored(harness)
    assert len(suggested) == 1 and suggested[0][1] is None
    harness.services.now.set(AFTER)
    summary = summary_for(harness, ALICE)
    buttons = candidate_buttons(summary)
    assert len(buttons) == 2
    # She chooses the candidate that is not the suggested focus.
    other = next(area for area in buttons if area != suggested[0][0])
    name = bank.dimension_by_id[other].name
    assert f"Focus: {name}" not in text_of(summary)
    assert harness.slack.click(ALICE, summary, buttons[other]).status == 200
    harness.wait_for_text(ALICE, f"{name}* is now the focus")
    assert stored(harness) == [(other, ALICE)]
    with harness.services.database.reading() as session:
        chosen_at = session.get(PulseFocus, 1).chosen_at

    # Slack retries the click (or she clicks again): nothing changes.
    harness.services.now.set(AFTER + timedelta(minutes=5))
    assert harness.slack.click(ALICE, summary, buttons[other]).status == 200
    harness.wait_until_idle()
    with harness.services.database.reading() as session:
        row = session.get(PulseFocus, 1)
        assert (row.dimension_id, row.chosen_by, row.chosen_at) == (other, ALICE, chosen_at)

    # Her next summary, and Carol's, follow the choice and say who made it.
    for manager in (ALICE, CAROL):
        text = text_of(summary_for(harness, manager))
        assert f"Focus: {name}" in text and f"Chosen by <@{ALICE}>" in text
        assert "_the chosen focus_" in text


def test_a_non_manager_cannot_choose_the_focus(harness, bank):
    admin = "U0ADMIN"
    harness.workspace.add_user(admin, "admin", is_admin=True)
    build_history(harness, bank)
    set_up_team(harness, ALICE, admins={"admins": ["admins_may_view"]})
    before = stored(harness)
    harness.services.now.set(AFTER)
    # A workspace admin the team lets see its summaries is offered the buttons...
    opens = AFTER
    tick(harness, opens)
    for user in (ALICE, BOB, CAROL, DAN):
        for question in question_ids(pulse_dms(harness, user)[-1]):
            harness.slack.click(user, pulse_dms(harness, user)[-1], f"{ANSWER_PREFIX}{question}:2")
    tick(harness, opens + timedelta(days=3, minutes=1))
    summary = summary_for(harness, admin)
    buttons = candidate_buttons(summary)
    assert buttons
    # ...but a click is refused, saying who can choose, and nothing is stored.
    area = next(iter(buttons))
    assert harness.slack.click(admin, summary, buttons[area]).status == 200
    refusal = text_of(harness.wait_for_text(admin, "can choose its focus"))
    assert f"Only this team's managers (<@{ALICE}>) can choose its focus" in refusal
    assert [chosen_by for _, chosen_by in stored(harness)] == [None]
    assert before


def test_at_the_ceiling_the_summary_offers_a_stretch(harness, bank):
    harness.services.now.set(FIRST_MONDAY - timedelta(days=3))
    questions = pinned_questions(bank)
    set_up_team(harness, ALICE, questions={"questions": questions}, **MANAGERS_ANSWER)
    for week in range(3):
        opens = FIRST_MONDAY + timedelta(weeks=week)
        tick(harness, opens)
        for member, user in enumerate((ALICE, BOB, CAROL, DAN)):
            for index, question in enumerate(questions):
                # Every area 4.0 or above; goals (the third) the lowest at 4.25.
                score = 4 if index == 2 and member == 0 else 5 - (index == 2 and member < 3)
                harness.slack.click(
                    user, pulse_dms(harness, user)[-1], f"{ANSWER_PREFIX}{question}:{score}"
                )
        tick(harness, opens + timedelta(days=3, minutes=1))
    harness.services.now.set(FIRST_MONDAY + timedelta(weeks=3))
    text = text_of(summary_for(harness, ALICE))
    assert "no focus needed" not in text
    assert "Stretch focus: Goals and priorities" in text
    assert "Every area is at 4.0 or above, so here is a stretch" in text
