"""A whole anonymous conversation through the signed request path, and what it lets out.

Alice replies to Carol's comment from her digest; Carol answers (the managers get it only
with the clock's next tick); Dan and Alice acknowledge it; Carol mutes (the managers are not
told, and what they send meanwhile does not reach her), then closes it. Along the way and
at the end, every API call made to the managers' side, every message and view they see,
every log line, the CSV export and the tables are searched for Carol: none names her.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from sqlalchemy import MetaData, select

from bot.pulse.store import PulseComment
from bot.threads.blocks import AUTHOR_CLOSE, AUTHOR_MUTE, AUTHOR_UNMUTE, THREAD_ACK
from bot.threads.store import CommentThread, ThreadMessage
from tests.support.harness import ALICE, DAN, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import tick
from tests.support.thread_steps import (
    AUTHOR,
    BOBS_COMMENT,
    CAROLS_COMMENT,
    MANAGERS,
    author_answers,
    author_dms,
    choose,
    closed_round_with_comments,
    comment_menu_of,
    digest,
    manager_texts,
    reply_from_digest,
    traces_of_the_author,
)

REPLY = "Thanks for raising it. What changed most for you?"
ANSWER = "The dates moved twice in one sprint."


def manager_side_calls(harness) -> list:
    """Every Web API call lvm made towards a manager: to one's DM, Home or ephemeral view,
    or opening a form on a manager's click."""
    towards = {*MANAGERS, *(harness.workspace.dm_channel_id(m) for m in MANAGERS)}
    found = []
    for call in harness.workspace.calls:
        params = call.params
        trigger = harness.workspace.trigger(str(params.get("trigger_id", "")))
        destinations = {str(params.get(key)) for key in ("channel", "user", "user_id", "users")}
        if destinations & towards or (trigger and trigger.user_id in MANAGERS):
            found.append(call)
    return found


def everything_managers_see(harness) -> list:
    seen: list = []
    for manager in MANAGERS:
        seen.extend(harness.workspace.messages_for(manager))
        seen.extend(harness.workspace.open_views(manager))
        seen.append(harness.workspace.home_view(manager))
    return seen


def stored_rows(harness) -> dict[str, list[dict]]:
    """Every table but what says who was asked (which names Carol by design): the round's
    recipients, and its pulse DMs in the outbox, all written before any comment."""
    tables = MetaData()
    tables.reflect(harness.services.database.engine)
    found = {}
    with harness.services.database.engine.connect() as connection:
        for table in tables.sorted_tables:
            if table.name in ("pulse_recipients", "pulse_optouts"):
                continue
            rows = [dict(row._mapping) for row in connection.execute(table.select())]
            if table.name == "outbox":
                rows = [row for row in rows if not row["kind"].startswith("pulse.")]
            found[table.name] = rows
    return found


def test_a_whole_conversation_runs_and_names_nobody(harness, caplog):
    with caplog.at_level(logging.DEBUG):
        closed_round_with_comments(harness)

        # Alice replies from her digest: Carol gets a DM, both managers see it in theirs.
        reply_from_digest(harness, ALICE, REPLY)
        (first,) = author_dms(harness)
        shown = text_of(first)
        assert CAROLS_COMMENT in shown and f"<@{ALICE}> wrote" in shown and REPLY in shown
        assert "relayed" in shown and "without your name" in shown
        assert "You wrote" in manager_texts(harness, ALICE)
        assert f"<@{ALICE}> wrote" in manager_texts(harness, DAN)

        # Carol answers: stored now, with the managers only at the clock's next tick.
        answered = author_answers(harness, ANSWER)
        assert answered.status == 200 and not (answered.json or {}).get("errors")
        harness.wait_for_text(AUTHOR, "Your answer goes to the team's managers")
        for manager in MANAGERS:
            assert ANSWER not in manager_texts(harness, manager)
            assert ANSWER not in json.dumps(harness.open_home(manager))
        tick(harness, harness.services.now() + timedelta(seconds=30))
        for manager in MANAGERS:
            relayed = harness.wait_for_text(manager, ANSWER)
            assert "The comment's author answered:" in text_of(relayed)
        assert ANSWER in json.dumps(harness.open_home(ALICE)["blocks"])

        # Dan acknowledges from the relayed DM, Alice from her digest's menu: wordless.
        harness.slack.click(DAN, harness.wait_for_text(DAN, ANSWER), f"{THREAD_ACK}.on_it")
        harness.wait_until_idle()
        choose(harness, ALICE, digest(harness, ALICE), CAROLS_COMMENT, "thanks")
        harness.wait_until_idle()
        said = [text_of(m) for m in author_dms(harness)]
        assert len(said) == 3
        assert f"<@{DAN}> sent “We're on it”" in said[1] and f"<@{ALICE}> sent “Thanks”" in said[2]
        assert "goes to the comment's author" in text_of(harness.last_message(ALICE))

        # The next day Carol mutes: nobody is told, and Alice's "Let's talk" is kept but
        # not sent to her.
        harness.services.now.set(harness.services.now() + timedelta(days=1))
        harness.slack.click(AUTHOR, author_dms(harness)[-1], AUTHOR_MUTE)
        muted = harness.wait_for_text(AUTHOR, "Muted")
        choose(harness, ALICE, digest(harness, ALICE), CAROLS_COMMENT, "lets_talk")
        harness.wait_until_idle()
        assert len(author_dms(harness)) == 3
        assert "goes to the comment's author" in text_of(harness.last_message(ALICE))
        assert (
            "mute"
            not in manager_texts(harness, DAN)
            .replace("they may mute the conversation (you are not told)", "")
            .lower()
        )
        harness.slack.click(AUTHOR, muted, AUTHOR_UNMUTE)
        harness.wait_for_text(AUTHOR, "Unmuted")

        # Carol closes: her link is deleted at once; the managers learn it with the tick.
        harness.slack.click(AUTHOR, author_dms(harness)[-1], AUTHOR_CLOSE)
        harness.wait_for_text(AUTHOR, "deleted its link between you and the comment")
        assert "closed this conversation" not in manager_texts(harness, DAN)
        tick(harness, harness.services.now() + timedelta(seconds=30))
        for manager in MANAGERS:
            harness.wait_for_text(manager, "The comment's author closed this conversation.")
            home = harness.open_home(manager)
            assert CAROLS_COMMENT not in json.dumps(home["blocks"])  # no open conversation

        # A stale digest's menu is refused; a fresh summary offers no menu on her comment.
        choose(harness, ALICE, digest(harness, ALICE), CAROLS_COMMENT, "thanks")
        harness.wait_for_text(ALICE, "This conversation is closed")
        assert len(author_dms(harness)) == 3
        harness.slack.command(ALICE, "summary", channel_id=TEAM_CHANNEL)
        summary = harness.wait_for_text(ALICE, "Pulse summary")
        assert comment_menu_of(summary, BOBS_COMMENT)
        (carols,) = [b for b in summary["blocks"] if CAROLS_COMMENT in json.dumps(b)]
        assert "accessory" not in carols
        assert "Comments without a menu cannot be answered" in text_of(summary)

        files = len(harness.workspace.files)
        harness.slack.command(ALICE, "summary export", channel_id=TEAM_CHANNEL)
        harness.workspace.wait_for(lambda: len(harness.workspace.files) > files, what="the CSV")
        harness.wait_until_idle()

    # What the database keeps of the conversation: the sides, never who the author is.
    with harness.services.database.reading() as session:
        (thread,) = session.scalars(select(CommentThread))
        assert (thread.status, thread.closed_by) == ("closed", "author")
        messages = list(session.scalars(select(ThreadMessage).order_by(ThreadMessage.id)))
        assert [(m.side, m.kind) for m in messages] == [
            ("manager", "reply"),
            ("author", "reply"),
            ("manager", "on_it"),
            ("manager", "thanks"),
            ("manager", "lets_talk"),
            ("author", "close"),
        ]
        assert all(m.manager_id is None for m in messages if m.side == "author")
        links = dict(session.execute(select(PulseComment.text, PulseComment.author_link)).all())
        assert links[CAROLS_COMMENT] is None and links[BOBS_COMMENT] is not None

    # The searches: nothing on the managers' side, in the logs, the CSV or the tables.
    calls = manager_side_calls(harness)
    assert len(calls) > 20
    assert [c.method for c in calls if traces_of_the_author([c.params, c.response])] == []
    assert [v for v in everything_managers_see(harness) if traces_of_the_author(v)] == []
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) > 100
    assert [line for line in lines if traces_of_the_author(line)] == []
    csv_text = harness.workspace.files[-1].content.decode()
    assert csv_text.startswith("period,opened_on") and not traces_of_the_author(csv_text)
    rows = stored_rows(harness)
    to_author = [row for row in rows["outbox"] if row["kind"] == "threads.to_author"]
    assert len(to_author) == 3 and all(row["payload"]["method"] == "forgotten" for row in to_author)
    assert {name: r for name, r in rows.items() if traces_of_the_author(r)} == {}
