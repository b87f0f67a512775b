"""Pacing under Slack's rate limits: 429s cost the Retry-After, never a lost or doubled DM.

Time spent waiting is simulated (the Pacer's clock and sleep are injected), so these tests
assert what was sent and how, never how long it took (that is bench/fanout.py's job).
"""

from __future__ import annotations

from datetime import timedelta

from bot.platform import outbox
from bot.platform.outbox import SENT
from bot.platform.pacing import Pacer, retry_after_of
from tests.support.outbox_rows import TEAM, add_people, enqueue_dm, posts_per_channel
from tests.support.simulated_seconds import SimulatedSeconds

OTHER_TEAM = "T0OTHER"


def test_a_429_holds_the_method_in_its_workspace_for_every_caller():
    seconds = SimulatedSeconds()
    pacer = Pacer(tiers={}, clock=seconds, sleep=seconds.sleep)

    assert pacer.wait_turn(TEAM, "chat.postMessage") == 0
    pacer.hold(TEAM, "chat.postMessage", 2)

    assert pacer.take_turn(TEAM, "chat.postMessage") == 2  # held: nothing taken
    assert pacer.take_turn(OTHER_TEAM, "chat.postMessage") == 0  # its own limits
    assert pacer.take_turn(TEAM, "conversations.open") == 0  # other methods are not held
    assert pacer.wait_turn(TEAM, "chat.postMessage") == 2  # whoever calls next waits it out
    assert pacer.wait_turn(TEAM, "chat.postMessage") == 0


def test_a_tiered_method_is_paced_after_its_burst_in_each_workspace():
    seconds = SimulatedSeconds()
    pacer = Pacer(tiers={"conversations.open": 60}, clock=seconds, sleep=seconds.sleep)

    waits = [pacer.wait_turn(TEAM, "conversations.open") for _ in range(62)]

    assert waits[:60] == [0] * 60  # a minute's worth goes at once
    assert waits[60:] == [1.0, 1.0]  # then one a second, the tier's pace
    assert pacer.take_turn(OTHER_TEAM, "conversations.open") == 0  # a bucket of its own


def test_retry_after_is_read_from_slacks_header():
    assert retry_after_of({"Retry-After": "3"}) == 3
    assert retry_after_of({"retry-after": ["2"]}) == 2
    assert retry_after_of({}) == 1
    assert retry_after_of({"Retry-After": "soon"}) == 1


def test_a_fan_out_under_429s_sends_every_dm_once_in_one_drain(database, clock, slack, make_sender):
    people = add_people(slack, 40)
    for person in people:
        enqueue_dm(database, person, now=clock())
    # Slack refuses a third of the posts, each with Retry-After: 1.
    slack.fail_next("chat.postMessage", "ratelimited", status=429, times=15, retry_after=1)
    seconds = SimulatedSeconds()
    sender = make_sender(pacer=Pacer(clock=seconds, sleep=seconds.sleep), batch=10)

    report = sender.send_due()

    assert (report.claimed, report.sent, report.retried, report.failed) == (40, 40, 0, 0)
    delivered = posts_per_channel(slack)
    assert len(delivered) == 40 and set(delivered.values()) == {1}  # none lost, none doubled
    assert slack.ratelimited_count_for("chat.postMessage") == 15
    assert seconds.slept and all(wait <= 1 for wait in seconds.slept)  # Retry-After honored
    with database.transaction() as session:
        rows = outbox.messages(session, team_id=TEAM)
    assert {(row.status, row.attempts) for row in rows} == {(SENT, 1)}  # no 30 s backoff


def test_a_429_past_the_senders_budget_is_due_again_after_retry_after(
    database, clock, slack, make_sender
):
    [person] = add_people(slack, 1)
    enqueue_dm(database, person, now=clock())
    slack.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=45)
    seconds = SimulatedSeconds()
    sender = make_sender(pacer=Pacer(clock=seconds, sleep=seconds.sleep))  # budget: 30 s

    assert sender.send_due().retried == 1
    [row] = _rows(database)
    assert row.next_attempt_at == clock() + timedelta(seconds=45)  # not the 30 s backoff

    clock.advance(timedelta(seconds=45))
    assert sender.send_due().sent == 1
    assert set(posts_per_channel(slack).values()) == {1}


def _rows(database):
    with database.transaction() as session:
        return outbox.messages(session, team_id=TEAM)
