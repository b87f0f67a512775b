"""Retention: old raw answers and comments go once their rounds' totals are stored, and a
two-year summary, its chart and its CSV stay exactly the same."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.bootstrap import build_services
from bot.clock import WORK_KINDS
from bot.platform.config import Settings
from bot.platform.timekeeping import ManualClock
from bot.pulse.store import PulseAnswer, PulseComment, PulseRound
from bot.rights.retention import purge_old_answers
from bot.summary.blocks import summary_message
from bot.summary.build import build_summary
from bot.summary.chart import chart_data
from bot.summary.export import export_csv
from bot.summary.stored_totals import store_totals
from bot.threads.store import CLOSED, OPEN, CommentThread
from tests.support.harness import text_of
from tests.support.summary_history import P1, P2, P3, PINNED, make_team, monday, run_round

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
        answers, comments = (
            rows_per_round(session, PulseAnswer),
            rows_per_round(session, PulseComment),
        )
        # Older than the setting: gone. Newer: all there (15 answers and a comment each).
        assert not old & (set(answers) | set(comments))
        assert answers == {round_id: 15 for round_id in set(closed) - old}
        assert set(comments) == set(closed) - old
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
