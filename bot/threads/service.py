"""Anonymous conversations: each use case of either side is one transaction.

A manager of the comment's team (checked on every action: one who stops managing it loses
the conversation) starts it by replying or acknowledging; the author answers, mutes or closes
it. Who the author is, is known only while a use case runs: it opens the comment's sealed
author link with the server secret, to address a DM (bot/threads/addressing.py) or to check
that the person clicking is the author. It is never stored elsewhere, returned, or logged.

What reaches the managers of the author's doings is their words and a close, both relayed
by the clock (bot/threads/relay.py), never as they happen; a mute reaches nobody.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.platform import outbox
from bot.platform.refusals import PulseRefusal
from bot.platform.sealing import SealBroken, unseal
from bot.platform.services import Services
from bot.pulse.store import CLOSED as ROUND_CLOSED
from bot.pulse.store import PulseRound, PulseTeam, link_bound_to
from bot.pulse.teams import require_manager, teams_managed_by
from bot.summary.blocks import ACKNOWLEDGMENTS
from bot.threads import store
from bot.threads.addressing import plan_to_author, plan_to_managers
from bot.threads.blocks import MAX_TEXT, Conversation, Said, author_dm, manager_dm
from bot.threads.store import AUTHOR, CLOSE, MANAGER, OPEN, REPLY, CommentRow, CommentThread

# Anything Slack would turn into a link (an address, a bare domain, its own markup): opening
# one could tell its sender who the author is.
LINK = re.compile(
    r"(https?://|www\.|mailto:|<[^>]*>|\b[\w.+-]+@[\w-]+\.[\w.]+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|co|dev|app|ai|me|ly|gl|gd|to|info|link|site"
    r"|xyz|page|us|uk|de|fr|eu)\b)",
    re.IGNORECASE,
)


class ThreadRefusal(PulseRefusal):
    """Nothing was sent or changed; the text says why and what to do."""


class CommentGone(ThreadRefusal):
    def __init__(self) -> None:
        super().__init__(
            "I can't find that comment any more (its round or team may have been removed). "
            "Nothing was sent."
        )


class CannotAnswer(ThreadRefusal):
    def __init__(self) -> None:
        super().__init__(
            "This comment can't be answered any more: it was written before replies existed, "
            "or lvm let its link to the author go. Nothing was sent."
        )


class ThreadClosed(ThreadRefusal):
    def __init__(self) -> None:
        super().__init__("This conversation is closed, so nothing more can be sent in it.")


class NotYourConversation(ThreadRefusal):
    def __init__(self) -> None:
        super().__init__(
            "I can't find a conversation of yours behind that button. Nothing was sent."
        )


class DailyCap(ThreadRefusal):
    def __init__(self, per_day: int, *, author: bool) -> None:
        who = "You have" if author else "The managers have"
        super().__init__(
            f"{who} sent {per_day} messages in this conversation today, the most a day. "
            "Nothing was sent: please write again tomorrow."
        )


class BadText(ThreadRefusal):
    pass


@dataclass(frozen=True)
class Sent:
    """What a manager's message planned: the outbox rows to send at once."""

    planned: tuple[str, ...]
    repeated: bool = False  # the same request again (a Slack retry): nothing new was sent


def request_key(raw: str | None) -> str:
    """A request's key for spotting Slack sending it again (its trigger id, hashed, since
    the id itself may carry more than needed); a random one when there is none."""
    if not raw:
        return secrets.token_hex(20)
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


def clean_text(text: str, *, links_allowed: bool) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise BadText("Write something to send, or cancel.")
    if len(cleaned) > MAX_TEXT:
        raise BadText(f"Keep it under {MAX_TEXT} characters.")
    if not links_allowed and LINK.search(cleaned):
        raise BadText(
            "Links and addresses can't be sent here: opening one could tell who wrote the "
            "comment. Describe it in words."
        )
    return cleaned


# ------------------------------------------------------------------ reading a conversation


@dataclass(frozen=True)
class _Found:
    comment: CommentRow
    pulse_round: PulseRound
    team: PulseTeam
    thread: CommentThread | None


def _find(session: Session, team_id: str, reference: str, *, lock: bool = False) -> _Found:
    comment = store.comment_of(session, team_id, reference)
    if comment is None:
        raise CommentGone()
    pulse_round = session.get_one(PulseRound, comment.round_id)
    team = session.get_one(PulseTeam, pulse_round.pulse_team_id)
    if pulse_round.status != ROUND_CLOSED:
        raise CommentGone()  # only closed rounds show comments: no button names this one
    return _Found(comment, pulse_round, team, store.thread_of(session, reference, for_update=lock))


def _conversation(
    services: Services, session: Session, found: _Found, *, relayed_only: bool
) -> Conversation:
    thread = found.thread
    messages = store.messages_of(session, thread.id, relayed_only=relayed_only) if thread else []
    return Conversation(
        reference=found.comment.reference,
        team_name=found.team.name,
        round_opened=found.pulse_round.opens_at,
        comment=found.comment.text,
        messages=tuple(
            Said(message.side, message.manager_id, message.kind, message.text)
            for message in messages
        ),
        is_open=thread is None or thread.status == OPEN,
        per_day=services.settings.LVM_THREAD_REPLIES_PER_DAY,
    )


def _require_answerable(found: _Found) -> None:
    if found.thread is not None and found.thread.status != OPEN:
        raise ThreadClosed()
    if found.comment.author_link is None:
        raise CannotAnswer()


def _today(team: PulseTeam, now: datetime) -> date:
    return now.astimezone(ZoneInfo(team.timezone)).date()


def conversation_for_manager(
    services: Services, *, team_id: str, manager_id: str, reference: str
) -> Conversation:
    """What the reply form shows a manager; refused unless they manage the comment's team
    now and its author can still be answered."""
    with services.database.reading() as session:
        found = _find(session, team_id, reference)
        require_manager(found.team, manager_id)
        _require_answerable(found)
        return _conversation(services, session, found, relayed_only=True)


# ------------------------------------------------------------------ the managers' side


def send_from_manager(
    services: Services,
    *,
    team_id: str,
    manager_id: str,
    reference: str,
    kind: str,
    text: str | None,
    request: str,
) -> Sent:
    """A manager's reply (`kind` REPLY, with `text`) or one-click acknowledgment: stored,
    with a DM planned to the author (unless they muted it) and one to each manager."""
    if kind != REPLY and kind not in ACKNOWLEDGMENTS:
        raise ThreadRefusal("That button is broken, so nothing was sent.")
    words = clean_text(text or "", links_allowed=False) if kind == REPLY else None
    now = services.now()
    with services.database.transaction() as session:
        found = _find(session, team_id, reference, lock=True)
        require_manager(found.team, manager_id)
        _require_answerable(found)
        thread = found.thread or store.start_thread(session, found.comment, found.pulse_round, now)
        found = _Found(found.comment, found.pulse_round, found.team, thread)
        today = _today(found.team, now)
        message_id = store.add_message(
            session,
            {
                "thread_id": thread.id,
                "side": MANAGER,
                "manager_id": manager_id,
                "kind": kind,
                "text": words,
                "day": today.isoformat(),
                "relayed": True,
                "request_key": request,
            },
        )
        if message_id is None:
            return Sent((), repeated=True)
        per_day = services.settings.LVM_THREAD_REPLIES_PER_DAY
        # Counted with this message in: the row lock keeps two managers from both passing.
        if store.sent_on(session, thread.id, MANAGER, today) > per_day:
            raise DailyCap(per_day, author=False)  # rolls the message back
        said = Said(MANAGER, manager_id, kind, words)
        _plan_both_sides(services, session, found, message_id, said, now)
        return Sent(outbox.planned_in(session))


def close_by_manager(
    services: Services, *, team_id: str, manager_id: str, reference: str, request: str
) -> Sent:
    """A manager ends the conversation: the author is told (unless muted), the other
    managers too, and the comment's author link is deleted."""
    now = services.now()
    with services.database.transaction() as session:
        found = _find(session, team_id, reference, lock=True)
        require_manager(found.team, manager_id)
        thread = found.thread
        if thread is None or thread.status != OPEN:
            if thread is not None and _already_closed_by(session, thread, request):
                return Sent((), repeated=True)
            raise ThreadClosed()
        message_id = store.add_message(
            session,
            {
                "thread_id": thread.id,
                "side": MANAGER,
                "manager_id": manager_id,
                "kind": CLOSE,
                "text": None,
                "day": _today(found.team, now).isoformat(),
                "relayed": True,
                "request_key": request,
            },
        )
        assert message_id is not None  # an open thread has no close yet
        thread.status = store.CLOSED
        thread.closed_by = MANAGER
        said = Said(MANAGER, manager_id, CLOSE, None)
        # The author's notice carries the sealed link, so it is planned before the link goes.
        _plan_both_sides(services, session, found, message_id, said, now)
        store.forget_author(session, reference)
        return Sent(outbox.planned_in(session))


def _already_closed_by(session: Session, thread: CommentThread, request: str) -> bool:
    return any(
        message.request_key == request and message.kind == CLOSE
        for message in store.messages_of(session, thread.id, relayed_only=False)
    )


def _plan_both_sides(
    services: Services,
    session: Session,
    found: _Found,
    message_id: int,
    said: Said,
    now: datetime,
) -> None:
    assert found.thread is not None
    conversation = _conversation(services, session, found, relayed_only=True)
    if not found.thread.muted:
        plan_to_author(
            session,
            secret=services.secret,
            team_id=found.team.team_id,
            round_id=found.pulse_round.id,
            comment=found.comment,
            thread_id=found.thread.id,
            message_id=message_id,
            message=author_dm(conversation, said),
            now=now,
        )
    plan_to_managers(
        session,
        found.team,
        message_id=message_id,
        message_for=lambda manager: manager_dm(conversation, said, manager),
        now=now,
    )


# ------------------------------------------------------------------ the author's side


def _require_author(services: Services, found: _Found, user_id: str) -> CommentThread:
    """The open thread, once the sealed link shows `user_id` wrote the comment."""
    thread = found.thread
    if thread is None:
        raise NotYourConversation()
    link, reference = found.comment.author_link, found.comment.reference
    if thread.status != OPEN or link is None:
        raise ThreadClosed()
    try:
        author = unseal(
            services.secret,
            link,
            bound_to=link_bound_to(found.pulse_round.team_id, found.pulse_round.id, reference),
        )
    except SealBroken:
        raise NotYourConversation() from None
    if not hmac.compare_digest(author.encode(), user_id.encode()):
        raise NotYourConversation()
    return thread


def conversation_for_author(
    services: Services, *, team_id: str, user_id: str, reference: str
) -> Conversation:
    """What the answer form shows the author: the whole conversation, their words too."""
    with services.database.reading() as session:
        found = _find(session, team_id, reference)
        _require_author(services, found, user_id)
        return _conversation(services, session, found, relayed_only=False)


def send_from_author(
    services: Services, *, team_id: str, user_id: str, reference: str, text: str, request: str
) -> bool:
    """The author's answer, stored for the clock to relay; False for a repeated request."""
    words = clean_text(text, links_allowed=True)
    with services.database.transaction() as session:
        found = _find(session, team_id, reference, lock=True)
        thread = _require_author(services, found, user_id)
        today = _today(found.team, services.now())
        message_id = store.add_message(
            session,
            {
                "thread_id": thread.id,
                "side": AUTHOR,
                "manager_id": None,
                "kind": REPLY,
                "text": words,
                "day": today.isoformat(),
                "request_key": request,
            },
        )
        if message_id is None:
            return False
        per_day = services.settings.LVM_THREAD_REPLIES_PER_DAY
        if store.sent_on(session, thread.id, AUTHOR, today) > per_day:
            raise DailyCap(per_day, author=True)
        return True


def set_muted(
    services: Services, *, team_id: str, user_id: str, reference: str, muted: bool
) -> None:
    """The author stops (or resumes) the conversation's DMs; nobody else is told."""
    with services.database.transaction() as session:
        found = _find(session, team_id, reference, lock=True)
        thread = _require_author(services, found, user_id)
        thread.muted = muted


def close_by_author(
    services: Services, *, team_id: str, user_id: str, reference: str, request: str
) -> None:
    """The author ends the conversation: the link is deleted now, and the managers learn
    it ended with the clock's next relay."""
    with services.database.transaction() as session:
        found = _find(session, team_id, reference, lock=True)
        thread = _require_author(services, found, user_id)
        store.add_message(
            session,
            {
                "thread_id": thread.id,
                "side": AUTHOR,
                "manager_id": None,
                "kind": CLOSE,
                "text": None,
                "day": _today(found.team, services.now()).isoformat(),
                "request_key": request,
            },
        )
        thread.status = store.CLOSED
        thread.closed_by = AUTHOR
        store.forget_author(session, reference)


# ------------------------------------------------------------------ App Home


def conversations_on_home(services: Services, team_id: str, manager_id: str) -> list[Conversation]:
    """The open conversations of the teams this person manages now, newest first."""
    with services.database.reading() as session:
        teams = teams_managed_by(session, team_id, manager_id)
        threads = store.open_threads_of_teams(session, [team.id for team in teams])
        shown = (conversation_of_thread(services, session, thread) for thread in threads)
        return [conversation for conversation in shown if conversation is not None]


def conversation_of_thread(
    services: Services, session: Session, thread: CommentThread
) -> Conversation | None:
    """The thread as the managers see it (the author's words once relayed); None when its
    comment is gone."""
    comment = store.comment_of(session, thread.team_id, thread.comment_reference)
    if comment is None:
        return None
    pulse_round = session.get_one(PulseRound, thread.round_id)
    team = session.get_one(PulseTeam, thread.pulse_team_id)
    found = _Found(comment, pulse_round, team, thread)
    return _conversation(services, session, found, relayed_only=True)
