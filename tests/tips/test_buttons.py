"""Tip buttons, clicked the way Slack delivers them: another, helpful, not for me, share."""

from __future__ import annotations

from sqlalchemy import select

from bot.tips.store import TipFeedback
from tests.support.harness import ALICE, BOB, QUIET_CHANNEL, TEAM_CHANNEL, text_of
from tests.support.tips import shown_count, shown_practice


def first_tip(harness, channel: str = TEAM_CHANNEL, text: str = "tip") -> dict:
    harness.slack.command(ALICE, text, channel_id=channel)
    return harness.last_message(ALICE)


def feedback_rows(harness) -> list[tuple[str, str, str]]:
    with harness.services.database.transaction() as session:
        return [
            (row.user_id, row.practice_id, row.verdict)
            for row in session.scalars(select(TipFeedback))
        ]


def test_another_tip_replaces_the_message_with_a_new_practice_on_the_same_query(harness):
    message = first_tip(harness, text="tip delegation")
    before = shown_practice(harness, message)
    response = harness.slack.click(ALICE, message, "tip.another")
    assert response.status == 200
    replaced = harness.workspace.wait_for(
        lambda: (m := harness.last_message(ALICE)) and shown_practice(harness, m) != before and m,
        what="the tip to be replaced",
    )
    after = shown_practice(harness, replaced)
    assert "delegation" in after.topics
    assert len([m for m in harness.workspace.messages_for(ALICE) if m["is_ephemeral"]]) == 1
    assert shown_count(harness) == 2


def test_helpful_is_stored_once_however_often_it_is_clicked(harness):
    message = first_tip(harness)
    practice = shown_practice(harness, message)
    for _ in range(3):  # a double click, and a redelivery
        assert harness.slack.click(ALICE, message, "tip.helpful").status == 200
    assert feedback_rows(harness) == [(ALICE, practice.id, "helpful")]
    updated = harness.workspace.wait_for(
        lambda: "Marked helpful" in text_of(harness.last_message(ALICE)),
        what="the thank-you line",
    )
    assert updated


def test_not_for_me_replaces_an_earlier_helpful(harness):
    message = first_tip(harness)
    practice = shown_practice(harness, message)
    harness.slack.click(ALICE, message, "tip.helpful")
    harness.workspace.wait_for(lambda: "Marked helpful" in text_of(harness.last_message(ALICE)))
    harness.slack.click(ALICE, harness.last_message(ALICE), "tip.not_for_me")
    assert feedback_rows(harness) == [(ALICE, practice.id, "not_for_me")]


def test_share_posts_the_practice_to_the_channel_and_confirms(harness):
    message = first_tip(harness)
    practice = shown_practice(harness, message)
    assert harness.slack.click(ALICE, message, "tip.share").status == 200
    posted = harness.workspace.wait_for(
        lambda: harness.workspace.channel_messages(TEAM_CHANNEL), what="the shared post"
    )
    assert practice.title in text_of(posted[-1])
    assert f"<@{ALICE}>" in text_of(posted[-1])
    # Everyone in the channel sees it, not just the person who shared it.
    assert any(practice.title in text_of(m) for m in harness.workspace.messages_for(BOB))
    harness.workspace.wait_for(lambda: "Shared" in text_of(harness.last_message(ALICE)))


def test_share_where_the_app_is_not_a_member_says_how_to_invite_it(harness):
    message = first_tip(harness, channel=QUIET_CHANNEL)
    harness.slack.click(ALICE, message, "tip.share")
    notice = harness.workspace.wait_for(
        lambda: (
            "/invite @lvm" in text_of(harness.last_message(ALICE)) and harness.last_message(ALICE)
        ),
        what="the invite hint",
    )
    assert notice
    assert harness.workspace.channel_messages(QUIET_CHANNEL) == []


def test_a_slack_error_while_sharing_is_explained(harness):
    message = first_tip(harness)
    harness.fake.fail_next("chat.postMessage", "restricted_action")
    harness.slack.click(ALICE, message, "tip.share")
    harness.workspace.wait_for(
        lambda: "restricted_action" in text_of(harness.last_message(ALICE)),
        what="the explanation of Slack's refusal",
    )
    assert harness.workspace.channel_messages(TEAM_CHANNEL) == []


def test_feedback_on_a_retired_practice_is_explained_and_not_stored(harness):
    message = first_tip(harness)
    for block in message["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == "tip.helpful":
                element["value"] = "a-practice-that-was-removed"
    harness.slack.click(ALICE, message, "tip.helpful", value="a-practice-that-was-removed")
    harness.workspace.wait_for(
        lambda: "no longer in the bank" in text_of(harness.last_message(ALICE)),
        what="the retired-practice notice",
    )
    assert feedback_rows(harness) == []
