"""`/lvm` as people type it: help, misspelled subcommands, spoken times, spans and channels
that don't exist. Each is accepted when its meaning is clear, or refused with what would be."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.nudges.store import TipSubscription
from bot.platform.subcommands import CATALOG
from tests.support.harness import ALICE, BOB, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import set_up_team
from tests.support.tips import shown_practice


def said(harness, user: str, text: str, channel: str = TEAM_CHANNEL) -> str:
    """What the person sees in answer to the command (in its ack)."""
    response = harness.slack.command(user, text, channel_id=channel)
    assert response.status == 200
    return text_of(harness.last_message(user))


def typed(harness, user: str, text: str, channel: str = TEAM_CHANNEL) -> None:
    """A command answered after its ack (saving a nudge, building a summary)."""
    assert harness.slack.command(user, text, channel_id=channel).status == 200


@pytest.mark.parametrize(
    ("words", "meant"),
    [("tips", "/lvm tip"), ("summry weeks:4", "/lvm summary weeks:4"), ("topic", "/lvm topics")],
)
def test_a_misspelled_subcommand_gets_did_you_mean_not_the_whole_help(harness, words, meant):
    shown = said(harness, ALICE, words)
    assert f"Did you mean `{meant}`?" in shown
    assert "Here is what I can do" not in shown  # not the whole help
    assert len(harness.last_message(ALICE)["blocks"]) == 1


def test_an_unknown_word_far_from_any_subcommand_still_gets_the_help(harness):
    shown = said(harness, ALICE, "frobnicate")
    assert "I don't know `/lvm frobnicate`" in shown and "Did you mean" not in shown
    assert "/lvm summary" in shown


def test_a_word_search_says_what_it_matched(harness):
    # An alias of a topic: the answer names the topic it stands for.
    shown = said(harness, ALICE, "tip feedback")
    practice = shown_practice(harness, harness.last_message(ALICE))
    topic = harness.services.bank.topic_by_id[practice.primary_topic].name
    assert f'Showing a {topic} practice for "feedback".' in shown
    # Free words: the answer says what they matched, and how many practices mention them.
    shown = said(harness, ALICE, "tip buffer")
    practice = shown_practice(harness, harness.last_message(ALICE))
    topic = harness.services.bank.topic_by_id[practice.primary_topic].name
    assert 'practice for "buffer"' in shown and topic in shown
    assert "that mention it)" in shown or "the only one that mentions it" in shown
    # A topic by name needs no such line: the topic is the answer.
    assert 'practice for "delegation"' not in said(harness, ALICE, "tip delegation")


def test_a_misspelled_pulse_word_gets_did_you_mean(harness):
    set_up_team(harness, ALICE)
    assert "Did you mean `/lvm pulse optout`?" in said(harness, BOB, "pulse optuot")


def subscriptions(harness) -> list[TipSubscription]:
    with harness.services.database.reading() as session:
        return list(session.scalars(select(TipSubscription)))


def test_the_nudge_status_keeps_the_channel_link_and_reads_right_in_a_dm(harness):
    typed(harness, ALICE, "nudge weekly mon 09:00 delegation")
    harness.wait_for_text(ALICE, "will get a practice")
    shown = said(harness, ALICE, "nudge")
    assert f"<#{TEAM_CHANNEL}> gets a practice every Monday" in shown
    dm = harness.workspace.dm_channel_id(ALICE)
    typed(harness, ALICE, "nudge daily 08:30", channel=dm)
    harness.wait_for_text(ALICE, "You will get a practice by DM every working day")
    assert "You get a practice by DM every working day" in said(harness, ALICE, "nudge", dm)
    said(harness, ALICE, "nudge off", dm)
    assert "You have no scheduled tips by DM. Nothing to stop." in said(
        harness, ALICE, "nudge off", dm
    )


@pytest.mark.parametrize(
    ("words", "weekday", "at"),
    [
        ("nudge weekly monday 9am", 0, "09:00"),
        ("nudge friday at 4:30pm leadership", 4, "16:30"),
        ("nudge every tues 17.45", 1, "17:45"),
    ],
)
def test_a_nudge_accepts_days_and_times_as_people_type_them(harness, words, weekday, at):
    typed(harness, ALICE, words)
    harness.wait_for_text(ALICE, "will get a practice")
    [saved] = subscriptions(harness)
    assert (saved.cadence, saved.weekday, saved.local_time) == ("weekly", weekday, at)


def test_a_nudge_says_what_it_refuses_and_what_it_accepts(harness):
    shown = said(harness, ALICE, "nudge weekyl mon 9am")
    assert "Did you mean `weekly`?" in shown and "Accepted forms" in shown
    shown = said(harness, ALICE, "nudge daily 13pm")
    assert "`13pm` is not a time of day" in shown and "9am" in shown
    assert subscriptions(harness) == []


def test_a_very_long_nudge_query_is_refused_and_nothing_is_saved(harness):
    query = " ".join(["delegation"] * 320)  # about 3,500 characters
    shown = said(harness, ALICE, f"nudge weekly mon 09:00 {query}")
    assert "up to 100 characters" in shown and len(shown) < 1000
    assert subscriptions(harness) == []
    assert "has no scheduled tips" in said(harness, ALICE, "nudge")


@pytest.mark.parametrize("span", ["weeks 26", "26 weeks", "weeks=26", "weeks: 26"])
def test_a_summary_span_is_accepted_as_people_type_it(harness, span):
    set_up_team(harness, ALICE)
    typed(harness, ALICE, f"summary {span}")
    summary = harness.workspace.wait_for(
        lambda: [
            m
            for m in harness.workspace.messages_for(ALICE)
            if "last 26 weeks" in text_of(m).lower()
        ],
        what="a summary over 26 weeks",
    )
    assert "understand" not in text_of(summary[-1])


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("summary #nope", "There is no channel `#nope`"),
        ("summary weeks:²", "`²` is not a number of weeks from 1 to 104"),
        ("summary weeks:500", "`500` is not a number of weeks from 1 to 104"),
        ("summary lately", "I don't understand `lately`"),
    ],
)
def test_a_summary_request_it_cannot_read_says_what_it_accepts(harness, words, expected):
    set_up_team(harness, ALICE)
    shown = said(harness, ALICE, words)
    assert expected in shown
    assert "`weeks 26`" in shown or "pick the team's channel" in shown
    assert "Something went wrong" not in shown


def test_help_lists_every_subcommand_with_an_example(harness):
    for text in ("help", "", "frobnicate"):
        harness.slack.command(ALICE, text, channel_id=TEAM_CHANNEL)
        shown = text_of(harness.last_message(ALICE))
        for sub in CATALOG:
            assert f"/lvm {sub.examples[0]}" in shown
    assert "I don't know `/lvm frobnicate`" in shown
