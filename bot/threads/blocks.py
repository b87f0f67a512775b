"""What each side of an anonymous conversation sees: DMs, the two modals, the Home section.

The author is never named to anyone: a manager's side says "the comment's author". Every
message to either side says that messages are relayed and kept, and how often each side may
write. People's words are escaped, so neither side can ping, link or format through lvm.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.platform.messages import Message
from bot.platform.mrkdwn import escape
from bot.summary.blocks import ACKNOWLEDGMENTS, LETS_TALK, ON_IT, THANKS
from bot.threads.store import AUTHOR, CLOSE, REPLY

# The managers' buttons (DMs and Home), each valued with the comment's reference.
THREAD_REPLY = "thread.reply"
THREAD_ACK = "thread.ack"  # "thread.ack.<acknowledgment>"
THREAD_CLOSE = "thread.close"
# The author's buttons, valued with the reference too.
AUTHOR_ANSWER = "thread.author.answer"
AUTHOR_MUTE = "thread.author.mute"
AUTHOR_UNMUTE = "thread.author.unmute"
AUTHOR_CLOSE = "thread.author.close"
# The two modals, and their text input (block and action id alike).
REPLY_VIEW = "thread.reply_view"
ANSWER_VIEW = "thread.answer_view"
TEXT_INPUT = "thread_text"

MAX_TEXT = 2000
COMMENT_SHOWN = 600  # characters of the comment quoted above each message
SECTION_LIMIT = 3000
MODAL_MESSAGES = 20  # the latest messages a modal shows of the conversation so far
HOME_THREADS = 8
HOME_MESSAGES = 3


@dataclass(frozen=True)
class Said:
    """One message of a thread, as a side may see it."""

    side: str  # MANAGER or AUTHOR
    manager_id: str | None
    kind: str  # REPLY, an acknowledgment, or CLOSE
    text: str | None


@dataclass(frozen=True)
class Conversation:
    """A thread about a comment (or the comment before any thread), as one side sees it."""

    reference: str
    team_name: str
    round_opened: datetime
    comment: str
    messages: tuple[Said, ...]
    is_open: bool
    per_day: int  # messages each side may send a day


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote(text: str, limit: int = SECTION_LIMIT - 200) -> str:
    return "> " + escape(_cut(text, limit)).replace("\n", "\n> ")


def _day(moment: datetime) -> str:
    return f"<!date^{int(moment.timestamp())}^{{date_short}}|{moment:%d %b %Y}>"


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=_cut(text, SECTION_LIMIT)))


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def _dicts(blocks: Sequence[Block]) -> list[dict[str, Any]]:
    return [block.to_dict() for block in blocks]


def _close_confirm() -> ConfirmObject:
    return ConfirmObject(
        title="Close this conversation?",
        text="Nobody can write in it again, and lvm deletes its link to the comment's author "
        "for good.",
        confirm="Close it",
        deny="Keep it open",
    )


def manager_note(per_day: int) -> str:
    return (
        ":lock: lvm relays this conversation without telling anyone who wrote the comment, and "
        "keeps it for the team's managers. The author's words reach you with lvm's next "
        "delivery, never as they write; they may mute the conversation (you are not told) or "
        f"close it. Each side may send {per_day} messages a day."
    )


def author_note(per_day: int) -> str:
    return (
        ":lock: Your managers do not know who wrote the comment, and lvm never tells them. "
        "Your answers are relayed without your name, with lvm's next delivery rather than as "
        "you write, and kept with the conversation for the team's managers. "
        f"Each side may send {per_day} messages a day. *Mute* stops these DMs (the managers "
        "are not told); *Close* ends the conversation and deletes lvm's link between you and "
        "the comment."
    )


def _heading(conversation: Conversation) -> str:
    return (
        f"*{escape(conversation.team_name)}*, the round of {_day(conversation.round_opened)}\n"
        + _quote(conversation.comment, COMMENT_SHOWN)
    )


def said_line(said: Said, *, viewer: str | None = None, to_author: bool = False) -> str:
    """One message in words. `viewer`: the manager reading (their own are "You");
    `to_author`: the author reading (their own are "You", the managers named)."""
    if said.side == AUTHOR:
        who = "You" if to_author else "The comment's author"
    elif said.manager_id is not None and said.manager_id == viewer:
        who = "You"
    else:
        who = f"<@{said.manager_id}>" if said.manager_id else "A manager"
    if said.kind == CLOSE:
        return f"*{who} closed this conversation.*"
    if said.kind == REPLY:
        verb = "answered" if said.side == AUTHOR else "wrote"
        return f"*{who} {verb}:*\n" + _quote(said.text or "")
    words = ACKNOWLEDGMENTS.get(said.kind, said.kind)
    return f"*{who} sent “{words}”.*"


def _manager_actions(reference: str) -> ActionsBlock:
    return ActionsBlock(
        block_id=f"thread.{reference}",
        elements=[
            ButtonElement(text="Reply", action_id=THREAD_REPLY, value=reference, style="primary"),
            *(
                ButtonElement(text=words, action_id=f"{THREAD_ACK}.{kind}", value=reference)
                for kind, words in ACKNOWLEDGMENTS.items()
            ),
            ButtonElement(
                text="Close",
                action_id=THREAD_CLOSE,
                value=reference,
                style="danger",
                confirm=_close_confirm(),
            ),
        ],
    )


def manager_dm(conversation: Conversation, said: Said, viewer: str) -> Message:
    """What a manager's DM with lvm shows of one new message in the conversation."""
    blocks: list[Block] = [
        _section(
            ":speech_balloon: *A conversation about an anonymous comment* · "
            + _heading(conversation)
        ),
        _section(said_line(said, viewer=viewer)),
    ]
    if said.kind == CLOSE:
        blocks.append(_context("lvm has deleted its link to the comment's author."))
    elif conversation.is_open:
        blocks.append(_manager_actions(conversation.reference))
    blocks.append(_context(manager_note(conversation.per_day)))
    who = "The comment's author" if said.side == AUTHOR else "A manager"
    return {
        "text": f"{who} in a conversation about an anonymous comment ({conversation.team_name})",
        "blocks": _dicts(blocks),
        "unfurl_links": False,
        "unfurl_media": False,
    }


def _author_actions(reference: str) -> ActionsBlock:
    return ActionsBlock(
        block_id=f"thread.author.{reference}",
        elements=[
            ButtonElement(text="Answer", action_id=AUTHOR_ANSWER, value=reference, style="primary"),
            ButtonElement(text="Mute", action_id=AUTHOR_MUTE, value=reference),
            ButtonElement(
                text="Close",
                action_id=AUTHOR_CLOSE,
                value=reference,
                style="danger",
                confirm=_close_confirm(),
            ),
        ],
    )


def author_dm(conversation: Conversation, said: Said) -> Message:
    """The DM to the comment's author for one message from a manager."""
    blocks: list[Block] = [
        _section(
            ":speech_balloon: *A reply to your anonymous comment* · " + _heading(conversation)
        ),
        _section(author_line(said)),
    ]
    if said.kind == CLOSE:
        blocks.append(_context("lvm has deleted its link between you and the comment."))
    else:
        blocks.append(_author_actions(conversation.reference))
    blocks.append(_context(author_note(conversation.per_day)))
    return {
        "text": "A reply to your anonymous comment",
        "blocks": _dicts(blocks),
        "unfurl_links": False,
        "unfurl_media": False,
    }


def author_line(said: Said) -> str:
    """A manager's message as its author reads it; "let's talk" leaves the next step to them."""
    line = said_line(said, to_author=True)
    if said.kind == LETS_TALK:
        line += (
            "\nThey would like to talk about it. You choose how: answer here and stay "
            "anonymous, or speak to them yourself."
        )
    elif said.kind == ON_IT:
        line += "\nThey are working on what your comment raised."
    elif said.kind == THANKS:
        line += "\nThey wanted you to know your comment was read."
    return line


def muted_notice(reference: str, muted: bool) -> Message:
    """The author's answer to Mute or Unmute, with the button that undoes it."""
    if muted:
        text = (
            ":zipper_mouth_face: Muted: lvm sends you nothing more from this conversation. The "
            "managers are not told. You can still answer, or close it."
        )
        button = ButtonElement(text="Unmute", action_id=AUTHOR_UNMUTE, value=reference)
    else:
        text = ":bell: Unmuted: new messages in this conversation reach you by DM again."
        button = ButtonElement(text="Mute", action_id=AUTHOR_MUTE, value=reference)
    blocks = [_section(text), ActionsBlock(block_id=f"thread.mute.{reference}", elements=[button])]
    return {"text": text, "blocks": _dicts(blocks)}


def _conversation_blocks(
    conversation: Conversation, *, viewer: str | None, to_author: bool
) -> list[Block]:
    blocks: list[Block] = [_section(_heading(conversation))]
    shown = conversation.messages[-MODAL_MESSAGES:]
    if len(conversation.messages) > len(shown):
        blocks.append(
            _context(f"{len(conversation.messages) - len(shown)} earlier messages not shown.")
        )
    blocks.extend(_section(said_line(said, viewer=viewer, to_author=to_author)) for said in shown)
    return blocks


def reply_modal(conversation: Conversation, viewer: str) -> dict[str, Any]:
    """A manager writes to the comment's author."""
    blocks: list[Block] = [
        _context(manager_note(conversation.per_day)),
        *_conversation_blocks(conversation, viewer=viewer, to_author=False),
        DividerBlock(),
        InputBlock(
            block_id=TEXT_INPUT,
            label="Your reply to the comment's author",
            hint="No links: opening one could tell you who the author is. lvm names you to them.",
            element=PlainTextInputElement(
                action_id=TEXT_INPUT, multiline=True, max_length=MAX_TEXT
            ),
        ),
    ]
    return View(
        type="modal",
        callback_id=REPLY_VIEW,
        private_metadata=conversation.reference,
        title="Reply to the author",
        submit="Send",
        close="Cancel",
        blocks=blocks,
    ).to_dict()


def answer_modal(conversation: Conversation) -> dict[str, Any]:
    """The author answers, anonymously."""
    blocks: list[Block] = [
        _context(author_note(conversation.per_day)),
        *_conversation_blocks(conversation, viewer=None, to_author=True),
        DividerBlock(),
        InputBlock(
            block_id=TEXT_INPUT,
            label="Your answer",
            hint="Sent without your name. Leave out what would tell them who you are.",
            element=PlainTextInputElement(
                action_id=TEXT_INPUT, multiline=True, max_length=MAX_TEXT
            ),
        ),
    ]
    return View(
        type="modal",
        callback_id=ANSWER_VIEW,
        private_metadata=conversation.reference,
        title="Answer anonymously",
        submit="Send",
        close="Cancel",
        blocks=blocks,
    ).to_dict()


def answer_sent(per_day: int) -> Message:
    text = (
        ":outbox_tray: Your answer goes to the team's managers, without your name, with lvm's "
        f"next delivery. Each side may send {per_day} messages a day."
    )
    return {"text": text, "blocks": _dicts([_section(text)])}


def sent_to_author(words: str) -> Message:
    """The manager's confirmation of a one-click acknowledgment."""
    text = (
        f":outbox_tray: “{words}” goes to the comment's author; lvm does not tell you who it is. "
        "The conversation is in your DMs with lvm and on its Home tab."
    )
    return {"text": text, "blocks": _dicts([_section(text)])}


def closed_notice(by_author: bool) -> Message:
    if by_author:
        text = (
            ":white_check_mark: Closed. lvm has deleted its link between you and the comment; "
            "the managers learn the conversation ended with lvm's next delivery."
        )
    else:
        text = ":white_check_mark: Closed. lvm has deleted its link to the comment's author."
    return {"text": text, "blocks": _dicts([_section(text)])}


def home_blocks(conversations: Sequence[Conversation], viewer: str) -> list[dict[str, Any]]:
    """The open conversations of the teams the viewer manages, on their App Home."""
    if not conversations:
        return []
    blocks: list[Block] = [
        DividerBlock(),
        HeaderBlock(text="Conversations about comments"),
        _context(manager_note(conversations[0].per_day)),
    ]
    for conversation in conversations[:HOME_THREADS]:
        lines = [_heading(conversation)]
        recent = conversation.messages[-HOME_MESSAGES:]
        if len(conversation.messages) > len(recent):
            lines.append(f"_{len(conversation.messages) - len(recent)} earlier messages_")
        lines.extend(said_line(said, viewer=viewer) for said in recent)
        blocks.append(_section("\n".join(lines)))
        blocks.append(_manager_actions(conversation.reference))
    if len(conversations) > HOME_THREADS:
        blocks.append(
            _context(
                f"…and {len(conversations) - HOME_THREADS} more: each is in your DMs with lvm."
            )
        )
    return _dicts(blocks)
