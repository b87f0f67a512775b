"""The Sender against the fake Slack Web API: what Slack received, and what was stored."""

from __future__ import annotations

import logging
import socket
import threading
from datetime import timedelta

import pytest
from slack_sdk import WebClient

from bot.platform import outbox
from bot.platform.database import Database
from bot.platform.delivery import Sender
from bot.platform.outbox import FAILED, PENDING, SENT
from tests.support.outbox_rows import (
    LEASE,
    TEAM,
    add_people,
    attempts_to,
    dm_payload,
    enqueue_dm,
    posts_per_channel,
    posts_to,
    stored,
)

KEY = "pulse.dm:T0LVM:round-1:U00000"


def test_a_message_enqueued_twice_is_sent_once(database, clock, slack, make_sender):
    [person] = add_people(slack, 1)
    assert enqueue_dm(database, person, now=clock())
    assert not enqueue_dm(database, person, now=clock())  # a second clock deciding the same

    report = make_sender().send_due()

    assert (report.claimed, report.sent) == (1, 1)
    assert posts_to(slack, person) == 1
    assert slack.workspace.dm_messages(person)[0]["text"] == "How was your week?"
    row = stored(database, KEY)
    assert (row.status, row.sent_at, row.attempts) == (SENT, clock(), 1)
    assert row.result == {
        "ok": True,
        "channel": slack.workspace.dm_channel_id(person),
        "ts": row.result["ts"],
    }
    assert make_sender().send_due().claimed == 0  # nothing left


def test_a_message_waits_until_it_is_due(database, clock, slack, make_sender):
    [person] = add_people(slack, 1)
    enqueue_dm(database, person, now=clock(), due_at=clock() + timedelta(minutes=10))
    sender = make_sender()

    assert sender.send_due().claimed == 0
    clock.advance(timedelta(minutes=9, seconds=59))
    assert sender.send_due().claimed == 0
    assert posts_to(slack, person) == 0

    clock.advance(timedelta(seconds=1))
    assert sender.send_due().sent == 1
    assert posts_to(slack, person) == 1


def test_a_429_is_waited_out_by_the_sender_and_sent_once(database, clock, slack, make_sender):
    [person] = add_people(slack, 1)
    enqueue_dm(database, person, now=clock())
    slack.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=1)

    report = make_sender().send_due()  # the one real wait of this suite: Retry-After: 1

    assert (report.sent, report.retried) == (1, 0)
    assert slack.ratelimited_count_for("chat.postMessage") == 1
    assert attempts_to(slack, person) == 2
    assert posts_to(slack, person) == 1
    assert stored(database, KEY).attempts == 1  # one outbox attempt: the sender tried again


def test_a_permanent_error_fails_once_and_is_never_retried(
    database, clock, slack, make_sender, caplog
):
    slack.workspace.add_user("U00000", "gone.person", deleted=True)
    enqueue_dm(database, "U00000", now=clock())
    sender = make_sender()

    with caplog.at_level(logging.WARNING, logger="bot.platform.delivery"):
        report = sender.send_due()

    assert (report.failed, report.retried) == (1, 0)
    row = stored(database, KEY)
    assert (row.status, row.last_error) == (FAILED, "user_disabled (HTTP 200)")
    assert [r.getMessage() for r in caplog.records] == [
        f"outbox {row.id} (pulse.dm, workspace {TEAM}) failed for good: user_disabled (HTTP 200)"
    ]
    assert "U00000" not in caplog.text  # whom it was for is not logged
    clock.advance(timedelta(days=1))
    assert sender.send_due().claimed == 0
    assert attempts_to(slack, "U00000") == 1


@pytest.mark.parametrize(
    ("error", "status"),
    [("internal_error", 200), ("service_unavailable", 503), ("fatal_error", 500)],
)
def test_a_transient_error_is_retried_after_backoff(
    database, clock, slack, make_sender, error, status
):
    [person] = add_people(slack, 1)
    enqueue_dm(database, person, now=clock())
    slack.fail_next("chat.postMessage", error, status=status)
    sender = make_sender()

    assert sender.send_due().retried == 1
    row = stored(database, KEY)
    assert (row.status, row.next_attempt_at) == (PENDING, clock() + timedelta(seconds=30))
    assert row.last_error == f"{error} (HTTP {status})"

    clock.advance(timedelta(seconds=29))
    assert sender.send_due().claimed == 0  # still backing off
    clock.advance(timedelta(seconds=1))
    assert sender.send_due().sent == 1
    assert posts_to(slack, person) == 1
    assert (stored(database, KEY).status, stored(database, KEY).attempts) == (SENT, 2)


def test_backoff_doubles_and_gives_up_after_max_attempts(database, clock, slack, make_sender):
    [person] = add_people(slack, 1)
    enqueue_dm(database, person, now=clock())
    slack.fail_next("chat.postMessage", "internal_error", times=3)
    sender = make_sender(max_attempts=3)

    waits = []
    for _ in range(3):
        start = clock()
        report = sender.send_due()
        row = stored(database, KEY)
        if row.next_attempt_at is not None:
            waits.append(row.next_attempt_at - start)
            clock.set(row.next_attempt_at)

    assert report.failed == 1
    assert waits == [timedelta(seconds=30), timedelta(seconds=60)]
    row = stored(database, KEY)
    assert (row.status, row.attempts) == (FAILED, 3)
    assert row.last_error == "internal_error (HTTP 200); gave up after 3 attempts"
    clock.advance(timedelta(days=1))
    assert sender.send_due().claimed == 0
    assert posts_to(slack, person) == 0


def test_two_clocks_draining_one_outbox_send_each_message_once(database, clock, slack, make_sender):
    people = add_people(slack, 200)
    for person in people:
        enqueue_dm(database, person, now=clock())
    # The second clock has its own engine and connections, as a second process would.
    second_database = Database(database.url.render_as_string(hide_password=False))
    senders = [
        make_sender("clock-a", batch=20),
        make_sender("clock-b", on=second_database, batch=20),
    ]
    reports = []
    start = threading.Barrier(len(senders))

    def drain(sender: Sender) -> None:
        start.wait()
        reports.append(sender.send_due())

    threads = [threading.Thread(target=drain, args=(sender,)) for sender in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    second_database.dispose()

    delivered = posts_per_channel(slack)
    assert len(delivered) == 200 and set(delivered.values()) == {1}
    assert sum(report.sent for report in reports) == 200
    assert sum(report.claimed for report in reports) == 200
    with database.transaction() as session:
        assert outbox.counts_by_status(session, TEAM)[SENT] == 200
        claimed_by = {m.claimed_by for m in outbox.messages(session, status=SENT)}
    assert claimed_by == {"clock-a", "clock-b"}  # both really drained, side by side


def test_a_sender_that_died_mid_fan_out_loses_nothing(database, clock, slack, make_sender):
    people = add_people(slack, 30)
    for person in people:
        enqueue_dm(database, person, now=clock())
    # A clock claims the whole fan-out, sends nothing and dies.
    outbox.claim_due(database, now=clock(), limit=100, worker_id="dead", lease=LEASE)
    survivor = make_sender("survivor", lease=LEASE)

    assert survivor.send_due().claimed == 0  # the dead clock's lease still holds
    clock.advance(LEASE + timedelta(seconds=1))
    report = survivor.send_due()

    assert (report.claimed, report.sent) == (30, 30)
    assert set(posts_per_channel(slack).values()) == {1}
    assert len(posts_per_channel(slack)) == 30
    clock.advance(LEASE * 10)
    assert survivor.send_due().claimed == 0


def test_on_sent_records_slacks_answer_in_the_same_transaction(database, clock, slack, make_sender):
    [person] = add_people(slack, 1)
    enqueue_dm(database, person, now=clock())
    seen = []

    def remember_dm(session, message, response):
        seen.append((message.dedupe_key, response["channel"], response["ts"]))
        # Anything written here commits with the "sent" mark, or not at all.
        outbox.enqueue(
            session,
            team_id=TEAM,
            dedupe_key=f"follow-up:{response['ts']}",
            kind="pulse.reminder",
            payload={"method": "chat.postMessage", "args": {"channel": person, "text": "Reminder"}},
            due_at=clock() + timedelta(days=1),
            now=clock(),
        )

    make_sender(on_sent={"pulse.dm": remember_dm}).send_due()

    [message] = slack.workspace.dm_messages(person)
    assert seen == [(KEY, message["channel"], message["ts"])]
    assert stored(database, KEY).result["ts"] == message["ts"]
    assert stored(database, f"follow-up:{message['ts']}").status == PENDING


def test_a_failing_on_sent_hook_does_not_cause_a_resend(database, clock, slack, make_sender):
    [person] = add_people(slack, 1)
    enqueue_dm(database, person, now=clock())

    def broken(session, message, response):
        raise RuntimeError("feature bug")

    sender = make_sender(on_sent={"pulse.dm": broken})
    assert sender.send_due().sent == 1
    clock.advance(LEASE * 2)
    assert sender.send_due().claimed == 0
    assert posts_to(slack, person) == 1
    assert stored(database, KEY).status == SENT


def test_an_unreachable_slack_is_retried(database, clock):
    # A port nobody listens on, and a client without retry handlers, so nothing sleeps.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    offline = WebClient(
        token="xoxb-fake-token",
        base_url=f"http://127.0.0.1:{closed_port}/api/",
        retry_handlers=[],  # WebClient's default would retry a refused connection after a pause
    )
    enqueue_dm(database, "U00000", now=clock())

    sender = Sender(database, offline, now=clock, worker_id="offline")
    assert sender.send_due().retried == 1
    row = stored(database, KEY)
    assert row.status == PENDING and row.last_error.startswith("URLError")


def test_forget_me_while_rows_are_claimed_deletes_theirs_and_unnames_them_in_others(
    database, clock, slack, make_sender
):
    forgotten, manager = add_people(slack, 2)
    enqueue_dm(database, forgotten, now=clock(), kind="pulse.dm")
    with database.transaction() as session:
        outbox.enqueue(
            session,
            team_id=TEAM,
            dedupe_key=f"digest:{TEAM}:week-1:{manager}",
            kind="digest",
            payload=dm_payload(manager, f"<@{forgotten}> answered"),
            due_at=clock(),
            now=clock(),
        )
    asked: list[str] = []

    def forget_on_first_render(args: dict) -> dict:
        # The person says forget me after both rows were claimed, before either is sent.
        if not asked:
            asked.append(forgotten)
            with database.transaction() as session:
                assert outbox.forget_person(session, TEAM, forgotten, clock()) == 2
        return args

    renderers = {kind: forget_on_first_render for kind in ("pulse.dm", "digest")}
    # One thread: the other row is not read before the forgetting has committed.
    report = make_sender(renderers=renderers, threads=1).send_due()

    assert report.claimed == 2 and report.sent == 1
    assert posts_to(slack, forgotten) == 0  # their DM was deleted, not sent from memory
    [digest] = slack.workspace.dm_messages(manager)
    assert digest["text"] == "someone answered"
