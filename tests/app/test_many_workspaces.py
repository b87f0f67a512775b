"""Two workspaces installed by OAuth in one process, with colliding channel and user IDs:
each is served with its own token, and nothing one does reaches the other."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.pulse.store import ACTIVE, PAUSED
from bot.pulse.teams import find_team
from tests.support.harness import ALICE, BOB, CAROL, TEAM_CHANNEL, Harness, text_of
from tests.support.installs import Two, token_of, two_workspaces
from tests.support.pulse_steps import pulse_dms, set_up_team, tick

SETUP_DAY = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # a Friday
MONDAY_OPENING = datetime(2026, 11, 23, 10, 0, 30, tzinfo=UTC)  # 10:00 London


@pytest.fixture
def two(database, bank, clock) -> Iterator[Two]:
    clock.set(SETUP_DAY)
    with two_workspaces(database, bank, clock) as two:
        yield two


def said(harness: Harness, words: str, user: str = ALICE, channel: str = TEAM_CHANNEL) -> str:
    assert harness.slack.command(user, words, channel_id=channel).status == 200
    harness.wait_until_idle()
    return text_of(harness.last_message(user))


def team_status(harness: Harness) -> str:
    with harness.services.database.reading() as session:
        team = find_team(session, harness.workspace.team_id, TEAM_CHANNEL)
        assert team is not None
        return team.status


def test_each_workspace_s_pulse_dms_and_nudges_go_out_with_its_own_token(two):
    set_up_team(two.acme, ALICE)
    set_up_team(two.beta, ALICE)
    dm = two.acme.workspace.dm_channel_id(ALICE)
    assert "every working day at 08:30" in said(two.acme, "nudge daily 08:30", channel=dm)
    tick(two.acme, MONDAY_OPENING)
    tick(two.acme, datetime(2026, 11, 24, 8, 30, 5, tzinfo=UTC))
    for harness in (two.acme, two.beta):
        assert pulse_dms(harness, BOB) and pulse_dms(harness, CAROL)
        posts = harness.workspace.calls_to("chat.postMessage")
        assert posts and {call.token for call in posts} == {token_of(harness)}
    assert token_of(two.acme) != token_of(two.beta)
    nudged = [
        m for m in two.acme.workspace.dm_messages(ALICE) if "Your scheduled practice" in text_of(m)
    ]
    assert len(nudged) == 2  # Monday (caught up at 10:00) and Tuesday
    assert not [
        m for m in two.beta.workspace.dm_messages(ALICE) if "Your scheduled practice" in text_of(m)
    ]


def test_commands_of_one_workspace_never_touch_the_other_s_team_round_or_subscriptions(two):
    set_up_team(two.acme, ALICE)
    # beta has no team yet: its /lvm pulse does not see acme's (same channel, same manager).
    assert "Open round:" not in said(two.beta, "pulse")
    assert "pulse setup" in said(two.beta, "pulse")
    set_up_team(two.beta, ALICE)
    said(two.acme, "pulse pause")
    assert (team_status(two.acme), team_status(two.beta)) == (PAUSED, ACTIVE)
    tick(two.acme, MONDAY_OPENING)
    assert pulse_dms(two.beta, BOB) and not pulse_dms(two.acme, BOB)
    assert "Open round:" in said(two.beta, "pulse")
    assert "Open round:" not in said(two.acme, "pulse")
    # A subscription in acme is not listed, nor stopped, from beta.
    said(two.acme, "nudge weekly mon 09:00")
    assert "every Monday at 09:00" in said(two.acme, "nudge")
    assert "every Monday at 09:00" not in said(two.beta, "nudge")
    said(two.beta, "nudge off")
    assert "every Monday at 09:00" in said(two.acme, "nudge")


def test_a_click_on_one_workspace_s_pulse_dm_counts_only_there(two):
    set_up_team(two.acme, ALICE)
    set_up_team(two.beta, ALICE)
    tick(two.acme, MONDAY_OPENING)
    [beta_dm] = pulse_dms(two.beta, BOB)
    from tests.support.pulse_steps import answer, question_ids

    first = question_ids(beta_dm)[0]
    assert answer(two.beta, BOB, beta_dm, first, 5).status == 200
    two.beta.wait_until_idle()
    assert "1 of" in said(two.beta, "pulse") or "answered" in said(two.beta, "pulse")
    acme_status = said(two.acme, "pulse")
    assert "Open round:" in acme_status
    assert "0 of" in acme_status or "no answers" in acme_status.lower()


def test_app_home_shows_each_workspace_only_its_own_teams(two):
    set_up_team(two.acme, ALICE)
    acme_home = two.acme.open_home(ALICE)
    beta_home = two.beta.open_home(ALICE)
    assert acme_home != beta_home
    assert [c.token for c in two.beta.workspace.calls_to("views.publish")] == [token_of(two.beta)]


def test_outbox_rows_of_a_workspace_without_installation_fail_alone(two, database):
    set_up_team(two.acme, ALICE)
    set_up_team(two.beta, ALICE)
    from sqlalchemy import text

    with database.transaction() as session:
        session.execute(text("DELETE FROM slack_bots WHERE team_id = 'T0BETA'"))
    two.acme.services.workspaces.forget("T0BETA")
    tick(two.acme, MONDAY_OPENING)
    assert pulse_dms(two.acme, BOB)
    assert not pulse_dms(two.beta, BOB)
