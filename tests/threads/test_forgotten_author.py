"""A comment's author asks lvm to forget them: no link leads to them any more, nothing more
reaches them, and the managers cannot tell which comment was theirs.

Carol wrote one of the round's comments and Bob the other; Alice talks with Carol's author,
Dan with Bob's. Carol forgets herself through `/lvm forget me` (signed requests) while a
reply to her waits for a retry. What the managers see before and after is compared, and the
conversation ends for them exactly as Bob's does, at the retention age.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from sqlalchemy import select

from bot.platform.outbox import OutboxMessage
from bot.pulse.store import PulseComment
from bot.rights.blocks import FORGET_CONFIRM
from bot.threads.addressing import TO_AUTHOR
from bot.threads.blocks import AUTHOR_ANSWER
from bot.threads.store import CommentThread
from tests.support.harness import ALICE, DAN, PULSE_SECRET, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import tick
from tests.support.stored_rows import opened
from tests.support.thread_steps import (
    AUTHOR,
    BOBS_COMMENT,
    CAROLS_COMMENT,
    author_dms,
    choose,
    closed_round_with_comments,
    digest,
    manager_texts,
    top_view,
    traces_of_the_author,
    write,
)


def reply(harness, manager: str, words: str, text: str):
    choose(harness, manager, digest(harness, manager), words, "reply")
    response = write(harness, manager, top_view(harness, manager, "the reply form"), text)
    assert response.status == 200 and not (response.json or {}).get("errors"), response.json
    harness.wait_until_idle()
    return response


def links(harness) -> dict[str, str]:
    """Each comment's author link as stored, by the comment's words."""
    with harness.services.database.reading() as session:
        return dict(session.execute(select(PulseComment.text, PulseComment.author_link)).all())


def what_links_open_to(harness) -> dict[str, str]:
    """Test-side, with the secret: what each comment's link opens to."""
    with harness.services.database.reading() as session:
        rows = session.execute(
            select(PulseComment.text, PulseComment.round_id, PulseComment.reference)
        ).all()
    stored = links(harness)
    team = harness.workspace.team_id
    return {
        text: opened(PULSE_SECRET, stored[text], f"{team}:{round_id}:{reference}")
        for text, round_id, reference in rows
    }


def waiting_to_author(harness) -> list[OutboxMessage]:
    with harness.services.database.reading() as session:
        return list(
            session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.kind == TO_AUTHOR, OutboxMessage.status == "pending"
                )
            )
        )


def without_block_ids(value: object) -> object:
    """Blocks as a person reads them: Slack makes up a block's id when none is given."""
    if isinstance(value, dict):
        return {k: without_block_ids(v) for k, v in value.items() if k != "block_id"}
    if isinstance(value, list):
        return [without_block_ids(v) for v in value]
    return value


def managers_view(harness) -> dict[str, object]:
    """What the managers see of the conversations: each one's Home, and a fresh summary's
    comments with their menus (whether each has one)."""
    seen: dict[str, object] = {
        m: without_block_ids(harness.open_home(m)["blocks"]) for m in (ALICE, DAN)
    }
    harness.slack.command(ALICE, "summary", channel_id=TEAM_CHANNEL)
    summary = harness.wait_for_text(ALICE, "Pulse summary")
    seen["menus"] = {
        words: "accessory" in block
        for block in summary["blocks"]
        for words in (CAROLS_COMMENT, BOBS_COMMENT)
        if words in json.dumps(block)
    }
    return seen


def forget(harness, person: str, answer: str) -> None:
    """`/lvm forget me`, confirmed, until the answer saying `answer` arrives."""
    asked = len(harness.workspace.messages_for(person))
    harness.slack.command(person, "forget me", channel_id=TEAM_CHANNEL)
    confirmation = harness.workspace.wait_for(
        lambda: next(
            (
                m
                for m in harness.workspace.messages_for(person)[asked:]
                if "Delete what lvm keeps about you" in text_of(m)
            ),
            None,
        ),
        what="the confirmation",
    )
    assert "the sealed links from your pulse comments to you" in text_of(confirmation)
    harness.slack.click(person, confirmation, FORGET_CONFIRM)
    harness.wait_for_text(person, answer)


def test_a_forgotten_author_is_reached_no_more_and_the_managers_cannot_tell(harness, caplog):
    with caplog.at_level(logging.DEBUG):
        closed_round_with_comments(harness)
        reply(harness, ALICE, CAROLS_COMMENT, "What changed most for you?")
        reply(harness, DAN, BOBS_COMMENT, "Which days would suit?")
        assert len(author_dms(harness)) == 1
        # Slack fails the next reply's DMs: the one to Carol waits in the outbox for a retry.
        harness.fake.fail_next("chat.postMessage", "internal_error", times=3)
        reply(harness, ALICE, CAROLS_COMMENT, "Is the plan clearer now?")
        assert len(waiting_to_author(harness)) == 1
        for manager in (ALICE, DAN):
            harness.open_home(manager)  # the first visit greets; the next ones compare
        links_before, seen_before = links(harness), managers_view(harness)
        assert seen_before["menus"] == {CAROLS_COMMENT: True, BOBS_COMMENT: True}

        forget(harness, AUTHOR, "Done: lvm has deleted")

        # No link opens to Carol; every link changed, so a copy of the database from before
        # does not point at hers; none was deleted.
        assert what_links_open_to(harness) == {
            CAROLS_COMMENT: "sealed(nobody)",
            BOBS_COMMENT: "sealed(U0BOB)",
        }
        links_after = links(harness)
        assert all(links_after[w] != links_before[w] for w in (CAROLS_COMMENT, BOBS_COMMENT))
        assert {len(link) for link in links_after.values()} == {
            len(link) for link in links_before.values()
        }
        assert waiting_to_author(harness) == []

        # The retry goes out to the managers, not to her (the next day, when the managers
        # may send three more).
        tick(harness, harness.services.now() + timedelta(days=1))
        assert len(author_dms(harness)) == 1
        assert "Is the plan clearer now?" in manager_texts(harness, DAN)

        # The managers see exactly what they saw: her conversation on their Home, her
        # comment's menu; a reply is taken as before and reaches nobody, as when muted.
        assert managers_view(harness) == seen_before
        reply(harness, ALICE, CAROLS_COMMENT, "Shall we talk on Friday?")
        assert "Shall we talk on Friday?" in manager_texts(harness, DAN)
        choose(harness, DAN, digest(harness, DAN), CAROLS_COMMENT, "thanks")
        harness.wait_for_text(DAN, "“Thanks” goes to the comment's author")
        assert len(author_dms(harness)) == 1 and waiting_to_author(harness) == []

        # Her own buttons find no conversation of hers any more.
        harness.slack.click(AUTHOR, author_dms(harness)[-1], AUTHOR_ANSWER)
        harness.wait_for_text(AUTHOR, "I can't find a conversation of yours")
        assert harness.workspace.top_view(AUTHOR) is None

        # Asking again finds nothing more (every link is sealed again, nothing counted).
        forget(harness, AUTHOR, "there was nothing left to delete")

        # At the retention age both conversations end alike, their links with them.
        tick(harness, harness.services.now() + timedelta(weeks=26, days=1))
        with harness.services.database.reading() as session:
            ended = session.execute(
                select(CommentThread.comment_reference, CommentThread.closed_by)
            ).all()
        assert [closed_by for _, closed_by in ended] == ["retention", "retention"]

    # Nothing was logged about her, and no DM failed for want of a link that opens.
    lines = [record.getMessage() for record in caplog.records]
    assert [line for line in lines if traces_of_the_author(line)] == []
    assert [line for line in lines if "could not be rendered" in line] == []
