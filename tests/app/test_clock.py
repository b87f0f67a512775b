"""The whole clock (planning and sending) run twice at once, against a rate-limited Slack."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime

from bot import clock as scheduler
from tests.support.harness import ALICE, TEAM_CHANNEL
from tests.support.pulse_steps import pulse_dms, set_up_team

MEMBERS = [f"U0C{n:03d}" for n in range(40)]


def test_two_clocks_ticking_together_send_each_dm_once(harness):
    for member in MEMBERS:
        harness.workspace.add_user(member, f"c{member[-3:]}", tz="Europe/London")
    harness.workspace.add_channel(TEAM_CHANNEL, "team", [ALICE, *MEMBERS])
    harness.services.now.set(datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
    set_up_team(harness, ALICE)
    # users.info at Slack's tier-4 pace: lookups beyond the burst get 429 and Retry-After.
    harness.fake.rate_limit("users.info", per_second=30, burst=20)

    due = datetime(2026, 11, 23, 10, 0, 30, tzinfo=UTC)
    harness.services.now.set(due)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def clock(worker: str) -> None:
        try:
            sender = scheduler.build_sender(harness.services, worker_id=worker)
            start.wait()
            scheduler.tick(harness.services, due, sender=sender)
        except BaseException as error:  # surfaced below; a thread cannot fail the test itself
            errors.append(error)

    threads = [threading.Thread(target=clock, args=(f"clock-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []

    posted = Counter(
        call.params.get("channel")
        for call in harness.workspace.calls_to("chat.postMessage")
        if call.ok and "Weekly pulse" in str(call.params.get("text"))
    )
    assert set(posted) == set(MEMBERS)  # Alice manages the team: not asked
    assert set(posted.values()) == {1}
    assert all(len(pulse_dms(harness, member)) == 1 for member in MEMBERS)
    assert harness.fake.ratelimited_count_for("users.info") > 0  # the limit was really hit


def test_a_work_kind_that_fails_stops_neither_the_others_nor_delivery(harness, monkeypatch, caplog):
    harness.workspace.add_channel(TEAM_CHANNEL, "team", [ALICE, *MEMBERS[:3]])
    for member in MEMBERS[:3]:
        harness.workspace.add_user(member, f"c{member[-3:]}", tz="Europe/London")
    harness.services.now.set(datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
    set_up_team(harness, ALICE)

    def broken(services, now):
        raise RuntimeError("a row this work kind cannot read")

    # First in line: before the pulse's own work kinds and the drain.
    monkeypatch.setattr(scheduler, "WORK_KINDS", (broken, *scheduler.WORK_KINDS))
    due = datetime(2026, 11, 23, 10, 0, 30, tzinfo=UTC)
    with caplog.at_level("ERROR", logger="bot.clock"):
        scheduler.tick(harness.services, due, sender=scheduler.build_sender(harness.services))

    assert all(len(pulse_dms(harness, member)) == 1 for member in MEMBERS[:3])
    assert any("broken failed" in record.getMessage() for record in caplog.records)
