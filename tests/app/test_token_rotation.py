"""Token rotation: workspaces installed by OAuth with expiring bot tokens (12 hours) and
refresh tokens. Once a token has expired, by the clock both lvm and the stand-in read, the
clock's round, its DMs and a slash command all go on with a renewed token (slack_sdk's
TokenRotator, in Bolt for requests and in bot/platform/workspaces.py for the rest). A
renewal Slack refuses fails that workspace's messages alone, with one clear log line."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.platform import outbox
from bot.platform.installations import remember_org
from bot.platform.workspaces import WorkspaceClients
from slack_standin import Workspace
from slack_standin.api_oauth import TOKEN_LIFETIME
from tests.support.harness import ALICE, BOB, CAROL, TEAM_CHANNEL, Harness, text_of
from tests.support.installs import harness_for, install, running_oauth_app, workspace
from tests.support.pulse_steps import pulse_dms, set_up_team, tick

SETUP_DAY = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # a Friday; tokens expire at midnight
MONDAY_OPENING = datetime(2026, 11, 23, 10, 0, 30, tzinfo=UTC)  # 10:00 London
TUESDAY_NUDGE = datetime(2026, 11, 24, 8, 30, 5, tzinfo=UTC)  # 08:30 London
LIFETIME = timedelta(seconds=TOKEN_LIFETIME)


@dataclass
class Two:
    acme: Harness
    beta: Harness


@pytest.fixture
def rotating(database, bank, clock) -> Iterator[Two]:
    """Two workspaces that installed lvm on SETUP_DAY, after the app turned rotation on."""
    clock.set(SETUP_DAY)
    with running_oauth_app(database, bank, clock, slack_on_clock=True) as local:
        local.fake.grants.token_rotation = True
        acme, beta = workspace("T0ACME", "acme"), workspace("T0BETA", "beta")
        assert install(local, acme).status == 200
        assert install(local, beta).status == 200
        yield Two(harness_for(local, acme), harness_for(local, beta))


def granted_tokens(ws: Workspace) -> list[str]:
    """The bot tokens Slack handed out for the workspace, the install's first."""
    return [
        str(call.response["access_token"])
        for call in ws.calls_to("oauth.v2.access")
        if call.ok and isinstance(call.response, dict)
    ]


def stored_bot(database, team_id: str) -> tuple[str, datetime]:
    """The workspace's bot token and its expiry as lvm's database holds them."""
    with database.reading() as session:
        [(token, expires_at)] = session.execute(
            text("SELECT bot_token, bot_token_expires_at FROM slack_bots WHERE team_id = :team"),
            {"team": team_id},
        )
    if isinstance(expires_at, str):  # SQLite hands the naive UTC datetime back as text
        expires_at = datetime.fromisoformat(expires_at)
    return str(token), expires_at.replace(tzinfo=UTC)


def near(moment: datetime, expected: datetime) -> bool:
    return abs(moment - expected) <= timedelta(seconds=2)


def said(harness: Harness, words: str, user: str = ALICE, channel: str = TEAM_CHANNEL) -> str:
    assert harness.slack.command(user, words, channel_id=channel).status == 200
    harness.wait_until_idle()
    return text_of(harness.last_message(user))


def nudges_seen(harness: Harness, user: str = ALICE) -> list[dict]:
    return [
        m for m in harness.workspace.dm_messages(user) if "Your scheduled practice" in text_of(m)
    ]


def test_the_install_stores_a_refresh_token_and_the_expiry_in_lvm_s_time(rotating, database):
    [installed] = granted_tokens(rotating.acme.workspace)
    token, expires_at = stored_bot(database, "T0ACME")
    assert token == installed and token.startswith("xoxe.xoxb-")
    assert near(expires_at, SETUP_DAY + LIFETIME)  # by the test's clock, not the machine's


def test_after_the_token_expired_the_round_s_dms_go_out_with_a_renewed_token(rotating, database):
    acme = rotating.acme
    set_up_team(acme, ALICE)
    acme.wait_until_idle()
    posted_at_setup = len(acme.workspace.calls_to("chat.postMessage"))

    tick(acme, MONDAY_OPENING)  # the install's token expired on Saturday at midnight

    assert pulse_dms(acme, BOB) and pulse_dms(acme, CAROL)
    installed, renewed = granted_tokens(acme.workspace)
    posts = acme.workspace.calls_to("chat.postMessage")[posted_at_setup:]
    assert posts and {call.token for call in posts} == {renewed}
    assert not [call for call in acme.workspace.calls if call.error == "token_expired"]
    # The renewed bot is stored, good for 12 hours from now, where Bolt finds it too.
    token, expires_at = stored_bot(database, "T0ACME")
    assert token == renewed != installed
    assert near(expires_at, MONDAY_OPENING + LIFETIME)
    assert "Open round:" in said(acme, "pulse")
    assert len(granted_tokens(acme.workspace)) == 2  # that answer needed no renewal


def test_a_slash_command_after_the_token_expired_is_answered_with_a_renewed_token(
    rotating, database, clock
):
    acme = rotating.acme
    set_up_team(acme, ALICE)
    acme.wait_until_idle()  # the setup's announcement is posted
    clock.set(MONDAY_OPENING)  # expired, and nothing of the clock ran to renew it

    assert said(acme, "pulse").startswith("Pulse for")  # the team's status: the command ran

    installed, renewed = granted_tokens(acme.workspace)  # Bolt renewed it for the request
    assert stored_bot(database, "T0ACME")[0] == renewed != installed
    last_check = acme.workspace.calls_to("auth.test")[-1]
    assert (last_check.token, last_check.ok) == (renewed, True)


def test_a_refused_renewal_fails_that_workspace_s_messages_alone_with_one_clear_log_line(
    rotating, database, caplog
):
    for harness in (rotating.acme, rotating.beta):
        dm = harness.workspace.dm_channel_id(ALICE)
        assert "every working day at 08:30" in said(harness, "nudge daily 08:30", channel=dm)
    acme = rotating.acme
    assert acme.fake.grants.revoke_refresh_tokens(acme.workspace) == 1

    with caplog.at_level(logging.INFO):
        tick(acme, TUESDAY_NUDGE)  # both tokens expired on Saturday

    assert not nudges_seen(acme) and len(nudges_seen(rotating.beta)) == 1
    with database.reading() as session:
        acme_rows = outbox.messages(session, team_id="T0ACME", status=None)
        beta_rows = outbox.messages(session, team_id="T0BETA", status=None)
    assert [row.status for row in acme_rows] == [outbox.FAILED]
    assert "refused to renew" in (acme_rows[0].last_error or "")
    assert "invalid_refresh_token" in (acme_rows[0].last_error or "")
    assert [row.status for row in beta_rows] == [outbox.SENT]
    [beta_post] = rotating.beta.workspace.calls_to("chat.postMessage")[-1:]
    assert beta_post.token == granted_tokens(rotating.beta.workspace)[-1]
    refusals = [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.ERROR and "renew" in record.getMessage()
    ]
    assert refusals and all("T0ACME" in line for line in refusals)
    assert all("invalid_refresh_token" in line for line in refusals)
    assert not [line for line in refusals if ALICE in line or "T0BETA" in line]


def test_a_renewal_slack_fails_is_retried_and_the_row_goes_out_once_slack_answers(
    rotating, database
):
    acme = rotating.acme
    dm = acme.workspace.dm_channel_id(ALICE)
    assert "every working day at 08:30" in said(acme, "nudge daily 08:30", channel=dm)
    # A 5xx is Slack's trouble, not a refusal: the refresh token is still good.
    acme.fake.fail_next("oauth.v2.access", "internal_error", status=500)

    tick(acme, TUESDAY_NUDGE)  # the token expired on Saturday

    with database.reading() as session:
        [row] = outbox.messages(session, team_id="T0ACME", status=None)
    assert row.status == outbox.PENDING and "could not be renewed" in (row.last_error or "")
    assert not nudges_seen(acme)

    tick(acme, TUESDAY_NUDGE + timedelta(minutes=2))  # after the row's backoff

    assert len(nudges_seen(acme)) == 1
    assert stored_bot(database, "T0ACME")[0] == granted_tokens(acme.workspace)[-1]


def test_while_slack_fails_a_renewal_the_token_not_yet_expired_is_used(rotating, database):
    acme = rotating.acme
    dm = acme.workspace.dm_channel_id(ALICE)
    assert "every working day at 08:30" in said(acme, "nudge daily 08:30", channel=dm)
    [installed] = granted_tokens(acme.workspace)
    clients = WorkspaceClients(
        acme.services.settings, database, now=lambda: SETUP_DAY + LIFETIME - timedelta(hours=1)
    )
    acme.fake.fail_next("oauth.v2.access", "internal_error", status=500)

    # Due for renewal (within two hours of its expiry), Slack failing: the token still works.
    assert clients.client_for("T0ACME").token == installed
    assert stored_bot(database, "T0ACME")[0] == installed


def test_the_workspaces_of_an_org_wide_install_renew_its_token_once_not_each(database, bank, clock):
    clock.set(SETUP_DAY)
    with running_oauth_app(database, bank, clock, slack_on_clock=True) as local:
        local.fake.grants.token_rotation = True
        grid = workspace("T0GRID", "grid", enterprise_id="E0ORG", org_wide=True)
        assert install(local, grid).status == 200
        for team in ("T0ONE", "T0TWO"):
            remember_org(database, team, "E0ORG")
        clock.set(MONDAY_OPENING)  # the org's token expired on Saturday
        # Renewals arriving together reach Slack together, as with two lanes of one Sender.
        local.fake.grants.renewals_meet = threading.Barrier(2, timeout=1.0)
        clients = WorkspaceClients(local.services.settings, database, now=clock)
        with ThreadPoolExecutor(2) as pool:
            tokens = list(pool.map(lambda team: clients.client_for(team).token, ["T0ONE", "T0TWO"]))

        # A refused call names no workspace: the stand-in records it in its own.
        renewals = [
            call
            for ws in (grid, local.workspace)
            for call in ws.calls_to("oauth.v2.access")
            if call.params.get("grant_type") == "refresh_token"
        ]
        assert [call.ok for call in renewals] == [True]  # one renewal, never refused
        assert len(granted_tokens(grid)) == 2  # the install's, and the one renewal's
        assert tokens == [granted_tokens(grid)[-1]] * 2
