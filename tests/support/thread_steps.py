"""Steps an anonymous-conversation test takes, the way managers, authors and the clock do.

The team: Alice and Dan manage it (so neither is asked), Bob, Carol and Erin answer (the
threshold is 3), Carol and Bob comment. Carol is the author whose conversation the tests
follow; nothing a manager sees may name her.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.pulse.blocks import COMMENT, COMMENT_INPUT
from bot.summary.blocks import COMMENT_MENU, comment_response_value
from bot.threads.blocks import AUTHOR_ANSWER, TEXT_INPUT
from tests.support.harness import ALICE, BOB, CAROL, DAN, ERIN, Harness, text_of
from tests.support.pulse_steps import answer, pulse_dms, question_ids, set_up_team, tick

MANAGERS = [ALICE, DAN]
ANSWERING = [BOB, CAROL, ERIN]
AUTHOR = CAROL
# The author as a Slack id, a DM channel id ("D" + the id's tail) or a name: none of these
# may reach a manager.
AUTHOR_TRACES = (CAROL[1:], "carol")
CAROLS_COMMENT = "The release plan keeps changing under us."
BOBS_COMMENT = "More focus time, please."
OPENED = datetime(2026, 11, 23, 10, 0, 30, tzinfo=UTC)  # Monday 10:00 London
CLOSED = datetime(2026, 11, 26, 10, 0, 30, tzinfo=UTC)


def comment(harness: Harness, user: str, words: str) -> None:
    harness.slack.click(user, pulse_dms(harness, user)[-1], COMMENT)
    modal = harness.workspace.wait_for(
        lambda: harness.workspace.top_view(user), what="the comment modal"
    )
    response = harness.slack.submit_view(user, modal, {COMMENT_INPUT: {COMMENT_INPUT: words}})
    assert response.ok and not (response.json or {}).get("errors"), response.json


def answer_all(harness: Harness, user: str, score: int) -> None:
    asked = question_ids(pulse_dms(harness, user)[-1])
    for question in asked:
        answer(harness, user, pulse_dms(harness, user)[-1], question, score)
    harness.wait_for_text(user, f"Recorded {len(asked)} of {len(asked)}")


def closed_round_with_comments(
    harness: Harness, before_close: Callable[[], None] | None = None
) -> None:
    """Set up the team, run one round through the request path, and close it
    (`before_close` runs just before the clock closes it)."""
    harness.services.now.set(OPENED - timedelta(hours=1))
    set_up_team(harness, ALICE, managers={"managers": MANAGERS})
    tick(harness, OPENED)
    harness.services.now.set(OPENED + timedelta(hours=1))
    for score, user in enumerate(ANSWERING, start=2):
        answer_all(harness, user, score)
    comment(harness, CAROL, CAROLS_COMMENT)
    comment(harness, BOB, BOBS_COMMENT)
    if before_close is not None:
        before_close()
    tick(harness, CLOSED)
    harness.services.now.set(CLOSED + timedelta(minutes=5))


def digest(harness: Harness, manager: str) -> dict:
    return harness.wait_for_text(manager, "The pulse for")


def comment_menu_of(message: dict, words: str) -> tuple[str, str]:
    """(action id, reference) of the menu beside the comment saying `words`."""
    for block in message["blocks"]:
        accessory = block.get("accessory") or {}
        if block["type"] == "section" and words in block["text"]["text"]:
            assert accessory.get("action_id", "").startswith(COMMENT_MENU), block
            return accessory["action_id"], accessory["action_id"].split(".")[-1]
    raise AssertionError(f"no comment {words!r} in the message")


def top_view(harness: Harness, user: str, what: str) -> dict:
    return harness.workspace.wait_for(lambda: harness.workspace.top_view(user), what=what)


def choose(harness: Harness, manager: str, message: dict, words: str, response: str):
    """A manager picks `response` in a comment's menu (reply, or an acknowledgment)."""
    action_id, reference = comment_menu_of(message, words)
    clicked = harness.slack.click(
        manager, message, action_id, value=comment_response_value(response, reference)
    )
    assert clicked.status == 200
    return clicked


def write(harness: Harness, user: str, view: dict, text: str):
    """Fill a conversation form (a manager's reply or the author's answer) and send it."""
    return harness.slack.submit_view(user, view, {TEXT_INPUT: {TEXT_INPUT: text}})


def reply_from_digest(harness: Harness, manager: str, text: str):
    choose(harness, manager, digest(harness, manager), CAROLS_COMMENT, "reply")
    modal = top_view(harness, manager, "the reply form")
    assert modal["callback_id"] == "thread.reply_view"
    response = write(harness, manager, modal, text)
    harness.wait_until_idle()
    return response


def author_dms(harness: Harness) -> list[dict]:
    return [
        m
        for m in harness.workspace.dm_messages(AUTHOR)
        if "A reply to your anonymous comment" in text_of(m)
    ]


def author_answers(harness: Harness, text: str):
    """Carol answers from the latest DM about her comment."""
    harness.slack.click(AUTHOR, author_dms(harness)[-1], AUTHOR_ANSWER)
    modal = top_view(harness, AUTHOR, "the answer form")
    assert modal["callback_id"] == "thread.answer_view"
    response = write(harness, AUTHOR, modal, text)
    harness.wait_until_idle()
    return response


def manager_texts(harness: Harness, manager: str) -> str:
    return "\n".join(text_of(m) for m in harness.workspace.messages_for(manager))


def traces_of_the_author(value: Any) -> list[str]:
    """The traces of the author found anywhere in `value` (a call, a message, a log line)."""
    flat = value if isinstance(value, str) else json.dumps(value, default=str)
    return [trace for trace in AUTHOR_TRACES if trace.lower() in flat.lower()]
