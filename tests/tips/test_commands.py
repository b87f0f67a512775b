"""`/lvm` over signed HTTP: tips, topics, and what a tip request it cannot read gets back."""

from __future__ import annotations

from bot.bank import Lens
from slack_standin import validate_blocks
from tests.support.harness import ALICE, QUIET_CHANNEL, TEAM_CHANNEL, text_of
from tests.support.tips import shown_count, shown_practice


def action_ids(message: dict) -> list[str]:
    return [
        element["action_id"]
        for block in message.get("blocks", [])
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def test_tip_answers_in_the_ack_with_a_practice_and_its_buttons(harness):
    response = harness.slack.command(ALICE, "tip", channel_id=TEAM_CHANNEL)
    assert response.status == 200
    message = harness.last_message(ALICE)
    assert message["is_ephemeral"]
    assert validate_blocks(message["blocks"]) == []
    practice = shown_practice(harness, message)
    assert practice.title in text_of(message)
    assert practice.try_this in text_of(message)
    assert action_ids(message) == ["tip.another", "tip.helpful", "tip.not_for_me", "tip.share"]
    assert shown_count(harness) == 1
    # The answer rode on the ack: no Web API call was needed to show it.
    assert harness.workspace.calls_to("chat.postEphemeral") == []


def test_tip_on_a_topic_stays_on_that_topic(harness):
    for _ in range(3):
        harness.slack.command(ALICE, "tip delegation", channel_id=TEAM_CHANNEL)
        practice = shown_practice(harness, harness.last_message(ALICE))
        assert "delegation" in practice.topics


def test_tip_by_lens_gives_that_side_or_both(harness):
    for _ in range(3):
        harness.slack.command(ALICE, "tip Management", channel_id=TEAM_CHANNEL)
        practice = shown_practice(harness, harness.last_message(ALICE))
        assert practice.lens in (Lens.MANAGEMENT, Lens.BOTH)


def test_unknown_tip_word_gets_closest_topics_and_the_list(harness):
    response = harness.slack.command(ALICE, "tip delegaton", channel_id=TEAM_CHANNEL)
    assert response.status == 200
    text = text_of(harness.last_message(ALICE))
    assert "/lvm tip delegation" in text
    assert "vision-vs-goals" in text  # the full list follows
    assert shown_count(harness) == 0


def test_topics_lists_each_topic_with_its_count(harness):
    harness.slack.command(ALICE, "topics", channel_id=TEAM_CHANNEL)
    shown = text_of(harness.last_message(ALICE))
    bank = harness.services.bank
    for topic in bank.topics:
        assert f"`{topic.id}`  {topic.name} ({len(bank.practices_for_topic(topic.id))})" in shown


def test_tips_work_in_channels_the_app_is_not_in(harness):
    response = harness.slack.command(ALICE, "tip", channel_id=QUIET_CHANNEL)
    assert response.status == 200
    assert shown_practice(harness, harness.last_message(ALICE))
