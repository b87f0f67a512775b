"""Data rights with two workspaces installed by OAuth, whose channel and user IDs collide:
forgetting a person, or a workspace removing lvm, touches only that workspace."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.platform.installations import BOTS_TABLE, INSTALLATIONS_TABLE
from bot.rights.archive import count_rows
from bot.rights.blocks import FORGET_CONFIRM
from tests.support.harness import ALICE, BOB, CAROL, TEAM_CHANNEL, Harness
from tests.support.installs import Two, two_workspaces
from tests.support.pulse_steps import pulse_dms, set_up_team, tick
from tests.support.stored_rows import all_rows

SETUP_DAY = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # a Friday
MONDAY_OPENING = datetime(2026, 11, 23, 10, 0, 30, tzinfo=UTC)  # 10:00 London


@pytest.fixture
def two(database, bank, clock) -> Iterator[Two]:
    clock.set(SETUP_DAY)
    with two_workspaces(database, bank, clock) as two:
        for harness in (two.acme, two.beta):
            set_up_team(harness, ALICE, managers={"managers": [ALICE, BOB]})
            harness.slack.command(BOB, "tip delegation", channel_id=TEAM_CHANNEL)
            harness.wait_until_idle()
        yield two


def rows_of(harness: Harness) -> dict[str, int]:
    with harness.services.database.reading() as session:
        return count_rows(session, harness.services.schema, harness.workspace.team_id)


def installs_of(harness: Harness, table: str) -> int:
    schema = harness.services.schema.tables[table]
    with harness.services.database.reading() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(schema)
                .where(schema.c.team_id == harness.workspace.team_id)
            )
            or 0
        )


def test_forgetting_bob_in_one_workspace_leaves_the_other_s_bob_alone(two):
    beta_before = {t: rows for t, rows in all_rows(two.beta.services.database).items()}
    two.acme.slack.command(BOB, "forget me", channel_id=TEAM_CHANNEL)
    confirmation = two.acme.wait_for_text(BOB, "Delete what lvm keeps about you")
    two.acme.slack.click(BOB, confirmation, FORGET_CONFIRM)
    two.acme.wait_for_text(BOB, "Done: lvm has deleted")
    after = all_rows(two.acme.services.database)
    beta_rows = {
        table: [row for row in rows if "T0BETA" in repr(row)] for table, rows in after.items()
    }
    for table, rows in beta_rows.items():
        before = [row for row in beta_before[table] if "T0BETA" in repr(row)]
        assert rows == before, table  # beta's Bob still manages, his tips are still there
    assert rows_of(two.beta)["tips_shown"] == 1
    assert "tips_shown" not in rows_of(two.acme)


def test_one_workspace_removing_lvm_stops_and_deletes_only_its_own(two):
    assert installs_of(two.acme, BOTS_TABLE) == installs_of(two.acme, INSTALLATIONS_TABLE) == 1
    beta_rows = rows_of(two.beta)
    two.acme.services.now.set(SETUP_DAY + timedelta(hours=1))
    # Slack sends both as lvm is removed; the second finds the install gone already.
    revoked = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0BOT"]}}
    assert two.acme.slack.event(revoked).status == 200
    two.acme.wait_until_idle()
    assert two.acme.slack.event({"type": "app_uninstalled"}).status == 200
    two.acme.wait_until_idle()
    # Its tokens no longer work, and are deleted with its install; beta's stay.
    assert installs_of(two.acme, BOTS_TABLE) == installs_of(two.acme, INSTALLATIONS_TABLE) == 0
    assert installs_of(two.beta, BOTS_TABLE) == installs_of(two.beta, INSTALLATIONS_TABLE) == 1
    acme_calls = len(two.acme.workspace.calls)
    tick(two.beta, MONDAY_OPENING)
    assert pulse_dms(two.beta, CAROL) and not pulse_dms(two.acme, CAROL)
    assert two.acme.workspace.calls[acme_calls:] == []
    tick(two.beta, SETUP_DAY + timedelta(days=31))
    assert rows_of(two.acme) == {}
    kept = rows_of(two.beta)  # beta's rows all stay (its round and DMs added some)
    shrunk = [t for t, count in beta_rows.items() if t != "outbox" and kept.get(t, 0) < count]
    assert shrunk == []
