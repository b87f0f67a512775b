"""A fan-out interrupted between Slack accepting DMs and the outbox marking them sent doubles
no DM: the next sender finds each one in the person's DM by its metadata."""

from __future__ import annotations

from datetime import timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy.exc import OperationalError

from bot.clock import build_sender
from bot.platform import outbox
from bot.platform.database import Database
from bot.platform.delivery import OUTBOX_EVENT, Sender
from bot.pulse import automation
from slack_standin import TEAM_ID
from tests.support.harness import ALICE, BOB, CAROL, DAN, ERIN, TEAM_CHANNEL
from tests.support.pulse_steps import MANAGERS_ANSWER, pulse_dms, set_up_team

MEMBERS = [ALICE, BOB, CAROL, DAN, ERIN]


class StopsTheDatabaseOnceSlackAccepts(WebClient):
    """Slack's client, for a sender whose database stops right after its first DM posts."""

    sender: Sender | None = None
    unreachable: Database | None = None

    def api_call(self, api_method, **kwargs):  # type: ignore[no-untyped-def,override]
        response = super().api_call(api_method, **kwargs)
        if api_method == "chat.postMessage" and self.sender is not None:
            self.sender.database = self.unreachable  # the database stops: nothing is marked
        return response


def unreachable_like(database: Database, tmp_path) -> Database:
    if database.is_sqlite:
        return Database(f"sqlite:///{tmp_path}/no-such-folder/lvm.sqlite3")
    return Database("postgresql://nobody@127.0.0.1:1/stopped?connect_timeout=1")


def plan_pulse_dms(harness) -> None:
    set_up_team(harness, ALICE, **MANAGERS_ANSWER)
    automation.open_round_now(
        harness.services,
        harness.services.directory_for(TEAM_ID),
        team_id=harness.workspace.team_id,
        channel_id=TEAM_CHANNEL,
    )


def test_dms_sent_but_not_marked_are_not_sent_again(harness, tmp_path):
    services = harness.services
    plan_pulse_dms(harness)
    healthy = services.workspaces.client_for(TEAM_ID)
    client = StopsTheDatabaseOnceSlackAccepts(token=healthy.token, base_url=healthy.base_url)
    interrupted = Sender(
        Database(services.database.url.render_as_string(hide_password=False)),
        client,
        now=services.now,
        worker_id="interrupted",
        threads=1,
    )
    client.sender, client.unreachable = interrupted, unreachable_like(services.database, tmp_path)
    with pytest.raises(OperationalError):
        interrupted.send_due()
    posted = [user for user in MEMBERS if pulse_dms(harness, user)]
    assert posted  # Slack has them; the outbox still says "sending"
    with services.database.transaction() as session:
        assert outbox.counts_by_status(session)["sending"] == len(MEMBERS)

    services.now.set(services.now() + interrupted.lease + timedelta(seconds=1))
    report = build_sender(services).send_due()

    assert report.sent == len(MEMBERS)
    assert [len(pulse_dms(harness, user)) for user in MEMBERS] == [1] * len(MEMBERS)
    with services.database.transaction() as session:
        rows = outbox.messages(session, status="sent")
    assert len(rows) == len(MEMBERS)
    for row in rows:  # recorded with the message Slack holds, as a send would have been
        (dm,) = pulse_dms(harness, row.args["channel"])
        assert row.result["ts"] == dm["ts"]
        assert dm["metadata"] == {
            "event_type": OUTBOX_EVENT,
            "event_payload": {"key": row.dedupe_key},
        }


def test_a_claim_whose_sender_stopped_before_sending_is_still_sent(harness):
    services = harness.services
    plan_pulse_dms(harness)
    sender = build_sender(services)
    # A sender claims the DMs and stops before it posts any.
    outbox.claim_due(
        services.database, now=services.now(), limit=50, worker_id="stopped", lease=sender.lease
    )
    services.now.set(services.now() + sender.lease + timedelta(seconds=1))
    assert sender.send_due().sent == len(MEMBERS)
    assert [len(pulse_dms(harness, user)) for user in MEMBERS] == [1] * len(MEMBERS)
