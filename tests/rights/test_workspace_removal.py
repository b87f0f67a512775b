"""A workspace removes lvm (`app_uninstalled`, `tokens_revoked`): sending stops at once, its
data goes after the set period, and coming back before then keeps it, restarting nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from bot.nudges.store import TipSubscription
from bot.platform import outbox
from bot.platform.uninstalls import WorkspaceUninstall
from bot.pulse.store import ACTIVE, PAUSED, PulseRound, PulseTeam
from bot.rights.archive import count_rows
from bot.rights.uninstall import BATCH, RETRY_DELETION_AFTER
from tests.support.harness import ALICE, BOB, TEAM_CHANNEL, text_of
from tests.support.outbox_rows import enqueue_dm
from tests.support.pulse_steps import pulse_dms, set_up_team, tick

WEDNESDAY = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
OPENS = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # the team's first round
REMOVED = OPENS + timedelta(hours=2)


def a_running_workspace(harness) -> None:
    harness.services.now.set(WEDNESDAY)
    set_up_team(harness, ALICE)
    harness.slack.command(ALICE, "nudge weekly mon 09:00 delegation", channel_id=TEAM_CHANNEL)
    dm = harness.workspace.dm_channel_id(BOB)
    harness.slack.command(BOB, "nudge daily 08:30 feedback", channel_id=dm)
    harness.wait_for_text(BOB, "every working day")
    tick(harness, OPENS)
    assert pulse_dms(harness, BOB)
    # A message due tomorrow, not sent yet.
    enqueue_dm(harness.services.database, BOB, now=OPENS, due_at=OPENS + timedelta(days=1))


def remove_lvm(harness, *, at: datetime = REMOVED, retry_num: int | None = None, **event):
    harness.services.now.set(at)
    response = harness.slack.event(
        {"type": "app_uninstalled", **event}, retry_num=retry_num, retry_reason="http_timeout"
    )
    assert response.status == 200
    harness.wait_until_idle()


def removal(harness) -> WorkspaceUninstall | None:
    with harness.services.database.reading() as session:
        return session.get(WorkspaceUninstall, harness.workspace.team_id)


def stored(harness) -> dict[str, int]:
    """The workspace's rows per table; the outbox's own, purged after 30 days, left out."""
    with harness.services.database.reading() as session:
        counts = count_rows(session, harness.services.schema, harness.workspace.team_id)
    counts.pop("outbox", None)
    return counts


def test_removing_lvm_stops_all_sending_at_once_and_deletes_the_data_later(harness):
    a_running_workspace(harness)
    remove_lvm(harness)
    remove_lvm(harness, at=REMOVED + timedelta(minutes=5), retry_num=1)  # Slack redelivers
    assert removal(harness).uninstalled_at == REMOVED  # the first moment stays
    # Events that come with the removal itself are no sign of a comeback.
    harness.slack.event({"type": "channel_left", "channel": TEAM_CHANNEL})
    harness.wait_until_idle()
    assert removal(harness) is not None
    with harness.services.database.reading() as session:
        waiting = [
            m for m in outbox.messages(session) if m.status in (outbox.PENDING, outbox.SENDING)
        ]
        assert waiting == []
        canceled = [
            m for m in outbox.messages(session) if (m.last_error or "").startswith("canceled")
        ]
        assert len(canceled) == 1
        assert session.scalar(select(PulseTeam.status)) == PAUSED
        assert not any(session.scalars(select(TipSubscription.active)))

    calls = len(harness.workspace.calls)
    # The reminder, the close (digests, the DMs' rewrite), next week's nudges and round.
    for moment in (
        OPENS + timedelta(days=1, minutes=30),
        OPENS + timedelta(days=3, minutes=30),
        OPENS + timedelta(days=7, hours=-1),
        OPENS + timedelta(days=7, minutes=30),
    ):
        tick(harness, moment)
    assert harness.workspace.calls[calls:] == []  # not one call to Slack
    with harness.services.database.reading() as session:
        closed = session.scalar(select(PulseRound))
        assert closed.status == "closed" and closed.totals_stored_at is not None

    kept = stored(harness)
    tick(harness, REMOVED + timedelta(days=30) - timedelta(minutes=1))
    assert stored(harness) == kept  # not before the 30 days
    tick(harness, REMOVED + timedelta(days=30))
    with harness.services.database.reading() as session:
        # Every table, the outbox and the removal's own row too.
        assert count_rows(session, harness.services.schema, harness.workspace.team_id) == {}
    assert harness.workspace.calls[calls:] == []


def test_coming_back_keeps_the_data_and_restarts_nothing(harness):
    a_running_workspace(harness)
    remove_lvm(harness)
    harness.services.now.set(REMOVED + timedelta(days=20))
    harness.open_home(ALICE)  # lvm was added back: a request from the workspace
    assert removal(harness) is None
    kept = stored(harness)
    tick(harness, REMOVED + timedelta(days=31))
    assert stored(harness) == kept  # nothing deleted
    with harness.services.database.reading() as session:
        assert session.scalar(select(PulseTeam.status)) == PAUSED
        assert not any(session.scalars(select(TipSubscription.active)))
    harness.slack.command(ALICE, "pulse resume", channel_id=TEAM_CHANNEL)
    assert "is now active" in text_of(harness.last_message(ALICE))
    with harness.services.database.reading() as session:
        assert session.scalar(select(PulseTeam.status)) == ACTIVE


def test_revoked_tokens_stop_sending_only_when_the_bot_token_is_revoked(harness):
    a_running_workspace(harness)
    remove_lvm(harness, type="tokens_revoked", tokens={"oauth": [ALICE]})
    assert removal(harness) is None  # lvm holds no person's token: nothing changes
    remove_lvm(harness, type="tokens_revoked", tokens={"oauth": [], "bot": ["U0LVMBOT"]})
    assert removal(harness).reason == "tokens_revoked"
    with harness.services.database.reading() as session:
        assert session.scalar(select(PulseTeam.status)) == PAUSED


def removed_from(harness, team_id: str, at: datetime) -> None:
    """`app_uninstalled` from workspace `team_id` (no more than its removal is stored there)."""
    harness.services.now.set(at)
    envelope = {
        "token": harness.slack.verification_token,
        "team_id": team_id,
        "api_app_id": harness.workspace.app_id,
        "event": {"type": "app_uninstalled", "event_ts": "1606805732.987656"},
        "type": "event_callback",
        "event_id": f"Ev{team_id}",
        "event_time": 1606805732,
    }
    body = json.dumps(envelope)
    headers = {"Content-Type": "application/json", **harness.slack.signed_headers(body)}
    assert harness.slack.post_raw(body.encode(), headers).status == 200
    harness.wait_until_idle()


@contextmanager
def deletions_refused(database, prefix: str) -> Iterator[None]:
    """The database refuses to delete the removal of any workspace whose id starts with
    `prefix` (as a lock or a constraint might), until the block ends."""
    if database.engine.dialect.name == "postgresql":
        create = [
            "CREATE FUNCTION refuse_deletion() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'deletion refused'; END $$",
            "CREATE TRIGGER refuse_deletion BEFORE DELETE ON workspace_uninstalls FOR EACH ROW "
            f"WHEN (OLD.team_id LIKE '{prefix}%') EXECUTE FUNCTION refuse_deletion()",
        ]
        drop = [
            "DROP TRIGGER refuse_deletion ON workspace_uninstalls",
            "DROP FUNCTION refuse_deletion()",
        ]
    else:
        create = [
            "CREATE TRIGGER refuse_deletion BEFORE DELETE ON workspace_uninstalls "
            f"WHEN OLD.team_id LIKE '{prefix}%' BEGIN SELECT RAISE(ABORT, 'deletion refused'); END"
        ]
        drop = ["DROP TRIGGER refuse_deletion"]
    with database.engine.begin() as connection:
        for statement in create:
            connection.execute(text(statement))
    try:
        yield
    finally:
        with database.engine.begin() as connection:
            for statement in drop:
                connection.execute(text(statement))


def still_removed(harness) -> dict[str, int]:
    """Each workspace still awaiting deletion, with how many deletions of it failed."""
    with harness.services.database.reading() as session:
        rows = session.scalars(select(WorkspaceUninstall))
        return {row.team_id: row.deletion_failures for row in rows}


def test_workspaces_whose_deletion_keeps_failing_wait_and_never_hold_back_the_others(harness):
    stuck = [f"T0STUCK{n}" for n in range(BATCH)]  # a whole batch, removed first
    for hour, team_id in enumerate([*stuck, "T0FINE"]):
        removed_from(harness, team_id, REMOVED + timedelta(hours=hour))
    due = REMOVED + timedelta(days=30, hours=BATCH + 1)
    with deletions_refused(harness.services.database, "T0STUCK"):
        tick(harness, due)
        assert still_removed(harness) == {**dict.fromkeys(stuck, 1), "T0FINE": 0}
        tick(harness, due + timedelta(seconds=30))  # the next tick
        assert still_removed(harness) == dict.fromkeys(stuck, 1)  # the fine one went
        tick(harness, due + RETRY_DELETION_AFTER - timedelta(minutes=1))
        assert still_removed(harness) == dict.fromkeys(stuck, 1)  # not tried every tick
        tick(harness, due + RETRY_DELETION_AFTER)
        assert still_removed(harness) == dict.fromkeys(stuck, 2)  # tried again, then later
    tick(harness, due + RETRY_DELETION_AFTER * 2)
    assert still_removed(harness) == dict.fromkeys(stuck, 2)  # its wait doubled
    tick(harness, due + RETRY_DELETION_AFTER * 3)
    assert still_removed(harness) == {}  # the cause is gone: deleted
