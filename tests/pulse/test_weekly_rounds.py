"""A team through several weekly rounds, as people and the clock drive it.

Two and more members answer, one changes an answer, one never answers and is reminded once,
one opts out, a click arrives after the close, and the clocks change in between. The stored
data must hold exactly the answers given, and nothing that links an answer to a person.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.pulse.automation import close_due_rounds
from bot.pulse.rounds import not_answered, participation
from bot.pulse.store import PulseAnswer, PulseComment, PulseRecipient, PulseRound
from slack_standin import BOT_USER_ID
from tests.support.harness import ALICE, BOB, CAROL, DAN, ERIN, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import (
    MANAGERS_ANSWER,
    answer,
    pulse_dms,
    question_ids,
    set_up_team,
    tick,
)

HELPER_BOT, GONE = "U0HELPERBOT", "U0GONE"
# Monday 19 October 2026: London is on BST (UTC+1); the clocks go back on Sunday the 25th.
WEEK_ONE = datetime(2026, 10, 19, 8, 0, tzinfo=UTC)


def rows(harness, model, **where):
    with harness.services.database.transaction() as session:
        query = select(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return list(session.scalars(query))


def rounds_by_period(harness) -> dict[str, PulseRound]:
    return {r.period: r for r in rows(harness, PulseRound)}


def test_weekly_rounds_over_three_weeks_and_a_clock_change(harness):
    workspace = harness.workspace
    workspace.add_user(HELPER_BOT, "helperbot", is_bot=True)
    workspace.add_user(GONE, "gone", deleted=True)
    workspace.add_channel(TEAM_CHANNEL, "team", [ALICE, BOB, CAROL, DAN, ERIN, HELPER_BOT, GONE])
    harness.services.now.set(WEEK_ONE)

    set_up_team(harness, ALICE, **MANAGERS_ANSWER)  # Alice, a manager, answers too
    harness.slack.command(ERIN, "pulse optout", channel_id=TEAM_CHANNEL)

    # Week 1 opens at 10:00 London = 09:00 UTC, not before; a second clock tick opens nothing more.
    tick(harness, WEEK_ONE + timedelta(minutes=30))
    assert rounds_by_period(harness) == {}
    opened_at = datetime(2026, 10, 19, 9, 0, 30, tzinfo=UTC)
    tick(harness, opened_at)
    tick(harness, opened_at)
    assert list(rounds_by_period(harness)) == ["2026-W43"]
    for person in (ALICE, BOB, CAROL, DAN):
        assert len(pulse_dms(harness, person)) == 1, person
    for nobody in (ERIN, HELPER_BOT, GONE, BOT_USER_ID):
        assert pulse_dms(harness, nobody) == [], nobody
    dm = pulse_dms(harness, BOB)[0]
    assert "only averages" in text_of(dm) and "/lvm privacy" in text_of(dm)
    week_one_questions = question_ids(dm)
    assert 3 <= len(week_one_questions) <= 6

    # Bob answers everything (one double click), Carol changes her first answer, Alice answers two.
    bob_scores = dict(zip(week_one_questions, [4, 4, 3, 5, 2, 4], strict=False))
    for question, score in bob_scores.items():
        assert answer(harness, BOB, pulse_dms(harness, BOB)[0], question, score).status == 200
    answer(
        harness,
        BOB,
        pulse_dms(harness, BOB)[0],
        week_one_questions[0],
        bob_scores[week_one_questions[0]],
    )
    for question in week_one_questions:
        answer(harness, CAROL, pulse_dms(harness, CAROL)[0], question, 3)
    answer(harness, CAROL, pulse_dms(harness, CAROL)[0], week_one_questions[0], 1)
    for question in week_one_questions[:2]:
        answer(harness, ALICE, pulse_dms(harness, ALICE)[0], question, 5)

    # Each person's DM shows what was recorded for them, and only for them.
    shown = workspace.wait_for(
        lambda: (
            "you said: Strongly disagree" in text_of(pulse_dms(harness, CAROL)[0])
            and pulse_dms(harness, CAROL)[0]
        ),
        what="Carol's changed answer in her DM",
    )
    assert f"Recorded {len(week_one_questions)} of {len(week_one_questions)}" in text_of(shown)

    # One reminder, to Dan only, however often the clock ticks.
    tick(harness, opened_at + timedelta(hours=24, seconds=30))
    tick(harness, opened_at + timedelta(hours=25))
    assert len(pulse_dms(harness, DAN)) == 2
    assert "reminder" in text_of(pulse_dms(harness, DAN)[-1]).lower()
    for person in (ALICE, BOB, CAROL):
        assert len(pulse_dms(harness, person)) == 1, person

    # The round closes at 10:00 London on Thursday; a click that arrives after that (before
    # the DM is rewritten as closed) records nothing.
    closing = datetime(2026, 10, 22, 9, 0, 30, tzinfo=UTC)
    harness.services.now.set(closing)
    close_due_rounds(harness.services, closing)  # closed; the DMs' rewrites not sent yet
    week_one = rounds_by_period(harness)["2026-W43"]
    assert week_one.status == "closed"
    before = len(rows(harness, PulseAnswer))
    answer(harness, BOB, pulse_dms(harness, BOB)[0], week_one_questions[1], 1)
    harness.wait_for_text(BOB, "This round has closed")
    assert len(rows(harness, PulseAnswer)) == before
    tick(harness, closing)  # sends the digest and the rewrites

    # Stored: exactly the answers given, under three unlinkable keys.
    week_one_answers = rows(harness, PulseAnswer, round_id=week_one.id)
    expected = Counter(bob_scores.values())
    expected.update([1] + [3] * (len(week_one_questions) - 1))
    expected.update([5, 5])
    assert Counter(a.score for a in week_one_answers) == expected
    keys = {a.respondent_key for a in week_one_answers}
    assert len(keys) == 3
    people = {ALICE, BOB, CAROL, DAN, ERIN}
    for answer_row in week_one_answers:
        assert not any(person in answer_row.respondent_key for person in people)
    recipients = [r.user_id for r in rows(harness, PulseRecipient, round_id=week_one.id)]
    assert sorted(recipients) == sorted([ALICE, BOB, CAROL, DAN])
    with harness.services.database.transaction() as session:
        # Only the server, with the secret, can tell who has not answered.
        assert not_answered(
            session, secret=harness.services.secret, pulse_round=week_one, users=recipients
        ) == [DAN]
        assert participation(session, week_one) == (3, 4)

    # Week 2, after the clocks went back: 10:00 London is now 10:00 UTC.
    tick(harness, datetime(2026, 10, 26, 9, 30, tzinfo=UTC))
    assert list(rounds_by_period(harness)) == ["2026-W43"]
    tick(harness, datetime(2026, 10, 26, 10, 0, 30, tzinfo=UTC))
    week_two = rounds_by_period(harness)["2026-W44"]
    assert week_two.opens_at == datetime(2026, 10, 26, 10, 0, 30, tzinfo=UTC)
    bob_week_two = pulse_dms(harness, BOB)[-1]
    assert question_ids(bob_week_two) != week_one_questions  # the default set rotates
    answer(harness, BOB, bob_week_two, question_ids(bob_week_two)[0], 4)
    week_two_keys = {a.respondent_key for a in rows(harness, PulseAnswer, round_id=week_two.id)}
    assert len(week_two_keys) == 1 and not week_two_keys & keys  # no link across rounds

    # Someone the round was not sent to cannot answer it, even with a copy of the buttons.
    copy = workspace.add_message(
        workspace.dm_channel_id(ERIN),
        user=BOT_USER_ID,
        text=bob_week_two["text"],
        blocks=bob_week_two["blocks"],
        source="forged",
        ephemeral_to=ERIN,
    )
    answer(harness, ERIN, copy, question_ids(bob_week_two)[1], 1)
    harness.wait_for_text(ERIN, "not sent to you")
    assert len(rows(harness, PulseAnswer, round_id=week_two.id)) == 1

    # Erin opts back in and gets week 3; nobody gets two rounds in one week.
    harness.slack.command(ERIN, "pulse optin", channel_id=TEAM_CHANNEL)
    tick(harness, datetime(2026, 10, 29, 10, 0, 30, tzinfo=UTC))  # week 2 closes
    harness.services.now.set(datetime(2026, 10, 29, 11, 0, tzinfo=UTC))
    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "already had a round this week")
    tick(harness, datetime(2026, 11, 2, 10, 0, 30, tzinfo=UTC))
    assert sorted(rounds_by_period(harness)) == ["2026-W43", "2026-W44", "2026-W45"]
    assert len(pulse_dms(harness, ERIN)) == 1
    assert rows(harness, PulseComment) == []


def test_a_manager_can_start_and_close_a_round_by_hand(harness):
    harness.services.now.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))  # a Wednesday
    set_up_team(harness, ALICE)
    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "4 people asked, the questions delivered to 4.")  # not Alice
    assert len(pulse_dms(harness, ERIN)) == 1
    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "already open")
    harness.slack.command(ALICE, "pulse", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "0 of 4 answered")
    harness.slack.command(ALICE, "pulse close", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "Round closed early: 0 of 4 answered")
    closed = harness.wait_for_text(BOB, "This round is closed")  # the DM, rewritten
    assert "pulse.answer" not in str(closed["blocks"])


def test_comments_are_kept_without_the_person(harness):
    harness.services.now.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    set_up_team(harness, ALICE)
    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "people asked, the questions delivered to")
    dm = pulse_dms(harness, BOB)[0]
    harness.slack.click(BOB, dm, "pulse.comment")
    modal = harness.workspace.wait_for(
        lambda: harness.workspace.top_view(BOB), what="the comment modal"
    )
    assert "Add a comment" in str(dm["blocks"])
    harness.slack.submit_view(BOB, modal, {"comment": {"comment": "More focus time, please."}})
    # The DM itself now offers to edit the comment (the submission has no response_url).
    relabeled = harness.workspace.wait_for(
        lambda: next(
            (m for m in pulse_dms(harness, BOB) if "Edit your comment" in str(m["blocks"])), None
        ),
        what="the DM's button to read 'Edit your comment'",
    )
    assert relabeled["ts"] == dm["ts"] and len(pulse_dms(harness, BOB)) == 1
    harness.slack.click(BOB, dm, "pulse.comment")
    modal = harness.workspace.wait_for(lambda: harness.workspace.top_view(BOB))
    assert "More focus time" in str(modal)  # the person can see and edit their own comment
    harness.slack.submit_view(BOB, modal, {"comment": {"comment": "More focus time on Fridays."}})
    comments = rows(harness, PulseComment)
    assert [c.text for c in comments] == ["More focus time on Fridays."]
    assert BOB not in comments[0].respondent_key


def test_after_downtime_a_round_within_the_grace_window_opens_once(harness):
    harness.services.now.set(datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
    set_up_team(harness, ALICE)  # Mondays 10:00 London (= 10:00 UTC in November)
    tick(harness, datetime(2026, 11, 23, 12, 30, tzinfo=UTC))  # the clock was down 2.5 h
    tick(harness, datetime(2026, 11, 23, 12, 31, tzinfo=UTC))
    assert list(rounds_by_period(harness)) == ["2026-W48"]
    assert len(pulse_dms(harness, BOB)) == 1


def test_after_longer_downtime_the_round_is_skipped_and_logged_once(harness, caplog):
    harness.services.now.set(datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
    set_up_team(harness, ALICE)
    with caplog.at_level("WARNING", logger="bot.pulse.automation"):
        tick(harness, datetime(2026, 11, 23, 14, 0, tzinfo=UTC))  # 4 h late: beyond 3 h grace
        tick(harness, datetime(2026, 11, 23, 14, 1, tzinfo=UTC))
    assert rounds_by_period(harness) == {}
    assert pulse_dms(harness, BOB) == []
    skipped = [r for r in caplog.records if "skipped the 2026-W48" in r.getMessage()]
    assert len(skipped) == 1
    tick(harness, datetime(2026, 11, 30, 10, 0, 30, tzinfo=UTC))  # next week runs as usual
    assert list(rounds_by_period(harness)) == ["2026-W49"]


def test_large_channels_are_read_page_by_page(harness):
    members = [f"U0M{n:04d}" for n in range(230)]
    for member in members:
        harness.workspace.add_user(member, f"member{member[-4:]}", tz="Europe/London")
    harness.workspace.add_channel(TEAM_CHANNEL, "team", [ALICE, *members])
    harness.services.now.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    set_up_team(harness, ALICE)
    # The setup form counts the channel in the background: let it finish reading first.
    harness.workspace.wait_for(
        lambda: harness.workspace.calls_to("views.update"), what="the setup form's count"
    )
    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)
    # The reply waits for 230 DMs to be sent: more than the usual 5 s on a busy machine.
    harness.workspace.wait_for(
        lambda: any(
            "230 people asked, the questions delivered to 230." in text_of(m)
            for m in harness.workspace.messages_for(ALICE)
        ),
        timeout=30,
        what="the reply to /lvm pulse start",
    )  # every member but the manager
    pages = harness.workspace.calls_to("conversations.members")
    assert len(pages) >= 2
    assert len(pulse_dms(harness, members[-1])) == 1


def test_a_team_set_up_after_this_weeks_opening_waits_for_next_week(harness):
    harness.services.now.set(datetime(2026, 11, 23, 11, 0, tzinfo=UTC))  # Monday, after 10:00
    set_up_team(harness, ALICE)
    tick(harness, datetime(2026, 11, 23, 11, 30, tzinfo=UTC))
    assert rounds_by_period(harness) == {}
    tick(harness, datetime(2026, 11, 30, 10, 0, 30, tzinfo=UTC))
    assert list(rounds_by_period(harness)) == ["2026-W49"]


def test_answers_that_do_not_fit_the_round_are_refused_and_change_nothing(harness):
    harness.services.now.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    set_up_team(harness, ALICE)
    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "people asked, the questions delivered to")
    dm = pulse_dms(harness, BOB)[0]
    round_id, question, _ = dm["blocks"][4]["elements"][0]["value"].split(":")
    bad_values = {
        "garbage": "That button didn't carry a valid answer",
        f"99999:{question}:3": "can't find that pulse round",
        f"{round_id}:not-a-question:3": "not part of it",
        f"{round_id}:{question}:9": "scores go from 1 to 5",
    }
    for value, expected in bad_values.items():
        blocks = [dict(block) for block in dm["blocks"]]
        blocks[4] = {**blocks[4], "elements": [{**blocks[4]["elements"][0], "value": value}]}
        forged = harness.workspace.add_message(
            harness.workspace.dm_channel_id(BOB),
            user=BOT_USER_ID,
            text=dm["text"],
            blocks=blocks,
            source="forged",
            ephemeral_to=BOB,
        )
        harness.slack.click(BOB, forged, blocks[4]["elements"][0]["action_id"])
        harness.wait_for_text(BOB, expected)
    assert rows(harness, PulseAnswer) == []


def test_a_round_of_another_workspace_is_not_found(harness):
    harness.services.now.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    set_up_team(harness, ALICE)
    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "people asked, the questions delivered to")
    from bot.platform.refusals import UnknownRound
    from bot.pulse import rounds

    round_id = next(iter(rounds_by_period(harness).values())).id
    with harness.services.database.transaction() as session:
        try:
            rounds.record_answer(
                session,
                secret="s",
                team_id="T0OTHER",
                round_id=round_id,
                user_id=BOB,
                question_id="x",
                score=3,
                now=harness.services.now(),
            )
            raise AssertionError("another workspace's round was accepted")
        except UnknownRound:
            pass
