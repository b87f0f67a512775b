"""Removing lvm where it was installed by OAuth: an Enterprise Grid organization removing its
org-wide install (every workspace of it stops), an organization taking lvm's access to one
of its workspaces away, and a workspace installing lvm again before its data was deleted.

The stand-in answers every call made with an org-wide install's token as the organization's
first workspace (the one that approved the install): what the org's workspaces are sent is
counted there."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import yaml
from sqlalchemy import func, select

from bot.nudges.store import TipSubscription
from bot.platform.installations import BOTS_TABLE, INSTALLATIONS_TABLE, workspaces_of_org
from bot.platform.oauth import manifest_path
from bot.platform.uninstalls import WorkspaceUninstall
from bot.platform.workspaces import NotInstalled
from bot.pulse.store import ACTIVE, PulseTeam
from bot.rights.archive import count_rows
from slack_standin import AppResponse
from tests.support.harness import ALICE, BOB, CAROL, TEAM_CHANNEL, Harness, text_of
from tests.support.installs import (
    harness_for,
    install,
    org_member,
    running_oauth_app,
    workspace,
)
from tests.support.pulse_steps import pulse_dms, set_up_team, tick

SETUP_DAY = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # a Friday
REMOVED = SETUP_DAY + timedelta(hours=1)
MONDAY_NUDGES = datetime(2026, 11, 23, 8, 30, 5, tzinfo=UTC)  # 08:30 London
ORG = "E0ORG"
NUDGE_POSTS = "Your scheduled practice"


@dataclass
class Org:
    first: Harness  # approved the org-wide install: the stand-in's record of every call
    second: Harness


def nudged(harness: Harness, words: str) -> None:
    """A person sets a daily nudge in their DM with lvm (answered by response_url)."""
    dm = harness.workspace.dm_channel_id(ALICE)
    assert harness.slack.command(ALICE, f"nudge daily 08:30 {words}", channel_id=dm).ok
    harness.wait_for_text(ALICE, "Done.")


@pytest.fixture
def org(database, bank, clock) -> Iterator[Org]:
    clock.set(SETUP_DAY)
    with running_oauth_app(database, bank, clock) as local:
        first = workspace("T0GRID1", "grid-one", enterprise_id=ORG, org_wide=True)
        second = workspace("T0GRID2", "grid-two", enterprise_id=ORG, org_wide=True)
        assert install(local, first).status == 200
        org = Org(harness_for(local, first), org_member(local, second))
        nudged(org.first, "delegation")
        nudged(org.second, "feedback")
        org.first.wait_until_idle()
        yield org


def org_event(harness: Harness, event: dict) -> AppResponse:
    """An organization-level event, as Slack documents it: no workspace in its envelope."""
    ws = harness.workspace
    envelope = {
        "token": harness.slack.verification_token,
        "team_id": None,
        "enterprise_id": ws.enterprise_id,
        "api_app_id": ws.app_id,
        "event": {**event, "event_ts": "1606805732.987656"},
        "type": "event_callback",
        "event_id": f"Ev{secrets.token_hex(5).upper()}",
        "event_time": 1606805732,
    }
    body = json.dumps(envelope)
    headers = {"Content-Type": "application/json", **harness.slack.signed_headers(body)}
    response = harness.slack.post_raw(body.encode(), headers)
    harness.wait_until_idle()
    return response


def removed_teams(harness: Harness) -> dict[str, str]:
    with harness.services.database.reading() as session:
        rows = session.scalars(select(WorkspaceUninstall))
        return {row.team_id: row.reason for row in rows}


def org_installs(harness: Harness) -> int:
    count = 0
    with harness.services.database.reading() as session:
        for name in (BOTS_TABLE, INSTALLATIONS_TABLE):
            table = harness.services.schema.tables[name]
            query = select(func.count()).select_from(table).where(table.c.enterprise_id == ORG)
            count += int(session.scalar(query) or 0)
    return count


def rows_of(harness: Harness) -> dict[str, int]:
    with harness.services.database.reading() as session:
        return count_rows(session, harness.services.schema, harness.workspace.team_id)


def nudges_sent(org: Org, since: int) -> list[str]:
    """The nudges sent with the org's token since call `since` (each names its topic)."""
    return [
        str(call.params.get("text") or "") + json.dumps(call.params.get("blocks") or "")
        for call in org.first.workspace.calls[since:]
        if call.method == "chat.postMessage" and NUDGE_POSTS in json.dumps(call.params)
    ]


def test_an_org_wide_removal_stops_every_workspace_of_the_organization(org):
    # Before: each workspace's nudge goes out with the organization's token.
    before = len(org.first.workspace.calls)
    tick(org.first, MONDAY_NUDGES)
    assert len(nudges_sent(org, before)) == 2

    org.first.services.now.set(REMOVED + timedelta(days=3))
    removal = org.first.slack.event({"type": "app_uninstalled"})
    assert removal.ok
    assert removal.sent["authorizations"][0]["is_enterprise_install"] is True
    org.first.wait_until_idle()
    assert removed_teams(org.first) == {
        "T0GRID1": "app_uninstalled",
        "T0GRID2": "app_uninstalled",
    }
    assert org_installs(org.first) == 0  # the organization's token is gone with its install
    with pytest.raises(NotInstalled):
        org.first.services.workspaces.client_for("T0GRID2")
    with org.first.services.database.reading() as session:
        assert not any(session.scalars(select(TipSubscription.active)))

    calls = len(org.first.workspace.calls)
    tick(org.first, MONDAY_NUDGES + timedelta(days=1))
    assert org.first.workspace.calls[calls:] == []  # not one call, for either workspace
    tick(org.first, REMOVED + timedelta(days=3 + 30))
    assert rows_of(org.first) == rows_of(org.second) == {}


def test_an_org_wide_reinstall_brings_every_workspace_of_it_back(org):
    assert org.first.slack.event({"type": "app_uninstalled"}).ok
    org.first.wait_until_idle()
    assert set(removed_teams(org.first)) == {"T0GRID1", "T0GRID2"}
    org.first.services.now.set(REMOVED + timedelta(days=10))
    assert install(org.first.local, org.first.workspace).status == 200
    # Nobody in either workspace uses lvm for a month: nothing is deleted.
    assert removed_teams(org.first) == {}
    kept = (rows_of(org.first), rows_of(org.second))
    tick(org.first, REMOVED + timedelta(days=41))
    assert (rows_of(org.first), rows_of(org.second)) == kept
    assert org_installs(org.first) == 2  # the new install: its record and its bot


def test_an_organization_taking_lvm_s_access_to_one_workspace_away_stops_only_that_one(org):
    manifest = yaml.safe_load(manifest_path().read_text(encoding="utf-8"))
    assert "team_access_revoked" in manifest["settings"]["event_subscriptions"]["bot_events"]
    org.first.services.now.set(REMOVED)
    # T0ACME is no workspace of this organization: the event cannot touch it.
    teams = ["T0GRID2", "T0ACME"]
    revoked = org_event(org.first, {"type": "team_access_revoked", "team_ids": teams})
    assert revoked.status == 200
    assert removed_teams(org.first) == {"T0GRID2": "team_access_revoked"}
    assert org_installs(org.first) == 2  # the org-wide install serves the others

    calls = len(org.first.workspace.calls)
    tick(org.first, MONDAY_NUDGES)
    [sent] = nudges_sent(org, calls)
    assert "elegation" in sent  # the first workspace's nudge; the second's feedback is not sent

    # The organization gives the access back: its data stays, nothing restarts by itself.
    granted = org_event(org.first, {"type": "team_access_granted", "team_ids": ["T0GRID2"]})
    assert granted.status == 200
    assert removed_teams(org.first) == {}
    kept = rows_of(org.second)
    tick(org.first, REMOVED + timedelta(days=31))
    assert rows_of(org.second) == kept


def test_a_workspace_installed_again_after_removing_lvm_keeps_its_data_and_token(
    database, bank, clock
):
    clock.set(SETUP_DAY)
    acme = workspace("T0ACME", "acme")
    with running_oauth_app(database, bank, clock) as local:
        assert install(local, acme).status == 200
        harness = harness_for(local, acme)
        set_up_team(harness, ALICE, managers={"managers": [ALICE, BOB]})
        harness.slack.command(BOB, "tip delegation", channel_id=TEAM_CHANNEL)
        harness.wait_until_idle()
        harness.services.now.set(REMOVED)
        assert harness.slack.event({"type": "app_uninstalled"}).ok
        harness.wait_until_idle()
        assert removed_teams(harness) == {"T0ACME": "app_uninstalled"}

        harness.services.now.set(REMOVED + timedelta(days=2))
        assert install(local, acme).status == 200
        [_, reinstalled] = [c for c in acme.calls_to("oauth.v2.access") if c.ok]
        new_token = str(reinstalled.response["access_token"])  # type: ignore[index]
        kept = rows_of(harness)
        # Then nobody uses lvm for a month.
        tick(harness, REMOVED + timedelta(days=31))
        tick(harness, REMOVED + timedelta(days=32))
        assert rows_of(harness) == kept
        assert kept["pulse_teams"] == 1 and kept["tips_shown"] == 1
        assert harness.services.workspaces.client_for("T0ACME").token == new_token

        # Sending works, with the new token.
        harness.slack.command(ALICE, "pulse resume", channel_id=TEAM_CHANNEL)
        assert "is now active" in text_of(harness.last_message(ALICE))
        with harness.services.database.reading() as session:
            assert session.scalar(select(PulseTeam.status)) == ACTIVE
        calls = len(acme.calls)
        tick(harness, datetime(2026, 12, 28, 10, 0, 30, tzinfo=UTC))  # a Monday, 10:00 London
        assert pulse_dms(harness, CAROL)
        posts = [c for c in acme.calls[calls:] if c.method == "chat.postMessage"]
        assert posts and {c.token for c in posts} == {new_token}


def test_an_org_wide_reinstall_does_not_give_back_a_workspace_the_org_took_access_from(org):
    org.first.services.now.set(REMOVED)
    revoked = org_event(org.first, {"type": "team_access_revoked", "team_ids": ["T0GRID2"]})
    assert revoked.status == 200
    # The admin re-approves the org-wide install (new scopes, say): the first workspace is
    # unaffected and the second stays removed, its deletion still planned.
    assert install(org.first.local, org.first.workspace).status == 200
    assert removed_teams(org.first) == {"T0GRID2": "team_access_revoked"}
    tick(org.first, REMOVED + timedelta(days=31))
    assert rows_of(org.second) == {} and rows_of(org.first) != {}


def test_an_org_wide_removal_spares_a_workspace_with_its_own_install(org):
    own = workspace("T0GRID3", "grid-three", enterprise_id=ORG)
    assert install(org.first.local, own).status == 200
    third = harness_for(org.first.local, own)
    nudged(third, "coaching")
    with org.first.services.database.reading() as session:
        assert "T0GRID3" in workspaces_of_org(session, ORG)  # lvm knows it is of the org

    assert org.first.slack.event({"type": "app_uninstalled"}).ok
    org.first.wait_until_idle()
    assert set(removed_teams(org.first)) == {"T0GRID1", "T0GRID2"}
    with org.first.services.database.reading() as session:
        bots = org.first.services.schema.tables[BOTS_TABLE]
        left = session.execute(select(bots.c.team_id, bots.c.enterprise_id)).all()
    assert [tuple(row) for row in left] == [("T0GRID3", ORG)]  # its own install and token

    calls = len(third.workspace.calls)
    tick(org.first, MONDAY_NUDGES)
    sent = [
        call
        for call in third.workspace.calls[calls:]
        if call.method == "chat.postMessage" and NUDGE_POSTS in json.dumps(call.params)
    ]
    assert len(sent) == 1 and "oaching" in json.dumps(sent[0].params)
