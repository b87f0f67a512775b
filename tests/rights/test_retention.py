"""Retention: old raw answers and comments, and who each round asked, go once their rounds'
totals are stored, and a two-year summary, its chart and its CSV stay exactly the same."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.bootstrap import build_services
from bot.clock import WORK_KINDS
from bot.platform.config import Settings
from bot.platform.timekeeping import ManualClock
from bot.pulse.store import PulseAnswer, PulseComment, PulseRecipient, PulseRound
from bot.rights.retention import purge_old_answers
from bot.summary.blocks import summary_message
from bot.summary.build import build_summary
from bot.summary.chart import chart_data
from bot.summary.export import export_csv
from bot.summary.stored_totals import store_totals
from bot.threads.store import CLOSED, OPEN, CommentThread
from tests.support.harness import ALICE, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import tick
from tests.support.summary_history import (
    P1,
    P2,
    P3,
    P4,
    P5,
    PINNED,
    make_team,
    monday,
    run_round,
)
from tests.support.thread_steps import CLOSED as ROUND_CLOSED
from tests.support.thread_steps import closed_round_with_comments

WEEKS = 104  # two years of weekly rounds
NOW = monday(WEEKS) + timedelta(days=1)  # every round has closed
PEOPLE = (P1, P2, P3)


def two_years(session, bank):
    team = make_team(session, threshold=3)
    for week in range(WEEKS):
        scores = {
            person: {
                question: 1 + (week * 7 + number * 3 + position) % 5
                for position, question in enumerate(PINNED)
            }
            for number, person in enumerate(PEOPLE)
        }
        run_round(session, bank, team, week, scores, comments={P1: f"Week {week}."}, members=PEOPLE)
    return team


def what_managers_see(session, bank, team) -> tuple[str, object, str]:
    summary = build_summary(session, bank, team, weeks=WEEKS, now=NOW, rng=random.Random(3))
    return (
        text_of(summary_message(summary, bank, team.name)),
        chart_data(summary, bank),
        export_csv(summary, bank),
    )


def services_at(database, bank, **settings):
    return build_services(
        settings=Settings(_env_file=None, SLACK_BOT_TOKEN="xoxb-test", **settings),  # type: ignore[call-arg]
        database=database,
        bank=bank,
        now=ManualClock(NOW),
    )


def rows_per_round(session, table) -> dict[int, int]:
    counts = session.execute(select(table.round_id, func.count()).group_by(table.round_id))
    return dict(counts.all())


def test_old_answers_go_and_the_two_year_summary_stays_the_same(database, bank):
    with database.transaction() as session:
        team = two_years(session, bank)
    services = services_at(database, bank)
    assert services.settings.LVM_RETAIN_ANSWERS_WEEKS == 26

    # Totals not stored yet: nothing goes, however old.
    assert purge_old_answers(services, NOW) == 0
    with database.transaction() as session:
        assert len(rows_per_round(session, PulseAnswer)) == WEEKS
        store_totals(session, NOW, limit=WEEKS)
        before = what_managers_see(session, bank, team)

    purged = 0
    while cleared := purge_old_answers(services, NOW):  # a batch a tick
        purged += cleared
    cutoff = NOW - timedelta(weeks=26)
    with database.transaction() as session:
        closed = dict(session.execute(select(PulseRound.id, PulseRound.closed_at)).all())
        old = {round_id for round_id, at in closed.items() if at < cutoff}
        assert purged == len(old) == WEEKS - 26
        answers, comments, asked = (
            rows_per_round(session, PulseAnswer),
            rows_per_round(session, PulseComment),
            rows_per_round(session, PulseRecipient),
        )
        # Older than the setting: gone, who was asked too. Newer: all there (15 answers, a
        # comment and three people asked each).
        assert not old & (set(answers) | set(comments) | set(asked))
        assert answers == {round_id: 15 for round_id in set(closed) - old}
        assert set(comments) == set(closed) - old
        assert asked == {round_id: 3 for round_id in set(closed) - old}
        assert what_managers_see(session, bank, team) == before
    assert "Week 103." in before[0]  # the latest round's comment is still shown
    assert purge_old_answers(services, NOW + timedelta(days=1)) == 0  # each round once
    assert purge_old_answers in WORK_KINDS


@pytest.mark.parametrize("weeks", [0, 521])
def test_the_retention_setting_is_checked(weeks):
    from bot.platform.config import ConfigError, load_settings

    with pytest.raises(ConfigError, match="LVM_RETAIN_ANSWERS_WEEKS"):
        load_settings(_env_file=None, LVM_RETAIN_ANSWERS_WEEKS=weeks)


def test_a_round_with_an_open_conversation_keeps_its_comments_until_it_closes(database, bank):
    with database.transaction() as session:
        team = make_team(session, threshold=3)
        scores = {person: dict.fromkeys(PINNED, 3) for person in PEOPLE}
        old = run_round(session, bank, team, 0, scores, comments={P1: "Talk?"}, members=PEOPLE)
        store_totals(session, NOW, limit=WEEKS)
        reference = session.scalar(select(PulseComment.reference))
        session.add(
            CommentThread(
                team_id=team.team_id,
                pulse_team_id=team.id,
                round_id=old.id,
                comment_reference=reference,
                status=OPEN,
                started_at=NOW - timedelta(weeks=60),
            )
        )
    services = services_at(database, bank)
    assert purge_old_answers(services, NOW) == 0
    with database.transaction() as session:
        assert rows_per_round(session, PulseComment) == {old.id: 1}
        session.scalar(select(CommentThread)).status = CLOSED
    assert purge_old_answers(services, NOW) == 1
    with database.reading() as session:
        assert rows_per_round(session, PulseComment) == {}


LATER = monday(40)  # both weeks below closed long before, whatever the setting


def sharing_week(session, bank, first, second, week: int) -> None:
    """Two teams ask nearly the same people in one week: five, and four of those five. A
    difference of the two rounds would be one person's answers, so the second is withheld."""
    everyone, all_but_one = (P1, P2, P3, P4, P5), (P1, P2, P3, P4)
    for team, people in ((first, everyone), (second, all_but_one)):
        scores = {person: dict.fromkeys(PINNED, 4) for person in people}
        run_round(session, bank, team, week, scores, members=people)


def shown_to(session, bank, team) -> str:
    summary = build_summary(session, bank, team, weeks=52, now=LATER, rng=random.Random(3))
    return text_of(summary_message(summary, bank, team.name))


def test_who_was_asked_goes_only_once_no_summary_works_from_it(database, bank):
    with database.transaction() as session:
        first = make_team(session, threshold=3)
        second = make_team(session, threshold=3, channel_id="C0SECOND", name="Second")
        sharing_week(session, bank, first, second, 0)
        # The first round's totals are stored; the second's not yet, and storing them will
        # read who the first round asked (bot/summary/overlap.py).
        assert store_totals(session, LATER, limit=1) == 1
    services = services_at(database, bank)
    assert purge_old_answers(services, LATER) == 0
    with database.transaction() as session:
        store_totals(session, LATER)
        before = shown_to(session, bank, second)
    assert "another team asked nearly the same people" in before

    assert purge_old_answers(services, LATER) == 2
    with database.transaction() as session:
        assert rows_per_round(session, PulseRecipient) == {}
        assert rows_per_round(session, PulseAnswer) == {}
        assert shown_to(session, bank, second) == before


def test_a_week_stored_before_the_overlap_was_kept_keeps_who_was_asked(database, bank):
    with database.transaction() as session:
        first = make_team(session, threshold=3)
        second = make_team(session, threshold=3, channel_id="C0SECOND", name="Second")
        sharing_week(session, bank, first, second, 0)
        store_totals(session, LATER)
        # As an older version stored it: a summary works the overlap out from the recipients.
        latest = session.scalar(select(PulseRound).order_by(PulseRound.id.desc()))
        latest.people_apart = None
    with database.transaction() as session:
        before = shown_to(session, bank, second)
    assert "another team asked nearly the same people" in before

    assert purge_old_answers(services_at(database, bank), LATER) == 2
    with database.transaction() as session:
        assert rows_per_round(session, PulseAnswer) == {}
        assert sorted(rows_per_round(session, PulseRecipient).values()) == [4, 5]
        assert shown_to(session, bank, second) == before


def exported(harness) -> str:
    files = len(harness.workspace.files)
    harness.slack.command(ALICE, "summary export", channel_id=TEAM_CHANNEL)
    harness.workspace.wait_for(lambda: len(harness.workspace.files) > files, what="the CSV")
    return harness.workspace.files[-1].content.decode()


def stored_per_round(harness) -> dict[str, dict[int, int]]:
    with harness.services.database.reading() as session:
        return {
            table.__tablename__: rows_per_round(session, table)
            for table in (PulseAnswer, PulseComment, PulseRecipient)
        }


def test_the_clock_deletes_who_was_asked_with_the_answers_at_the_setting(harness):
    """Through the clock, with a retention of two weeks: a round run by signed requests."""
    harness.services.settings.LVM_RETAIN_ANSWERS_WEEKS = 2
    closed_round_with_comments(harness)
    before = exported(harness)
    assert ",3,3,100," in before  # three asked, three answered

    tick(harness, ROUND_CLOSED + timedelta(weeks=2) - timedelta(hours=1))
    kept = stored_per_round(harness)
    assert list(kept["pulse_recipients"].values()) == [3]  # Bob, Carol and Erin were asked
    assert list(kept["pulse_comments"].values()) == [2]

    tick(harness, ROUND_CLOSED + timedelta(weeks=2, minutes=1))
    assert stored_per_round(harness) == {
        "pulse_answers": {},
        "pulse_comments": {},
        "pulse_recipients": {},
    }
    assert exported(harness) == before


def test_lvm_privacy_tells_the_retention_setting_in_force(harness):
    harness.services.settings.LVM_RETAIN_ANSWERS_WEEKS = 4
    harness.slack.command(ALICE, "privacy", channel_id=TEAM_CHANNEL)
    said = text_of(harness.wait_for_text(ALICE, "What lvm keeps"))
    assert "and the list of who each round asked, are deleted 4 weeks after their round" in said
    assert "deletes the link when the conversation closes or 4 weeks after the round" in said
    assert "26" not in said and "half a year" not in said
    assert "makes the links from your comments open to nobody" in said
    assert "the sealed links from your pulse comments to you" in said  # forget me's steps
