"""A workspace of an Enterprise Grid organization that installed lvm org-wide: Slack names no
workspace where Bolt looks (`authorizations[0].team_id` is null, an interaction's `team`
may be null), and every listener still finds the workspace and serves it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.home.blocks import HOME_TIP
from bot.platform.installations import WorkspaceOrg
from bot.situation import blocks as situation_blocks
from bot.situation.store import SituationAnswer
from bot.tips.store import TipShown
from bot.welcome.store import Welcome
from tests.support.harness import ALICE, BOB, TEAM_CHANNEL, Harness, text_of
from tests.support.installs import harness_for, install, running_oauth_app, workspace

A_DAY = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
GRID, ORG = "T0GRID", "E0ORG"


def dm_replies(harness: Harness, user: str) -> list[dict]:
    return [m for m in harness.workspace.dm_messages(user) if m["source"] == "chat.postMessage"]


def test_home_a_dm_a_member_joining_a_click_and_a_form_all_serve_the_org_s_workspace(
    database, bank, clock
):
    clock.set(A_DAY)
    grid = workspace(GRID, "grid", enterprise_id=ORG, org_wide=True)
    with running_oauth_app(database, bank, clock) as local:
        assert install(local, grid).status == 200
        harness = harness_for(local, grid)

        home = harness.open_home(ALICE)
        assert "Welcome to lvm" in text_of(home)
        home_event = harness.slack.sent[-1]
        assert home_event["authorizations"][0]["team_id"] is None  # as Slack sends it

        assert harness.slack.user_message(BOB, "tip delegation").status == 200
        [tip] = harness.workspace.wait_for(lambda: dm_replies(harness, BOB), what="a tip")
        assert "Try this week" in text_of(tip)

        bot = harness.workspace.bot_user_id
        joined = {"type": "member_joined_channel", "user": bot, "channel": TEAM_CHANNEL}
        assert harness.slack.event({**joined, "channel_type": "C", "team": GRID}).status == 200
        harness.workspace.wait_for(
            lambda: [
                m
                for m in harness.workspace.channel_messages(TEAM_CHANNEL)
                if "I'm lvm" in text_of(m)
            ],
            what="the channel greeting",
        )

        assert harness.slack.click_in_view(ALICE, home, HOME_TIP).status == 200
        assert harness.slack.sent[-1]["team"] is None  # an org-wide install's interaction
        harness.workspace.wait_for(
            lambda: dm_replies(harness, ALICE), what="the tip the Home button sends"
        )

        assert harness.slack.command(ALICE, "situation", channel_id=TEAM_CHANNEL).status == 200
        form = harness.workspace.wait_for(
            lambda: harness.workspace.top_view(ALICE), what="the situation form"
        )
        factors = {situation_blocks.FACTORS: {situation_blocks.FACTORS: ["change"]}}
        submitted = harness.slack.submit_view(ALICE, form, factors)
        assert submitted.status == 200 and not submitted.body.strip(), submitted.body
        assert harness.slack.sent[-1]["team"] is None
        harness.wait_for_text(ALICE, "Lean on leading")
        harness.wait_until_idle()
        failures = [
            text_of(m)
            for user in (ALICE, BOB)
            for m in harness.workspace.messages_for(user)
            if "went wrong" in text_of(m)
        ]
        assert failures == []

    with database.reading() as session:
        greeted = set(session.execute(select(Welcome.team_id, Welcome.kind, Welcome.target_id)))
        assert {(GRID, "home", ALICE), (GRID, "channel", TEAM_CHANNEL)} <= greeted
        tips = set(session.execute(select(TipShown.team_id, TipShown.user_id)))
        assert tips >= {(GRID, BOB), (GRID, ALICE)}
        assert set(session.scalars(select(SituationAnswer.team_id))) == {GRID}
        # Each stored under the workspace, none under the organization or no one.
        assert session.get(WorkspaceOrg, GRID).enterprise_id == ORG
