"""`/lvm forget me`: a confirmation first, then nothing of the person is left in any table,
while everyone else's data stays exactly as it was."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.assess.store import PlanShare, TakenAssessment
from bot.platform.forgetting import ForgetStep
from bot.pulse.store import FORGOTTEN_RECIPIENT, PulseAnswer, PulseRecipient, PulseTeam
from bot.pulse.teams import find_team
from bot.rights.blocks import FORGET_CANCEL, FORGET_CONFIRM
from bot.summary import focus_store
from bot.summary.checkins import plan_checkins
from bot.summary.commitments import commit
from bot.summary.focus import practices_for
from bot.tips.blocks import HELPFUL
from tests.support.assess_steps import answers_by_pole, take
from tests.support.harness import (
    ALICE,
    BOB,
    CAROL,
    DAN,
    ERIN,
    PULSE_SECRET,
    TEAM_CHANNEL,
    text_of,
)
from tests.support.pulse_steps import (
    MANAGERS_ANSWER,
    answer,
    pulse_dms,
    question_ids,
    set_up_team,
    tick,
)
from tests.support.stored_rows import all_rows, rows_naming, split_by_person
from tests.support.thread_steps import comment

WEDNESDAY = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
OPENS = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # the team's Monday 10:00 (London)


def tip_with_verdict(harness, person: str) -> None:
    harness.slack.command(person, "tip delegation", channel_id=TEAM_CHANNEL)
    tip = harness.wait_for_text(person, "Try this week")
    harness.slack.click(person, tip, HELPFUL)
    harness.wait_until_idle()


def a_workspace_where_alice_and_bob_did_everything(harness, bank) -> None:
    """Alice and Bob manage the team and are asked too; both take tips, schedule their own
    nudges, open the Home tab; Alice sets the channel's nudge, commits to a practice with a
    check-in waiting to go, chooses the focus, and opts out of later rounds. Alice, Bob and
    Carol comment on the round (each comment sealing its author's id)."""
    harness.services.now.set(WEDNESDAY)
    set_up_team(harness, ALICE, managers={"managers": [ALICE, BOB]}, **MANAGERS_ANSWER)
    for person in (ALICE, BOB):
        tip_with_verdict(harness, person)
        dm = harness.workspace.dm_channel_id(person)
        harness.slack.command(person, "nudge daily 08:30 feedback", channel_id=dm)
        harness.wait_for_text(person, "every working day")
        harness.open_home(person)
    harness.slack.command(ALICE, "nudge weekly mon 09:00 delegation", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "will get a practice every Monday")

    tick(harness, OPENS)
    for person in (ALICE, BOB, CAROL, DAN):
        dm = pulse_dms(harness, person)[-1]
        for question in question_ids(dm):
            answer(harness, person, dm, question, 4)
    for number, person in enumerate((ALICE, BOB, CAROL)):
        comment(harness, person, f"Comment number {number}.")
    harness.wait_until_idle()
    harness.slack.command(ALICE, "pulse optout", channel_id=TEAM_CHANNEL)
    harness.slack.command(CAROL, "pulse optout", channel_id=TEAM_CHANNEL)

    goals = next(d for d in bank.dimensions if d.id == "goals")
    with harness.services.database.transaction() as session:
        team = find_team(session, harness.workspace.team_id, TEAM_CHANNEL)
        commit(
            session,
            bank,
            team,
            user_id=ALICE,
            dimension_id="goals",
            practice_id=practices_for(bank, goals)[0].id,
            announce=True,
            now=OPENS + timedelta(hours=1),
            weeks=2,
        )
        focus_store.choose(
            session,
            team_id=team.team_id,
            pulse_team_id=team.id,
            dimension_id="goals",
            user_id=ALICE,
            now=OPENS + timedelta(hours=1),
        )
    # The midpoint check-in is planned, and waits in the outbox (no tick drains it).
    assert plan_checkins(harness.services, OPENS + timedelta(weeks=1, hours=2)) == 1
    # Both take a self-assessment, and each showed their plan to the other.
    for person in (ALICE, BOB):
        take(harness, person, answers_by_pole(bank.assessment, leading=4, managing=2))
    with harness.services.database.transaction() as session:
        taken = {row.user_id: row.id for row in session.scalars(select(TakenAssessment))}
        for person, other in ((ALICE, BOB), (BOB, ALICE)):
            session.add(
                PlanShare(
                    team_id=harness.workspace.team_id,
                    view_id=f"V0SHARE{person}",
                    assessment_id=taken[person],
                    shared_with=other,
                    shared_at=OPENS + timedelta(hours=3),
                )
            )


def ask_to_forget(harness, person: str = ALICE) -> dict:
    harness.slack.command(person, "forget me", channel_id=TEAM_CHANNEL)
    return harness.wait_for_text(person, "Delete what lvm keeps about you")


def answers_stored(harness) -> int:
    with harness.services.database.reading() as session:
        return int(session.scalar(select(func.count()).select_from(PulseAnswer)) or 0)


def test_forgetting_leaves_nothing_of_the_person_and_everything_of_the_others(harness, bank):
    a_workspace_where_alice_and_bob_did_everything(harness, bank)
    # With the secret, test-side: a comment's sealed link reads as the id it opens to.
    before = all_rows(harness.services.database, secret=PULSE_SECRET)
    naming_alice = rows_naming(harness.services.database, ALICE, secret=PULSE_SECRET)
    # Every kind of thing lvm keeps about a person is here, so each must go.
    assert {
        "tips_shown",
        "tip_feedback",
        "tip_subscriptions",
        "pulse_teams",
        "pulse_optouts",
        "pulse_recipients",
        "pulse_commitments",
        "pulse_focus",
        "welcomes",
        "outbox",
        "assessments",
        "growth_plan_shares",
        "pulse_comments",
    } <= set(naming_alice)
    answers = answers_stored(harness)

    confirmation = text_of(ask_to_forget(harness))
    assert "Delete what lvm keeps about you in this workspace?" in confirmation
    assert f"You stop managing the pulse in <#{TEAM_CHANNEL}>" in confirmation
    assert "its next round asks you again" in confirmation
    assert f"The scheduled tips you set up in <#{TEAM_CHANNEL}> keep going" in confirmation
    assert "Your pulse answers and comments are not deleted" in confirmation
    assert (
        all_rows(harness.services.database, secret=PULSE_SECRET) == before
    )  # asking deletes nothing

    first = harness.slack.click(ALICE, harness.last_message(ALICE), FORGET_CONFIRM)
    done = text_of(harness.wait_for_text(ALICE, "Done: lvm has deleted"))
    assert "stay counted in your teams' results" in done
    # The same click again (a double click, or Slack's retry) finds nothing more to do.
    assert harness.slack._send_interaction(first.sent).status == 200
    harness.wait_for_text(ALICE, "there was nothing left to delete")

    # No table holds her id, and no sealed link opens to her.
    assert rows_naming(harness.services.database, ALICE, secret=PULSE_SECRET) == {}
    after = all_rows(harness.services.database, secret=PULSE_SECRET)
    alices, others = split_by_person(before, after, ALICE)
    # Every row of everyone else is still there, unchanged...
    for table, rows in others.items():
        assert [row for row in rows if row not in after[table]] == [], table
    # ...her commitment's check-in and the share of her plan went with them (they name
    # nobody themselves; Bob's share with her stays, without her)...
    assert alices["pulse_commitment_checkins"] and alices["growth_plan_shares"]
    assert not [
        row
        for row in alices["pulse_commitment_checkins"]
        if row in after["pulse_commitment_checkins"]
    ]
    # ...and the rows that named her and others rely on stay, without her.
    with harness.services.database.reading() as session:
        team = session.scalar(select(PulseTeam))
        assert team.managers == [BOB] and team.created_by == "forgotten"
        marks = session.scalars(
            select(PulseRecipient.user_id).where(
                PulseRecipient.user_id.startswith(FORGOTTEN_RECIPIENT)
            )
        ).all()
        assert len(marks) == 1
        focus = focus_store.focus_of(session, team.id)
        assert focus.dimension_id == "goals" and focus.chosen_by is None
    channel_nudge = [r for r in after["tip_subscriptions"] if TEAM_CHANNEL in r]
    assert len(channel_nudge) == 1 and "forgotten" in channel_nudge[0]
    # Anonymous answers cannot be picked out: they all stay, in the same counts; her
    # comment stays too, its link opening to nobody, while Bob's and Carol's open as before.
    assert answers_stored(harness) == answers
    links = sorted(
        v for row in after["pulse_comments"] for v in row if str(v).startswith("sealed(")
    )
    assert links == ["sealed(U0BOB)", "sealed(U0CAROL)", "sealed(nobody)"]


def test_a_forgotten_person_is_not_reminded(harness, bank):
    a_workspace_where_alice_and_bob_did_everything(harness, bank)
    erin_dm = pulse_dms(harness, ERIN)[-1]
    assert erin_dm  # Erin was asked and has not answered
    ask_to_forget(harness)
    harness.slack.click(ALICE, harness.last_message(ALICE), FORGET_CONFIRM)
    harness.wait_for_text(ALICE, "Done: lvm has deleted")
    posts = len(harness.workspace.calls_to("chat.postMessage"))
    tick(harness, OPENS + timedelta(days=1, minutes=30))  # the reminder
    reminded = [
        call.params.get("channel")
        for call in harness.workspace.calls_to("chat.postMessage")[posts:]
        if "reminder" in json.dumps(call.params).lower()
    ]
    assert reminded == [ERIN]  # not Alice (she answered) and not the mark standing for her


def test_the_only_manager_hands_the_team_over_first(harness, bank):
    harness.services.now.set(WEDNESDAY)
    set_up_team(harness, ALICE)
    tip_with_verdict(harness, ALICE)
    before = all_rows(harness.services.database)
    harness.slack.command(ALICE, "forget me", channel_id=TEAM_CHANNEL)
    refusal = text_of(harness.last_message(ALICE))
    assert f"You are the only manager of the pulse in <#{TEAM_CHANNEL}>" in refusal
    assert "Add another manager in `/lvm pulse setup`" in refusal
    harness.slack.command(ALICE, "forget everything", channel_id=TEAM_CHANNEL)
    assert "`/lvm forget me` deletes what lvm keeps about you" in text_of(
        harness.last_message(ALICE)
    )
    assert all_rows(harness.services.database) == before


def test_cancel_deletes_nothing(harness, bank):
    harness.services.now.set(WEDNESDAY)
    tip_with_verdict(harness, BOB)
    before = all_rows(harness.services.database)
    harness.slack.command(BOB, "forget me", channel_id=TEAM_CHANNEL)
    confirmation = harness.wait_for_text(BOB, "Delete what lvm keeps about you")
    harness.slack.click(BOB, confirmation, FORGET_CANCEL)
    harness.wait_for_text(BOB, "Nothing was deleted")
    assert all_rows(harness.services.database) == before


def test_a_feature_added_later_is_forgotten_through_its_step(harness, bank):
    """The hook self-assessments will use: a step listed on Services is said and run."""
    calls: list[tuple[str, str]] = []

    def forget_assessments(session, team_id, user_id, now) -> int:
        calls.append((team_id, user_id))
        return 2

    harness.services.forget_steps = (
        *harness.services.forget_steps,
        ForgetStep("your self-assessments", forget_assessments),
    )
    harness.services.now.set(WEDNESDAY)
    harness.slack.command(DAN, "privacy", channel_id=TEAM_CHANNEL)
    assert "your self-assessments" in text_of(harness.wait_for_text(DAN, "What lvm keeps"))
    confirmation = ask_to_forget(harness, DAN)
    assert "your self-assessments" in text_of(confirmation)
    harness.slack.click(DAN, confirmation, FORGET_CONFIRM)
    harness.wait_for_text(DAN, "(2 in all)")
    assert calls == [(harness.workspace.team_id, DAN)]


def test_her_home_tab_is_drawn_again_without_what_was_deleted(harness, bank):
    a_workspace_where_alice_and_bob_did_everything(harness, bank)
    mine = ("Your commitments", "Your balance", "Scheduled tips by DM")
    before = text_of(harness.open_home(ALICE))
    assert all(heading in before for heading in mine) and "No tips yet" not in before
    published = len(harness.workspace.calls_to("views.publish"))

    harness.slack.click(ALICE, ask_to_forget(harness), FORGET_CONFIRM)
    harness.wait_for_text(ALICE, "Done: lvm has deleted")
    # Drawn again without her opening it: nothing deleted is still on show.
    harness.workspace.wait_for(
        lambda: len(harness.workspace.calls_to("views.publish")) > published,
        what="her Home tab drawn again",
    )
    after = text_of(harness.workspace.home_view(ALICE))
    assert not [heading for heading in mine if heading in after], after
    assert "No tips yet" in after and "No scheduled tips" in after
