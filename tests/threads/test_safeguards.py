"""What keeps a conversation from becoming a way to find its author, or a nuisance: the
daily cap on each side, no links from managers, a manager who leaves the team losing it,
Slack sending a request twice, and links that go with closing or age."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select, update

from bot.pulse.store import PulseComment
from bot.threads.blocks import AUTHOR_ANSWER, THREAD_ACK, THREAD_REPLY
from bot.threads.store import CommentThread, ThreadMessage
from tests.support.harness import ALICE, DAN, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import set_up_team, tick
from tests.support.thread_steps import (
    AUTHOR,
    BOBS_COMMENT,
    CAROLS_COMMENT,
    CLOSED,
    author_answers,
    author_dms,
    choose,
    closed_round_with_comments,
    comment_menu_of,
    digest,
    manager_texts,
    reply_from_digest,
    top_view,
    write,
)


def form_error(response) -> str:
    """The form's error, as the person reads it under the field ("" when none)."""
    errors = (response.json or {}).get("errors") or {}
    return " ".join(errors.values())


def messages(harness) -> list[tuple[str, str]]:
    with harness.services.database.reading() as session:
        rows = session.scalars(select(ThreadMessage).order_by(ThreadMessage.id))
        return [(row.side, row.kind) for row in rows]


def relay(harness) -> None:
    tick(harness, harness.services.now() + timedelta(seconds=30))


def test_each_side_sends_at_most_so_many_messages_a_day(harness):
    closed_round_with_comments(harness)
    reply_from_digest(harness, ALICE, "What would help most?")
    dm = harness.wait_for_text(DAN, "What would help most?")
    harness.slack.click(DAN, dm, f"{THREAD_ACK}.thanks")
    harness.slack.click(
        ALICE, harness.wait_for_text(ALICE, "What would help most?"), f"{THREAD_ACK}.on_it"
    )
    harness.wait_until_idle()
    assert len(author_dms(harness)) == 3

    # The managers' fourth of the day, whoever sends it, is refused and goes nowhere.
    refused = reply_from_digest(harness, DAN, "And one more thing?")
    assert "The managers have sent 3 messages in this conversation today" in form_error(refused)
    choose(harness, ALICE, digest(harness, ALICE), CAROLS_COMMENT, "lets_talk")
    harness.wait_for_text(ALICE, "The managers have sent 3 messages")
    assert len(author_dms(harness)) == 3

    # The author's own three, then a refusal; the managers get the three with the tick.
    for n in range(3):
        assert not form_error(author_answers(harness, f"Answer number {n}."))
    harness.slack.click(AUTHOR, author_dms(harness)[-1], AUTHOR_ANSWER)
    fourth = write(harness, AUTHOR, top_view(harness, AUTHOR, "the answer form"), "A fourth.")
    assert "You have sent 3 messages in this conversation today" in form_error(fourth)
    relay(harness)
    dan_sees = manager_texts(harness, DAN)
    assert all(f"Answer number {n}." in dan_sees for n in range(3))
    assert "A fourth." not in dan_sees

    # A new day in the team's time zone: each side may write again.
    harness.services.now.set(harness.services.now() + timedelta(days=1))
    assert not form_error(reply_from_digest(harness, DAN, "And one more thing?"))
    assert "And one more thing?" in text_of(author_dms(harness)[-1])
    assert messages(harness).count(("manager", "reply")) == 2


def test_a_manager_cannot_send_a_link_or_an_empty_reply(harness):
    closed_round_with_comments(harness)
    for words in (
        "See https://example.com/form?who=1",
        "mail me at dan@example.com",
        "the survey is at bit.ly/abc",
        "<https://example.com|our notes>",
        "   ",
    ):
        refused = reply_from_digest(harness, ALICE, words)
        assert form_error(refused)
    assert "Links and addresses can't be sent here" in form_error(
        reply_from_digest(harness, ALICE, "www.example.com")
    )
    assert author_dms(harness) == [] and messages(harness) == []


def test_a_manager_who_leaves_the_team_loses_the_conversation(harness):
    closed_round_with_comments(harness)
    reply_from_digest(harness, ALICE, "What would help most?")
    dans_dm = harness.wait_for_text(DAN, "What would help most?")
    assert "Conversations about comments" in json.dumps(harness.open_home(DAN))

    set_up_team(harness, ALICE, managers={"managers": [ALICE]})  # Dan is no longer a manager
    harness.slack.click(DAN, dans_dm, f"{THREAD_ACK}.thanks")
    harness.wait_for_text(DAN, "Only this team's managers")
    harness.slack.click(DAN, dans_dm, THREAD_REPLY)
    harness.wait_until_idle()
    assert harness.workspace.top_view(DAN) is None  # no reply form
    choose(harness, DAN, digest(harness, DAN), CAROLS_COMMENT, "on_it")
    harness.wait_until_idle()
    assert len(author_dms(harness)) == 1
    assert "Conversations about comments" not in json.dumps(harness.open_home(DAN))

    author_answers(harness, "The dates moved twice.")
    relay(harness)
    assert "The dates moved twice." in manager_texts(harness, ALICE)
    assert "The dates moved twice." not in manager_texts(harness, DAN)


def test_slack_sending_a_request_again_sends_nothing_twice(harness):
    closed_round_with_comments(harness)
    choose(harness, ALICE, digest(harness, ALICE), CAROLS_COMMENT, "reply")
    sent = write(harness, ALICE, top_view(harness, ALICE, "the reply form"), "Tell me more?")
    harness.wait_until_idle()
    assert harness.slack.redeliver(sent, retry_num=1).status == 200
    thanked = harness.slack.click(
        DAN, harness.wait_for_text(DAN, "Tell me more?"), f"{THREAD_ACK}.thanks"
    )
    harness.wait_until_idle()
    assert harness.slack.redeliver(thanked, retry_num=1).status == 200
    harness.wait_until_idle()
    assert len(author_dms(harness)) == 2

    harness.slack.click(AUTHOR, author_dms(harness)[-1], AUTHOR_ANSWER)
    answered = write(harness, AUTHOR, top_view(harness, AUTHOR, "the answer form"), "Gladly.")
    harness.wait_until_idle()
    assert harness.slack.redeliver(answered, retry_num=2).status == 200
    harness.wait_until_idle()
    relay(harness)
    assert manager_texts(harness, DAN).count("Gladly.") == 1
    assert messages(harness) == [("manager", "reply"), ("manager", "thanks"), ("author", "reply")]
    confirmations = [
        m for m in harness.workspace.dm_messages(AUTHOR) if "Your answer goes" in text_of(m)
    ]
    assert len(confirmations) == 1


def test_a_comment_from_before_replies_existed_has_no_menu(harness):
    def as_if_written_before_replies() -> None:
        with harness.services.database.transaction() as session:
            session.execute(
                update(PulseComment)
                .where(PulseComment.text == CAROLS_COMMENT)
                .values(reference=None, author_link=None)
            )

    closed_round_with_comments(harness, before_close=as_if_written_before_replies)
    message = digest(harness, ALICE)
    (carols,) = [b for b in message["blocks"] if CAROLS_COMMENT in json.dumps(b)]
    assert "accessory" not in carols
    assert comment_menu_of(message, BOBS_COMMENT)
    assert "Comments without a menu cannot be answered" in text_of(message)


def test_the_link_goes_at_the_retention_age_and_the_conversation_closes(harness):
    closed_round_with_comments(harness)
    reply_from_digest(harness, ALICE, "What would help most?")
    tick(harness, harness.services.now() + timedelta(weeks=25))
    with harness.services.database.reading() as session:
        assert session.scalar(select(CommentThread.status)) == "open"
    tick(harness, harness.services.now() + timedelta(weeks=1, days=1))
    with harness.services.database.reading() as session:
        assert session.execute(select(CommentThread.status, CommentThread.closed_by)).one() == (
            "closed",
            "retention",
        )
        assert set(session.scalars(select(PulseComment.author_link))) == {None}
    harness.slack.click(AUTHOR, author_dms(harness)[-1], AUTHOR_ANSWER)
    harness.wait_for_text(AUTHOR, "This conversation is closed")
    harness.slack.command(ALICE, "summary weeks:30", channel_id=TEAM_CHANNEL)
    summary = harness.wait_for_text(ALICE, "Pulse summary")
    assert "⋮" not in json.dumps(summary)


def test_the_link_lives_as_long_as_comments_are_kept_and_goes_before_its_comment(harness):
    """The link's age is the retention setting's, not a fixed half year: here four weeks."""
    harness.services.settings.LVM_RETAIN_ANSWERS_WEEKS = 4
    closed_round_with_comments(harness)
    reply_from_digest(harness, ALICE, "What would help most?")

    tick(harness, CLOSED + timedelta(weeks=4) - timedelta(hours=1))
    with harness.services.database.reading() as session:
        assert session.scalar(select(CommentThread.status)) == "open"
        assert None not in set(session.scalars(select(PulseComment.author_link)))
    harness.slack.click(AUTHOR, author_dms(harness)[-1], AUTHOR_ANSWER)
    harness.wait_until_idle()
    assert harness.workspace.top_view(AUTHOR)["callback_id"] == "thread.answer_view"
    harness.workspace.close_top_modal(AUTHOR)

    # Four weeks after the close: the links go and the conversation closes; the comments,
    # which retention keeps while a conversation is open, go with the next tick.
    tick(harness, CLOSED + timedelta(weeks=4, minutes=1))
    with harness.services.database.reading() as session:
        assert session.execute(select(CommentThread.status, CommentThread.closed_by)).one() == (
            "closed",
            "retention",
        )
        assert set(session.scalars(select(PulseComment.author_link))) == {None}
    tick(harness, CLOSED + timedelta(weeks=4, minutes=2))
    with harness.services.database.reading() as session:
        assert list(session.scalars(select(PulseComment.text))) == []
    harness.slack.click(AUTHOR, author_dms(harness)[-1], AUTHOR_ANSWER)
    harness.wait_for_text(AUTHOR, "I can't find that comment any more")
