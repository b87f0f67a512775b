"""The outbox table and its queries, without Slack: dedupe, claims, leases and fencing."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from bot.platform import outbox
from bot.platform.config import Settings
from bot.platform.outbox import FAILED, PENDING, SENDING, SENT
from tests.support.outbox_rows import LEASE, TEAM, dm_payload, enqueue_dm, stored


def claim(database, clock, worker_id="clock-a", limit=10, lease=LEASE):
    return outbox.claim_due(database, now=clock(), limit=limit, worker_id=worker_id, lease=lease)


def test_a_dedupe_key_is_enqueued_once(database, clock):
    assert enqueue_dm(database, "U1", now=clock(), key="k1") is True
    assert enqueue_dm(database, "U1", now=clock(), key="k1") is False
    with database.transaction() as session:
        assert outbox.counts_by_status(session) == {PENDING: 1, SENDING: 0, SENT: 0, FAILED: 0}


def test_enqueue_rejects_a_payload_without_a_method(database, clock):
    with database.transaction() as session, pytest.raises(ValueError):
        outbox.enqueue(
            session,
            team_id=TEAM,
            dedupe_key="k",
            kind="x",
            payload={"args": {}},
            due_at=clock(),
            now=clock(),
        )


def test_rows_are_claimed_only_once_due(database, clock):
    enqueue_dm(database, "U1", now=clock(), due_at=clock() + timedelta(hours=1), key="later")
    assert claim(database, clock) == []
    clock.advance(timedelta(hours=1))
    [message] = claim(database, clock)
    assert (message.dedupe_key, message.status, message.attempts) == ("later", SENDING, 1)
    assert message.claimed_by == "clock-a"
    assert message.payload == dm_payload("U1")
    assert claim(database, clock, worker_id="clock-b") == []  # held by clock-a


def test_claims_respect_the_limit_and_due_order(database, clock):
    for minutes in (3, 1, 2):
        enqueue_dm(
            database, f"U{minutes}", now=clock(), due_at=clock() - timedelta(minutes=minutes)
        )
    first = claim(database, clock, limit=2)
    assert [m.dedupe_key for m in first] == [
        "pulse.dm:T0LVM:round-1:U3",
        "pulse.dm:T0LVM:round-1:U2",
    ]
    assert len(claim(database, clock, limit=2)) == 1


def test_an_abandoned_claim_is_taken_over_after_the_lease(database, clock):
    enqueue_dm(database, "U1", now=clock(), key="k1")
    claim(database, clock, worker_id="dead")
    clock.advance(LEASE)
    assert claim(database, clock, worker_id="alive") == []  # exactly at the lease: still held
    clock.advance(timedelta(seconds=1))
    [message] = claim(database, clock, worker_id="alive")
    assert (message.claimed_by, message.attempts) == ("alive", 2)

    # The dead sender waking up cannot record anything over the new holder's claim.
    assert not outbox.mark_sent(database, message.id, now=clock(), result={}, worker_id="dead")
    assert not outbox.renew_claim(database, message.id, worker_id="dead", now=clock())
    assert outbox.mark_sent(
        database, message.id, now=clock(), result={"ts": "1"}, worker_id="alive"
    )
    assert stored(database, "k1").status == SENT


def test_a_retry_waits_for_its_time(database, clock):
    enqueue_dm(database, "U1", now=clock(), key="k1")
    [message] = claim(database, clock)
    retry_at = clock() + timedelta(seconds=30)
    outbox.mark_retry(database, message.id, now=clock(), error="internal_error", retry_at=retry_at)
    row = stored(database, "k1")
    assert (row.status, row.next_attempt_at, row.last_error) == (
        PENDING,
        retry_at,
        "internal_error",
    )
    assert claim(database, clock) == []
    clock.advance(timedelta(seconds=30))
    assert [m.attempts for m in claim(database, clock)] == [2]


def test_sent_and_failed_rows_are_never_claimed_again(database, clock):
    enqueue_dm(database, "U1", now=clock(), key="sent")
    enqueue_dm(database, "U2", now=clock(), key="failed")
    sent, failed = claim(database, clock)
    outbox.mark_sent(database, sent.id, now=clock(), result={"channel": "D1", "ts": "1.2"})
    outbox.mark_failed(database, failed.id, now=clock(), error="user_disabled")
    clock.advance(timedelta(days=1))
    assert claim(database, clock) == []
    assert stored(database, "sent").result == {"channel": "D1", "ts": "1.2"}
    assert stored(database, "failed").last_error == "user_disabled"
    with database.transaction() as session:
        assert outbox.counts_by_status(session, TEAM) == {
            PENDING: 0,
            SENDING: 0,
            SENT: 1,
            FAILED: 1,
        }
        assert outbox.counts_by_status(session, "T-other")[SENT] == 0


def test_times_come_back_aware_and_in_utc(database, clock):
    enqueue_dm(database, "U1", now=clock(), key="k1")
    [message] = claim(database, clock)
    outbox.mark_sent(database, message.id, now=clock(), result={})
    row = stored(database, "k1")
    assert row.sent_at == clock() and row.sent_at.tzinfo == UTC
    assert row.created_at == row.due_at == clock()


def test_finished_rows_are_purged_after_the_retention_and_others_kept(database, clock):
    start = clock()
    for name in ("sent", "failed", "waiting", "stuck"):
        enqueue_dm(database, name, now=start, key=name)
    enqueue_dm(database, "later", now=start, due_at=start + timedelta(days=60), key="later")
    by_key = {m.dedupe_key: m for m in claim(database, clock)}
    assert set(by_key) == {"sent", "failed", "waiting", "stuck"}
    outbox.mark_sent(database, by_key["sent"].id, now=start, result={"ok": True})
    outbox.mark_failed(database, by_key["failed"].id, now=start, error="user_disabled")
    outbox.mark_retry(
        database, by_key["waiting"].id, now=start, error="ratelimited", retry_at=start
    )
    # "stuck" stays claimed (sending): only a sender, after its lease, may decide its fate.

    def purge(limit=outbox.PURGE_BATCH) -> int:
        with database.transaction() as session:
            return outbox.purge_finished(session, clock(), limit=limit)

    clock.set(start + outbox.RETENTION)
    assert purge() == 0  # not older than the retention yet
    clock.set(start + outbox.RETENTION + timedelta(minutes=1))
    assert purge(limit=1) == 1  # a batch at a time
    assert purge() == 1
    assert purge() == 0
    with database.transaction() as session:
        left = {m.dedupe_key: m.status for m in outbox.messages(session)}
    assert left == {"waiting": PENDING, "stuck": SENDING, "later": PENDING}


def test_the_retention_outlasts_any_grace_window_in_which_a_key_could_be_planned_again():
    longest_grace = Settings.model_fields["LVM_GRACE_HOURS"].metadata
    hours = next(rule.le for rule in longest_grace if hasattr(rule, "le"))
    assert timedelta(hours=hours) < outbox.RETENTION / 5
