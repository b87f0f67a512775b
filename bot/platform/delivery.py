"""Delivery: drain the outbox through Slack's Web API, each message exactly once.

A `Sender` claims due outbox rows (see `bot.platform.outbox` for why a claim is atomic), sends
each one with `WebClient.api_call`, and records the outcome:

- sent: marked sent, and the feature's `on_sent[kind]` hook runs in the same transaction, so
  e.g. the DM's channel and ts are stored if and only if the message is marked sent (a kind
  with a renderer, `renderers[kind]`, is first built from its row just before it is sent,
  outside any transaction: a digest's chart is drawn there, not where it was planned);
- a permanent Slack error (deactivated user, archived channel, bad blocks, revoked token...):
  marked failed once and never retried;
- anything else (429 after the client's own retry handler gave up, HTTP 5xx, connection
  errors, internal_error, an unknown error code): retried with exponential backoff until
  `max_attempts`, then failed.

Delivery guarantee: every row is sent once. A sender killed (or a database that vanished)
between Slack accepting a message and the row being marked sent leaves the row's outcome
unknown: its lease runs out and another sender claims it. Every chat.postMessage carries
Slack message metadata (event_type `lvm_outbox`, payload {"key": the row's dedupe key}), so
that sender first looks in the conversation's latest messages (conversations.history with
include_all_metadata) and, if the message is there, records it sent instead of posting it
again. What remains: a file upload (no metadata) is sent again, and if Slack cannot be
asked (no history scope, an error) the message is sent again rather than risk losing it.

A batch is sent from a small thread pool: Slack limits chat.postMessage per channel, so DMs to
different people go out in parallel. The threads share one `Pacer` (bot/platform/pacing.py): methods
with a published tier are paced to it, and a 429 holds the whole method for its Retry-After,
after which the same message is sent again from the same thread. A 429 therefore costs the
seconds Slack asked for, never the outbox's 30 s backoff and a clock tick.
"""

from __future__ import annotations

import base64
import enum
import logging
import os
import socket
import uuid
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.platform import outbox
from bot.platform.database import Database
from bot.platform.outbox import OutboxMessage
from bot.platform.pacing import Pacer, retry_after_of
from bot.platform.services import OutboxRenderer, Services
from bot.platform.workspaces import NotInstalled, WorkspaceClients

logger = logging.getLogger(__name__)

# A payload with this method is a file upload; its bytes travel base64-encoded in FILE_CONTENT.
FILE_UPLOAD = "files_upload_v2"
FILE_CONTENT = "content_base64"


def upload_file(client: WebClient, args: Mapping[str, Any]) -> Any:
    """Upload a file, from the outbox or straight after an ack: files.upload_v2's arguments,
    the bytes as "content" (just drawn) or base64 in FILE_CONTENT (as an outbox row keeps
    them: JSON holds text). A user id as the channel means their DM with the bot.

    An upload is three calls (get a URL, upload, complete): slack_sdk runs them."""
    args = dict(args)
    content = args.pop("content") if "content" in args else base64.b64decode(args.pop(FILE_CONTENT))
    if str(args.get("channel", ""))[:1] in ("U", "W"):
        # Files are shared to conversations, so a person means their DM with the bot.
        args["channel"] = open_dm(client, args["channel"])
    return client.files_upload_v2(content=content, **args)


def open_dm(client: WebClient, user_id: str) -> str:
    """The id of the person's DM with the bot (opened if need be)."""
    return str(client.conversations_open(users=user_id)["channel"]["id"])


OnSent = Callable[[Session, OutboxMessage, dict[str, Any]], None]

# Errors that will not go away by trying again: the message is recorded failed at once.
PERMANENT_ERRORS = frozenset(
    {
        # the person or conversation is gone or out of reach
        "user_disabled",
        "account_inactive",
        "user_not_found",
        "users_not_found",
        "channel_not_found",
        "is_archived",
        "not_in_channel",
        "cannot_dm_bot",
        "user_not_in_channel",
        "message_not_found",
        "cant_update_message",
        "cant_delete_message",
        "restricted_action",
        "messages_tab_disabled",
        # the app lost its access
        "not_authed",
        "invalid_auth",
        "token_revoked",
        "token_expired",
        "no_permission",
        "missing_scope",
        "not_allowed_token_type",
        "team_access_not_granted",
        "ekm_access_denied",
        "org_login_required",
        # the payload itself is wrong
        "invalid_blocks",
        "invalid_blocks_format",
        "invalid_attachments",
        "invalid_arguments",
        "invalid_json",
        "json_not_object",
        "msg_too_long",
        "no_text",
        "too_many_attachments",
        "unknown_method",
        "method_deprecated",
        "deprecated_endpoint",
    }
)
# Listed for the record; any code not in PERMANENT_ERRORS is retried anyway (a few bounded
# retries cost little, while failing a message that would have gone through loses it).
TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)

# Marks every chat.postMessage the outbox sends, with the row's dedupe key.
OUTBOX_EVENT = "lvm_outbox"
# How many of a conversation's latest messages are searched for an unknown outcome.
HISTORY_LOOKBACK = 100

# Keys a claim names at most when a command sends only what it planned (`Sender.send_due`).
ONLY_SLICE = 500

FIRST_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)


class Outcome(enum.Enum):
    SENT = "sent"
    RETRIED = "retried"
    FAILED = "failed"
    LOST_CLAIM = "lost_claim"  # another sender took the row over: it records the outcome


@dataclass
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    lost_claim: int = 0

    def count(self, outcome: Outcome) -> None:
        field = outcome.value
        setattr(self, field, getattr(self, field) + 1)

    def add(self, other: DeliveryReport) -> None:
        for field in fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed


def backoff(attempts: int) -> timedelta:
    """Wait before the next try, after `attempts` tries: 30 s, 1 min, 2 min ... at most 1 h."""
    return min(FIRST_BACKOFF * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def is_permanent(error: Exception) -> bool:
    """True when sending the same request again cannot succeed."""
    if not isinstance(error, SlackApiError):
        return False  # connection errors, timeouts: the network may come back
    response = error.response
    code = response.get("error")
    if response.status_code == 429 or response.status_code >= 500 or code in TRANSIENT_ERRORS:
        return False
    return code in PERMANENT_ERRORS


def might_have_arrived(error: Exception) -> bool:
    """True when the request may have reached Slack though no answer came back: a timeout
    or a connection broken mid-call; not a Slack error, nor a connection never made."""
    if isinstance(error, SlackApiError):
        return False
    reason = getattr(error, "reason", error)  # urllib wraps the socket error in URLError
    return not isinstance(reason, ConnectionRefusedError | socket.gaierror)


def describe(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        code = error.response.get("error") or "unknown_error"
        return f"{code} (HTTP {error.response.status_code})"
    return f"{type(error).__name__}: {error}"


def summarize_response(data: Mapping[str, Any]) -> dict[str, Any]:
    """What to keep in the outbox row: the top-level scalars (channel, ts...), not the
    echoed message. The on_sent hook receives the full response."""
    return {
        key: value
        for key, value in data.items()
        if isinstance(value, str | int | float | bool) and key != "warning"
    }


def with_outbox_metadata(message: OutboxMessage, args: dict[str, Any]) -> dict[str, Any]:
    """The row's arguments, a chat.postMessage marked with its key (see the module doc)."""
    args = dict(args)
    if message.method == "chat.postMessage" and "metadata" not in args:
        args["metadata"] = {
            "event_type": OUTBOX_EVENT,
            "event_payload": {"key": message.dedupe_key},
        }
    return args


class Sender:
    """Claims due outbox rows and sends them; one per clock process (or per thread in tests).

    `lease` must outlast the longest single send, 429 waits included (the client retries a
    429 up to 3 times): a claim older than that is taken to belong to a dead sender.

    `threads`: a thread that meets a 429 sleeps out its Retry-After (a whole second), so
    under Slack's workspace limit the others must keep the pace meanwhile. With 4, a round's
    5,000 DMs took 1.10x the limit's floor; with 8, 1.03x (bench/fanout.py).
    """

    def __init__(
        self,
        database: Database,
        client: WebClient | WorkspaceClients,
        *,
        now: Callable[[], datetime],
        worker_id: str,
        lease: timedelta = timedelta(minutes=2),
        max_attempts: int = 6,
        batch: int = 50,
        threads: int = 8,
        on_sent: Mapping[str, OnSent] | None = None,
        renderers: Mapping[str, OutboxRenderer] | None = None,
        pacer: Pacer | None = None,
    ) -> None:
        if max_attempts < 1 or batch < 1 or threads < 1:
            raise ValueError("max_attempts, batch and threads must be at least 1")
        self.database = database
        self.client = client
        self.now = now
        self.worker_id = worker_id
        self.lease = lease
        self.max_attempts = max_attempts
        self.batch = batch
        self.threads = threads
        self.on_sent: dict[str, OnSent] = dict(on_sent or {})
        self.renderers: dict[str, OutboxRenderer] = dict(renderers or {})
        self.pacer = pacer or Pacer()
        # Real seconds one claim may spend waiting out 429s before the row goes back to the
        # queue: well inside the lease, so no other sender takes it over meanwhile.
        self.rate_limit_budget = lease.total_seconds() / 4

    def send_due(self, only: Collection[str] | None = None) -> DeliveryReport:
        """Send everything due now, batch after batch, until nothing claimable is left;
        given `only`, just those rows (what a command planned: `outbox.planned_in`), a
        slice of keys at a time (each is a bound parameter of the claim's query).
        """
        if only is None:
            return self._send_due(None)
        report = DeliveryReport()
        keys = sorted(set(only))
        for start in range(0, len(keys), ONLY_SLICE):
            report.add(self._send_due(keys[start : start + ONLY_SLICE]))
        return report

    def _send_due(self, only: Collection[str] | None) -> DeliveryReport:
        """The claimable rows (among `only`, if given), batch after batch.

        The next batch is claimed while the last few sends of the previous one are still
        out, so the threads never wait for a batch's slowest send (e.g. one sitting out a
        429's Retry-After) before they can go on.
        """
        report = DeliveryReport()
        sending: set[Future[Outcome]] = set()
        more = True
        with ThreadPoolExecutor(self.threads, thread_name_prefix="outbox") as pool:
            while True:
                if more and len(sending) < self.threads:
                    claimed = self.claim(only)
                    report.claimed += len(claimed)
                    sending.update(pool.submit(self.deliver, message) for message in claimed)
                    # A short batch means nothing else was due (or others hold the rest).
                    more = len(claimed) == self.batch
                if not sending:
                    return report
                done, sending = wait(sending, return_when=FIRST_COMPLETED)
                for future in done:
                    report.count(future.result())

    def claim(self, only: Collection[str] | None = None) -> list[OutboxMessage]:
        return outbox.claim_due(
            self.database,
            now=self.now(),
            limit=self.batch,
            worker_id=self.worker_id,
            lease=self.lease,
            only=only,
        )

    def deliver(self, message: OutboxMessage) -> Outcome:
        """Send one claimed row and record how it went."""
        if message.attempts > self.max_attempts:
            # Claimed again and again without an outcome: a sender died on it each time.
            return self._fail(message, f"no outcome after {message.attempts - 1} attempts")
        if not self._hold_claim(message):
            return Outcome.LOST_CLAIM
        if message.outcome_unknown:
            posted = self._find_posted(message)
            if posted is not None:
                logger.info(
                    "outbox %s (%s) was already posted (found in the conversation): not again",
                    message.id,
                    message.kind,
                )
                return self._record_sent(message, posted)
        try:
            args = self._render(message)
        except Exception as error:  # the same row would fail the same way: no retry
            logger.exception("outbox %s (%s): could not be rendered", message.id, message.kind)
            return self._fail(message, f"not rendered: {describe(error)}")
        try:
            client = self._client_for(message)
        except NotInstalled as error:  # uninstalled meanwhile: no token will ever send it
            return self._fail(message, str(error))
        try:
            response = self._call_paced(client, message, args)
        except Exception as error:  # Slack, HTTP and network errors are all outcomes here
            return self._after_error(message, error)
        return self._record_sent(message, dict(response.data))  # type: ignore[arg-type]

    def _render(self, message: OutboxMessage) -> dict[str, Any]:
        """The arguments to send: the row's own, or what its kind's renderer builds from them."""
        renderer = self.renderers.get(message.kind)
        return renderer(message.args) if renderer is not None else message.args

    def _client_for(self, message: OutboxMessage) -> WebClient:
        """The client of the row's own workspace (one client for all, given a WebClient)."""
        if isinstance(self.client, WebClient):
            return self.client
        return self.client.client_for(message.team_id)

    def _call_paced(self, client: WebClient, message: OutboxMessage, args: dict[str, Any]) -> Any:
        """Call Slack in the method's turn; on 429, hold the method and try again."""
        waited = 0.0
        while True:
            waited += self.pacer.wait_turn(message.method)
            try:
                return self._call(client, message, args)
            except SlackApiError as error:
                if error.response.status_code != 429:
                    raise
                retry_after = retry_after_of(error.response.headers)
                self.pacer.hold(message.method, retry_after)
                if waited + retry_after > self.rate_limit_budget:
                    raise  # back to the queue, due again after Retry-After

    def _call(self, client: WebClient, message: OutboxMessage, args: dict[str, Any]) -> Any:
        if message.method == FILE_UPLOAD:
            return upload_file(client, args)
        return client.api_call(message.method, json=with_outbox_metadata(message, args))

    def _find_posted(self, message: OutboxMessage) -> dict[str, Any] | None:
        """The message as Slack holds it, if an earlier attempt posted it; else None.

        Looks at the conversation's latest messages for this row's key in their metadata.
        When Slack cannot be asked, None: sending again beats losing the message.
        """
        if message.method != "chat.postMessage":
            return None
        channel = str(message.args.get("channel", ""))
        try:
            client = self._client_for(message)
            if channel[:1] in ("U", "W"):  # a person: their DM with the bot
                channel = str(client.conversations_open(users=channel)["channel"]["id"])
            page = client.conversations_history(
                channel=channel, limit=HISTORY_LOOKBACK, include_all_metadata=True
            )
        except Exception as error:  # Slack, HTTP and network errors alike: send it
            logger.warning(
                "outbox %s: could not look for an earlier send (%s); sending it",
                message.id,
                describe(error),
            )
            return None
        for posted in page.get("messages") or []:
            metadata = posted.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == OUTBOX_EVENT and payload.get("key") == (
                message.dedupe_key
            ):
                return {"ok": True, "channel": channel, "ts": posted.get("ts"), "message": posted}
        return None

    def _hold_claim(self, message: OutboxMessage) -> bool:
        """Renew a claim that is half-way to its lease (a long batch behind 429s), so no
        other sender takes the row while this one is about to send it."""
        now = self.now()
        if message.claimed_at is not None and now - message.claimed_at < self.lease / 2:
            return True
        message.claimed_at = now
        return outbox.renew_claim(self.database, message.id, worker_id=self.worker_id, now=now)

    def _after_error(self, message: OutboxMessage, error: Exception) -> Outcome:
        reason = describe(error)
        if might_have_arrived(error):
            reason = outbox.UNKNOWN_OUTCOME + reason
        if is_permanent(error):
            return self._fail(message, reason)
        if message.attempts >= self.max_attempts:
            return self._fail(message, f"{reason}; gave up after {message.attempts} attempts")
        now = self.now()
        retry_at = now + backoff(message.attempts)
        if isinstance(error, SlackApiError) and error.response.status_code == 429:
            retry_at = now + timedelta(seconds=retry_after_of(error.response.headers))
        logger.warning(
            "outbox %s (%s, %s) attempt %d failed: %s; retrying at %s",
            message.id,
            message.kind,
            message.dedupe_key,
            message.attempts,
            reason,
            retry_at.isoformat(),
        )
        marked = outbox.mark_retry(
            self.database,
            message.id,
            now=now,
            error=reason,
            retry_at=retry_at,
            worker_id=self.worker_id,
        )
        return Outcome.RETRIED if marked else Outcome.LOST_CLAIM

    def _fail(self, message: OutboxMessage, reason: str) -> Outcome:
        logger.warning(
            "outbox %s (%s, %s) failed for good: %s",
            message.id,
            message.kind,
            message.dedupe_key,
            reason,
        )
        marked = outbox.mark_failed(
            self.database, message.id, now=self.now(), error=reason, worker_id=self.worker_id
        )
        return Outcome.FAILED if marked else Outcome.LOST_CLAIM

    def _record_sent(self, message: OutboxMessage, response: dict[str, Any]) -> Outcome:
        now = self.now()
        hook = self.on_sent.get(message.kind)
        result = summarize_response(response)
        try:
            with self.database.transaction() as session:
                marked = outbox.record_sent(
                    session, message.id, now=now, result=result, worker_id=self.worker_id
                )
                if marked and hook is not None:
                    hook(session, message, response)
        except Exception:
            if hook is None:
                raise  # the database itself failed: the lease will bring the row back
            # A broken hook must not make the message look unsent (it would be sent again).
            logger.exception("outbox %s: on_sent hook for %s failed", message.id, message.kind)
            marked = outbox.mark_sent(
                self.database, message.id, now=now, result=result, worker_id=self.worker_id
            )
        return Outcome.SENT if marked else Outcome.LOST_CLAIM


def drain_outbox(sender: Sender, only: Collection[str] | None = None) -> int:
    """Send every due outbox message (given `only`, those of these dedupe keys that are due);
    returns how many reached an outcome."""
    report = sender.send_due(only)
    if report.claimed:
        logger.info(
            "outbox: %d sent, %d to retry, %d failed (%d claimed)",
            report.sent,
            report.retried,
            report.failed,
            report.claimed,
        )
    return report.handled


def build_sender(
    services: Services, on_sent: Mapping[str, OnSent], worker_id: str | None = None
) -> Sender:
    """A Sender of each row with its own workspace's token, with every feature's renderers
    (`services.outbox_renderers`). Its clients do not wait out 429s: the Sender's Pacer does."""
    return Sender(
        services.database,
        WorkspaceClients(services.settings, services.database, wait_out_rate_limits=False),
        now=services.now,
        worker_id=worker_id or default_worker_id(),
        on_sent=on_sent,
        renderers=services.outbox_renderers,
    )


def default_worker_id() -> str:
    # Unique per process start, even where every container runs as pid 1 on one hostname.
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
