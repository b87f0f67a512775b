"""Sharing a growth plan: "Share my plan" opens a form; the person picked gets a DM with the
areas to develop and the steps with how far along each is, and who shared it. Never the
answers, check-ins, reflections or per-contrast scores; the overall balance only if ticked.
Oneself, an app, a deactivated or unknown account are refused with a clear message; a
submission Slack sends again is shared once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.assess.store import GrowthPlanStep, PlanShare
from tests.support.assess_steps import answers_by_pole, take
from tests.support.harness import ALICE, BOB, CAROL, text_of
from tests.support.plan_weeks import CHECKIN, REFLECTION, accept, dms, morning, two_clocks

START = datetime(2026, 9, 7, 10, 0, tzinfo=UTC)
SHARED = "shared their growth plan with you"
NOTE = "Week one went fine, see you Thursday."


def open_share_form(harness) -> dict:
    home = harness.open_home(ALICE)
    harness.slack.click_in_view(ALICE, home, "assess.share")
    return harness.workspace.wait_for(
        lambda: (
            (v := harness.workspace.top_view(ALICE))
            and v["callback_id"] == "assess.share_form"
            and v
        ),
        what="the share form",
    )


def share(harness, form: dict, with_user: str, *, balance: bool = False, note: str = ""):
    values: dict = {"share_with": {"share_with": with_user}}
    if note:
        values["share_note"] = {"share_note": note}
    if balance:
        values["share_balance"] = {"share_balance": ["include"]}
    return harness.slack.submit_view(ALICE, form, values)


def errors_of(response) -> dict:
    return (response.json or {}).get("errors") or {}


def test_a_plan_shared_with_a_manager_shows_only_what_was_chosen(harness, bank):
    harness.services.now.set(START)
    take(harness, ALICE, answers_by_pole(bank.assessment, leading=4, managing=2))
    row = accept(harness, [1, 2])
    two_clocks(harness, morning(1) + timedelta(seconds=30))
    two_clocks(harness, morning(7) + timedelta(hours=7, seconds=30))
    (asked,) = dms(harness, CHECKIN)
    harness.slack.click(ALICE, asked, "assess.step_checkin.not_yet")
    harness.wait_for_text(ALICE, "You said: *Not yet*")
    with harness.services.database.transaction() as session:  # as the reflection form stores it
        session.scalars(select(GrowthPlanStep)).first().reflection = REFLECTION

    form = open_share_form(harness)
    response = share(harness, form, BOB, note=NOTE)
    assert response.status == 200 and not errors_of(response)
    dm = harness.wait_for_text(BOB, SHARED)
    harness.wait_for_text(ALICE, "I sent your growth plan to <@U0BOB>")
    shown = text_of(dm)
    titles = [bank.practice_by_id[p].title for p in row.offered[:2]]
    assert "<@U0ALICE> shared their growth plan with you" in shown
    assert NOTE in shown
    assert "*Areas they are developing*" in shown and "Goals and priorities" in shown
    assert f"Week 1: *{titles[0]}*" in shown and "week over" in shown
    assert f"Week 2: *{titles[1]}*" in shown and "to come" in shown
    # Not what she did not choose: her answers, check-ins, reflections, scores.
    for private in (REFLECTION, "Not yet", "Their balance", "leaning", "of 5", "2.0", "4.0"):
        assert private not in shown, private
    assert dm["channel"] == harness.workspace.dm_channel_id(BOB)

    # Slack sends the submission again: no second DM.
    again = harness.slack.send_view_submission(
        ALICE, form, response.sent["view"]["state"]["values"], retry_num=1
    )
    assert again.status == 200 and not errors_of(again)
    harness.wait_until_idle()
    assert len([m for m in harness.workspace.dm_messages(BOB) if SHARED in text_of(m)]) == 1

    # With the box ticked, the overall balance comes too, still no contrast.
    response = share(harness, open_share_form(harness), CAROL, balance=True)
    assert not errors_of(response)
    with_balance = text_of(harness.wait_for_text(CAROL, SHARED))
    assert "*Their balance*: leaning leader (leading 4.0, managing 2.0" in with_balance
    assert REFLECTION not in with_balance and "On each contrast" not in with_balance
    with harness.services.database.reading() as session:
        assert [(s.shared_with, s.with_balance) for s in session.scalars(select(PlanShare))] == [
            (BOB, False),
            (CAROL, True),
        ]
    # Bob's own Home shows nothing of Alice's plan.
    assert titles[0] not in text_of(harness.open_home(BOB))


def test_sharing_with_oneself_an_app_or_a_gone_account_is_refused_clearly(harness, bank):
    harness.services.now.set(START)
    take(harness, ALICE, answers_by_pole(bank.assessment, leading=2, managing=4))
    accept(harness, [1])
    harness.workspace.add_user("U0BOTTY", "botty", is_bot=True)
    harness.workspace.add_user("U0GONE", "gone", deleted=True)
    form = open_share_form(harness)
    for chosen, said in (
        (ALICE, "That's you"),
        ("U0BOTTY", "That is an app, not a person"),
        ("U0GONE", "That account is deactivated"),
        ("U0NOBODY", "Slack doesn't know that person"),
    ):
        response = share(harness, form, chosen)
        assert response.status == 200
        assert said in errors_of(response)["share_with"], (chosen, errors_of(response))
    harness.wait_until_idle()
    with harness.services.database.reading() as session:
        assert list(session.scalars(select(PlanShare))) == []
    for user in (ALICE, "U0BOTTY"):
        assert not [m for m in harness.workspace.messages_for(user) if SHARED in text_of(m)]
