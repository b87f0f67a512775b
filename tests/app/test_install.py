"""Installing by OAuth: /slack/install, Slack's redirect, and the stored installation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from bot.clock import tick
from bot.platform.installations import STATE_SECONDS
from tests.support.installs import (
    STATE_COOKIE,
    install,
    redirect,
    running_oauth_app,
    start_install,
    workspace,
)


def bots(database) -> list[tuple]:
    with database.reading() as session:
        return list(
            session.execute(
                text(
                    "SELECT team_id, enterprise_id, is_enterprise_install, bot_token "
                    "FROM slack_bots ORDER BY team_id"
                )
            )
        )


def test_the_install_link_sends_the_browser_to_slack_with_a_signed_state_and_the_manifest_scopes(
    database, bank, clock
):
    with running_oauth_app(database, bank, clock) as local:
        started = start_install(local)
    location = started.page.headers["location"]
    assert location.startswith("https://slack.com/oauth/v2/authorize?")
    assert started.authorize["client_id"] == [local.fake.grants.client_id]
    scopes = started.authorize["scope"][0].split(",")
    assert {"commands", "chat:write", "im:write", "users:read"} <= set(scopes)
    stored, _, signature = started.state.rpartition(".")
    assert stored and len(signature) == 64
    assert started.cookie == f"{STATE_COOKIE}={started.state}"


def test_slack_s_redirect_with_its_code_stores_the_workspace_s_own_bot_token(database, bank, clock):
    acme = workspace("T0ACME", "acme")
    with running_oauth_app(database, bank, clock) as local:
        page = install(local, acme)
        exchanged = [c for c in acme.calls_to("oauth.v2.access") if c.ok]
    assert page.status == 200, page
    assert "lvm is installed in acme" in page.body
    assert len(exchanged) == 1
    [(team_id, enterprise_id, org_wide, token)] = bots(database)
    assert (team_id, enterprise_id, bool(org_wide)) == ("T0ACME", None, False)
    assert token == exchanged[0].response["access_token"]


def test_a_replayed_forged_or_missing_state_is_refused_with_a_page_that_says_what_to_do(
    database, bank, clock
):
    acme = workspace("T0ACME", "acme")
    with running_oauth_app(database, bank, clock) as local:
        used = start_install(local)
        first = redirect(
            local, used.cookie, code=local.fake.approve_install(acme), state=used.state
        )
        assert first.status == 200
        # The same state again (a reload, or someone who saw the URL): used once already.
        replayed = redirect(
            local, used.cookie, code=local.fake.approve_install(acme), state=used.state
        )
        # A state lvm never signed, cookie and all.
        forged_state = used.state.rpartition(".")[0] + "." + "0" * 64
        forged = redirect(
            local,
            f"{STATE_COOKIE}={forged_state}",
            code=local.fake.approve_install(acme),
            state=forged_state,
        )
        missing = redirect(local, code=local.fake.approve_install(acme))
        # A genuine state, arriving in a browser that did not start the install.
        other = start_install(local)
        elsewhere = redirect(local, code=local.fake.approve_install(acme), state=other.state)
    for page in (replayed, forged, missing, elsewhere):
        assert page.status in (400, 401), page
        assert "lvm was not installed" in page.body
        assert "Open the install link" in page.body
    assert "expired, was already used, or was not made by lvm" in replayed.body
    assert "expired, was already used, or was not made by lvm" in forged.body
    assert "carries no install state" in missing.body
    assert "another browser" in elsewhere.body
    assert len(bots(database)) == 1  # only the first install was stored


def test_an_org_wide_install_is_stored_for_the_organization_and_serves_its_workspaces(
    database, bank, clock
):
    grid = workspace("T0GRID", "grid", enterprise_id="E0ORG", org_wide=True)
    with running_oauth_app(database, bank, clock) as local:
        assert install(local, grid).status == 200
        [(team_id, enterprise_id, org_wide, token)] = bots(database)
        assert (team_id, enterprise_id, bool(org_wide)) == (None, "E0ORG", True)
        from tests.support.installs import harness_for

        harness = harness_for(local, grid)
        assert harness.slack.command("U0ALICE", "tip delegation", channel_id="C0TEAM").status == 200
        harness.wait_for_text("U0ALICE", "Delegation")
        harness.wait_until_idle()
        # The clock and the outbox find the org's install by the workspace alone.
        client = local.services.workspaces.client_for("T0GRID")
    assert client.token == token


def states(database) -> int:
    with database.reading() as session:
        return int(session.scalar(text("SELECT count(*) FROM slack_oauth_states")) or 0)


def test_install_links_never_brought_back_from_slack_are_purged_once_expired(database, bank, clock):
    opened = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    acme = workspace("T0ACME", "acme")
    with running_oauth_app(database, bank, clock) as local:
        clock.set(opened)
        abandoned = [start_install(local) for _ in range(3)]  # anyone may open the link
        clock.set(opened + timedelta(minutes=6))
        recent = start_install(local)
        assert states(database) == 4
        clock.set(opened + timedelta(seconds=STATE_SECONDS + 1))
        assert tick(local.services) >= 3
        assert states(database) == 1  # the recent one is still good for its 10 minutes
        late = redirect(
            local,
            abandoned[0].cookie,
            code=local.fake.approve_install(acme),
            state=abandoned[0].state,
        )
        assert late.status in (400, 401) and "has expired" in late.body
        page = redirect(
            local, recent.cookie, code=local.fake.approve_install(acme), state=recent.state
        )
        assert page.status == 200, page
        assert states(database) == 0  # used once, gone
