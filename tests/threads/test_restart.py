"""A conversation lives in the database: a second app on the same database (a restart, or
another worker) carries it on where the first left it."""

from __future__ import annotations

from datetime import timedelta

from bot.playground.workspace import start_local_slack
from bot.threads.blocks import THREAD_ACK
from tests.support.harness import ALICE, DAN, Harness, running_app, text_of
from tests.support.pulse_steps import tick
from tests.support.thread_steps import (
    author_answers,
    author_dms,
    closed_round_with_comments,
    manager_texts,
    reply_from_digest,
)


def test_a_conversation_survives_a_restart(database, bank, clock):
    with running_app(database, bank, clock) as first:
        closed_round_with_comments(first)
        reply_from_digest(first, ALICE, "What would help most?")
        workspace = first.workspace
    # The first app is gone; the people and their Slack messages are not.
    with start_local_slack(database, bank, clock, workspace=workspace) as local:
        second = Harness(local.workspace, local.fake, local.slack, local.services, local.url, local)
        author_answers(second, "Fewer changes to the plan mid-sprint.")
        tick(second, second.services.now() + timedelta(seconds=30))
        relayed = second.wait_for_text(DAN, "Fewer changes to the plan mid-sprint.")
        assert "The comment's author answered:" in text_of(relayed)
        reply_from_digest(second, DAN, "Noted: we'll freeze the plan for the sprint.")
        (_, latest) = author_dms(second)
        assert f"<@{DAN}> wrote" in text_of(latest)
        home = second.open_home(ALICE)
        shown = text_of({"blocks": home["blocks"]})
        assert "What would help most?" in shown and "Fewer changes to the plan" in shown
        assert manager_texts(second, ALICE).count("Noted: we'll freeze the plan") == 1

        # From App Home too: a click there has no response_url, so its answer comes by DM.
        second.slack.click_in_view(ALICE, home, f"{THREAD_ACK}.lets_talk")
        second.wait_for_text(ALICE, "“Let's talk” goes to the comment's author")
        assert "would like to talk about it" in text_of(author_dms(second)[-1])
        second.wait_until_idle()  # and the Home tab is published again, with it
        refreshed = second.workspace.home_view(ALICE)
        assert refreshed is not None and "You sent “Let's talk”" in text_of(refreshed)
