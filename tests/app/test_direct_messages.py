"""Text typed in the app's DM gets an answer: the command it names, or how to use lvm."""

from __future__ import annotations

from tests.support.harness import ALICE, BOB, TEAM_CHANNEL, text_of


def replies_to(harness, user: str) -> list[dict]:
    return [m for m in harness.workspace.dm_messages(user) if m["source"] == "chat.postMessage"]


def test_a_message_in_the_dm_gets_a_short_pointer_to_the_commands(harness):
    response = harness.slack.user_message(ALICE, "hello? how does this work")
    assert response.status == 200
    [reply] = harness.workspace.wait_for(lambda: replies_to(harness, ALICE), what="a reply")
    shown = text_of(reply)
    assert "I answer commands rather than messages" in shown and "/lvm help" in shown
    assert len(reply["blocks"]) == 1  # short, not the whole help


def test_a_message_naming_a_command_is_answered_as_that_command(harness):
    harness.slack.user_message(BOB, "tip delegation")
    [reply] = harness.workspace.wait_for(lambda: replies_to(harness, BOB), what="a tip")
    assert "Try this week" in text_of(reply) and "Delegation" in text_of(reply)


def test_a_command_that_needs_the_slash_command_is_told_how_to_type_it(harness):
    for typed in ("assess", "situation reorg", "/lvm summary", "pulse setup", "nudge daily 08:30"):
        before = len(replies_to(harness, ALICE))
        harness.slack.user_message(ALICE, typed)
        harness.workspace.wait_for(
            lambda n=before: len(replies_to(harness, ALICE)) > n, what=f"an answer to {typed}"
        )
        shown = text_of(replies_to(harness, ALICE)[-1])
        bare = typed.removeprefix("/lvm ")
        assert f"Type that as a slash command: `/lvm {bare}`" in shown, shown
    assert harness.workspace.calls_to("views.open") == []  # nothing tried without a trigger


def test_a_redelivered_message_is_answered_once(harness):
    harness.slack.user_message(ALICE, "hi")
    harness.workspace.wait_for(lambda: replies_to(harness, ALICE), what="a reply")
    dm = harness.workspace.dm_channel_id(ALICE)
    event = {"type": "message", "channel": dm, "user": ALICE, "text": "hi", "channel_type": "im"}
    assert harness.slack.event(event, retry_num=1, retry_reason="http_timeout").status == 200
    harness.slack.user_message(ALICE, "help")  # answered after the redelivery was handled
    harness.workspace.wait_for(
        lambda: any("grow as a leader" in text_of(m) for m in replies_to(harness, ALICE)),
        what="the answer to help",
    )
    assert len(replies_to(harness, ALICE)) == 2  # "hi" once, "help" once


def test_messages_in_channels_and_from_bots_get_no_answer(harness):
    harness.slack.user_message(ALICE, "tip", channel_id=TEAM_CHANNEL)
    dm = harness.workspace.dm_channel_id(BOB)
    harness.slack.event(
        {"type": "message", "channel": dm, "bot_id": "B0OTHER", "text": "hi", "channel_type": "im"}
    )
    harness.slack.user_message(BOB, "help")  # answered, and after the two above
    harness.workspace.wait_for(lambda: replies_to(harness, BOB), what="the answer to help")
    assert len(replies_to(harness, BOB)) == 1
    assert harness.workspace.channel_messages(TEAM_CHANNEL) == [
        m for m in harness.workspace.channel_messages(TEAM_CHANNEL) if m["source"] == "user"
    ]
