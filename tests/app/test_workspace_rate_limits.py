"""Slack's rate limits are each workspace's own: a 429 in one workspace holds only that
workspace's sends, while another workspace's DMs keep going out (bot/platform/pacing.py).

Two workspaces installed by OAuth, one outbox, the clock's Sender. The Pacer's seconds and
the stand-in's are simulated (they move only when the Sender sleeps), so every call Slack
records says how long into the fan-out it came.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from bot.platform import outbox
from bot.platform.database import Database
from bot.platform.delivery import Sender
from bot.platform.pacing import Pacer
from bot.platform.timekeeping import ManualClock
from bot.platform.workspaces import WorkspaceClients
from bot.playground.workspace import LocalSlack
from slack_standin import Workspace
from tests.support.harness import ALICE, BOB, CAROL, DAN, ERIN
from tests.support.installs import install, running_oauth_app, workspace
from tests.support.simulated_seconds import SimulatedSeconds

PEOPLE = [ALICE, BOB, CAROL, DAN, ERIN]
HOLD = 20  # seconds of Retry-After


@dataclass
class Two:
    local: LocalSlack
    acme: Workspace
    beta: Workspace
    seconds: SimulatedSeconds


@pytest.fixture
def two(database, bank, clock) -> Iterator[Two]:
    seconds = SimulatedSeconds()
    with running_oauth_app(database, bank, clock) as local:
        acme = workspace("T0ACME", "acme", clock=seconds)
        beta = workspace("T0BETA", "beta", clock=seconds)
        assert install(local, acme).status == 200
        assert install(local, beta).status == 200
        yield Two(local, acme, beta, seconds)


def plan_dms(database: Database, clock: ManualClock, team_id: str) -> None:
    """A DM to each person of the workspace, planned as a round's are: one after another."""
    with database.transaction() as session:
        for person in PEOPLE:
            outbox.enqueue(
                session,
                team_id=team_id,
                dedupe_key=f"pulse.dm:{team_id}:round-1:{person}",
                kind="pulse.dm",
                payload=outbox.post_payload(person, {"text": "How was your week?"}),
                due_at=clock(),
                now=clock(),
            )


def clock_sender(two: Two, database: Database, clock: ManualClock) -> Sender:
    """The clock's Sender (each row with its workspace's token), with two threads: fewer
    than either workspace's DMs, so a held workspace would hold the other's behind it."""
    services = two.local.services
    return Sender(
        database,
        WorkspaceClients(services.settings, database, wait_out_rate_limits=False, now=clock),
        now=clock,
        worker_id="clock-a",
        threads=2,
        pacer=Pacer(clock=two.seconds, sleep=two.seconds.sleep),
    )


def dms_per_person(ws: Workspace) -> Counter[str]:
    return Counter(
        str(call.params["channel"]) for call in ws.calls_to("chat.postMessage") if call.ok
    )


def test_a_429_in_one_workspace_holds_only_that_workspace(two, database, clock):
    plan_dms(database, clock, two.acme.team_id)  # planned first: claimed first
    plan_dms(database, clock, two.beta.team_id)
    two.local.fake.fail_next(
        "chat.postMessage", "ratelimited", status=429, retry_after=HOLD, team_id="T0ACME"
    )

    report = clock_sender(two, database, clock).send_due()

    assert (report.sent, report.retried, report.failed) == (10, 0, 0)
    for ws in (two.acme, two.beta):
        assert dms_per_person(ws) == Counter(PEOPLE)  # none lost, none doubled
    # beta's DMs all went out at once, while acme was held ...
    assert {call.at for call in two.beta.calls_to("chat.postMessage")} == {0.0}
    # ... and acme's refused DM went again when its Retry-After had passed, and only then.
    acme_posts = two.acme.calls_to("chat.postMessage")
    [refused] = [call for call in acme_posts if call.status == 429]
    [resent] = [
        call
        for call in acme_posts
        if call.ok and call.params["channel"] == refused.params["channel"]
    ]
    assert (refused.at, resent.at) == (0.0, HOLD)
    assert two.seconds.slept == [HOLD]  # one wait, acme's, with nothing else left to send
