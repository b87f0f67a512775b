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
different people go out in parallel. The threads share one `Pacer` (bot/platform/pacing.py),
which keeps Slack's limits per workspace and method (a lane): methods with a published tier
are paced to it, and a 429 holds its lane for the Retry-After, after which the same message is
sent again. A row whose lane is not free waits in the Sender's own queue, not in a thread, and
rows are claimed leaving out the workspaces that already have rows waiting there: a workspace
held by a 429 holds nobody else, so many workspaces' fan-outs go out side by side, each at its
own limit. A 429 therefore costs the seconds Slack asked for, never the outbox's 30 s backoff
and a clock tick.
"""

from __future__ import annotations

import base64
import enum
import logging
import os
import socket
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.platform import outbox
from bot.platform.database import Database
from bot.platform.outbox import OutboxMessage
from bot.platform.pacing import Lane, Pacer, retry_after_of
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

# How often (Pacer seconds) the claims of rows waiting for their lane's turn are looked at.
RENEW_EVERY = 5.0

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
        for counted in fields(self):
            name = counted.name
            setattr(self, name, getattr(self, name) + getattr(other, name))

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


@dataclass
class _Job:
    """A claimed row on its way out: prepared once, then sent in its lane's turn."""

    message: OutboxMessage
    client: WebClient | None = None
    args: dict[str, Any] | None = None  # as rendered for its first attempt
    held: float = 0.0  # seconds of 429 holds this claim has waited

    @property
    def lane(self) -> Lane:
        return (self.message.team_id, self.message.method)


@dataclass
class _Renewal:
    """Keeps the claims of rows waiting in a Sender's lanes, so no other sender takes one over
    while it waits for its workspace's turn; looked at every RENEW_EVERY seconds."""

    sender: Sender
    next_look: float = field(default=float("-inf"))

    def renew(self, lanes: OrderedDict[Lane, deque[_Job]]) -> list[Outcome]:
        """Renew the claims half-way to their lease; a row taken over meanwhile leaves its
        lane, as LOST_CLAIM."""
        now = self.sender.pacer.clock()
        if now < self.next_look:
            return []
        self.next_look = now + RENEW_EVERY
        lost: list[Outcome] = []
        for lane, jobs in list(lanes.items()):
            for job in list(jobs):
                if not self.sender._hold_claim(job.message):
                    jobs.remove(job)
                    lost.append(Outcome.LOST_CLAIM)
            if not jobs:
                del lanes[lane]
        return lost


class Sender:
    """Claims due outbox rows and sends them; one per clock process (or per thread in tests).

    `lease` must outlast the longest single send: a claim older than that is taken to belong
    to a dead sender. A row waiting in the queue for its lane's turn has its claim renewed.

    `threads`: how many sends are in flight at once. Only rows whose lane is free are handed
    to a thread, so none of them sits out a Retry-After. With 8, a round's 5,000 DMs took
    1.02-1.06x the limit's floor (bench/fanout.py); many workspaces' rounds together, about
    the floor of the slowest (bench/fanout_workspaces.py).
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
        """The claimable rows (among `only`, if given), batch after batch, each workspace's
        method in its turn (see the module doc).

        Claimed rows wait in lanes (a workspace and a method, in claim order). Each pass
        hands threads one row per free lane, round the lanes, so workspaces share the
        threads; a lane the Pacer does not let go yet waits, and so does a row Slack answered
        429, back at the head of its lane. A new batch is claimed as soon as a thread is
        idle, or while fewer workspaces than threads are under way, leaving out the
        workspaces with rows waiting: what is claimed can go now, or soon.
        """
        report = DeliveryReport()
        lanes: OrderedDict[Lane, deque[_Job]] = OrderedDict()
        ready_at: dict[Lane, float] = {}  # Pacer time at which a lane may be tried again
        sending: dict[Future[Outcome | None], _Job] = {}
        # The workspaces a claim left out when it came back short: claiming again is worth it
        # only once one of them has nothing waiting any more.
        exhausted: frozenset[str] | None = None
        renewal = _Renewal(self)
        with ThreadPoolExecutor(self.threads, thread_name_prefix="outbox") as pool:
            while True:
                self._hand_out(pool, lanes, ready_at, sending)
                waiting = frozenset(team_id for team_id, _ in lanes)
                # More rows when a thread is idle, or while fewer workspaces are under way
                # than threads, so many workspaces' rounds start together; none while only
                # the workspaces a short claim left out still have rows waiting.
                under_way = waiting | {job.message.team_id for job in sending.values()}
                wanted = len(sending) < self.threads or len(under_way) < self.threads
                if wanted and (exhausted is None or not waiting >= exhausted):
                    claimed = self.claim(only, skip_teams=waiting)
                    report.claimed += len(claimed)
                    for message in claimed:
                        job = _Job(message)
                        lanes.setdefault(job.lane, deque()).append(job)
                    exhausted = None if len(claimed) == self.batch else waiting
                    if claimed:
                        continue
                if not sending and not lanes:
                    return report
                for lost in renewal.renew(lanes):
                    report.count(lost)
                # Threads free and rows waiting: every waiting lane is held, until the first
                # of them may go.
                pause = (
                    max(min(ready_at.get(lane, 0.0) for lane in lanes) - self.pacer.clock(), 0.0)
                    if lanes and len(sending) < self.threads
                    else None
                )
                if not sending:
                    self.pacer.sleep(pause or 0.0)
                    continue
                # Woken at least every RENEW_EVERY, so waiting rows' claims are renewed even
                # while every thread's send hangs.
                timeout = min(pause or RENEW_EVERY, RENEW_EVERY)
                done, _ = wait(sending, timeout=timeout, return_when=FIRST_COMPLETED)
                for future in done:
                    job = sending.pop(future)
                    outcome = future.result()
                    if outcome is None:  # held by a 429: first in its lane again
                        lanes.setdefault(job.lane, deque()).appendleft(job)
                    else:
                        report.count(outcome)

    def _hand_out(
        self,
        pool: ThreadPoolExecutor,
        lanes: OrderedDict[Lane, deque[_Job]],
        ready_at: dict[Lane, float],
        sending: dict[Future[Outcome | None], _Job],
    ) -> None:
        """Give free threads the first row of each lane whose turn it is, round the lanes."""
        handed = True
        while handed and lanes and len(sending) < self.threads:
            handed = False
            now = self.pacer.clock()
            for lane in list(lanes):
                if len(sending) >= self.threads:
                    return
                if ready_at.get(lane, 0.0) > now:
                    continue
                pause = self.pacer.take_turn(*lane)
                if pause > 0:
                    ready_at[lane] = now + pause
                    continue
                jobs = lanes[lane]
                job = jobs.popleft()
                sending[pool.submit(self._attempt, job)] = job
                handed = True
                if jobs:
                    lanes.move_to_end(lane)  # the other lanes go first next time
                else:
                    del lanes[lane]
                    ready_at.pop(lane, None)

    def claim(
        self, only: Collection[str] | None = None, skip_teams: Collection[str] = ()
    ) -> list[OutboxMessage]:
        return outbox.claim_due(
            self.database,
            now=self.now(),
            limit=self.batch,
            worker_id=self.worker_id,
            lease=self.lease,
            only=only,
            skip_teams=skip_teams,
        )

    def _attempt(self, job: _Job) -> Outcome | None:
        """Send one claimed row in its lane's turn and record how it went; None when Slack
        answered 429 within the budget: the Pacer now holds its lane, and the row waits."""
        message = job.message
        if job.args is None:
            early = self._prepare(job)
            if early is not None:
                return early
        elif not self._hold_claim(message):
            return Outcome.LOST_CLAIM
        if not self._still_ours(job):
            return Outcome.LOST_CLAIM
        assert job.client is not None and job.args is not None
        try:
            response = self._call(job.client, message, job.args)
        except Exception as error:  # Slack, HTTP and network errors are all outcomes here
            if self._held(job, error):
                return None
            return self._after_error(message, error)
        return self._record_sent(message, dict(response.data))  # type: ignore[arg-type]

    def _prepare(self, job: _Job) -> Outcome | None:
        """A row's first attempt: its claim, an earlier send's trace, its arguments and its
        workspace's client. An outcome when there is nothing to send."""
        message = job.message
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
            job.args = self._render(message)
        except Exception as error:  # the same row would fail the same way: no retry
            logger.exception("outbox %s (%s): could not be rendered", message.id, message.kind)
            return self._fail(message, f"not rendered: {describe(error)}")
        try:
            job.client = self._client_for(message)
        except NotInstalled as error:  # uninstalled meanwhile, or its token not renewed
            return self._fail(message, str(error))
        except Exception as error:  # renewal failed for now, the database...: retried
            return self._after_error(message, error)
        return None

    def _still_ours(self, job: _Job) -> bool:
        """Read the row again just before its call: a row deleted meanwhile (forget me) is not
        sent, and one rewritten (forget me, naming "someone") is sent as it is now."""
        message = job.message
        payload = outbox.payload_if_claimed(self.database, message.id, worker_id=self.worker_id)
        if payload is None:
            logger.info(
                "outbox %s (%s): gone or taken over before its send", message.id, message.kind
            )
            return False
        if payload != message.payload:
            message.payload = payload
            try:
                job.args = self._render(message)
            except Exception as error:
                self._fail(message, f"not rendered: {describe(error)}")
                return False
        return True

    def _held(self, job: _Job, error: Exception) -> bool:
        """A 429: hold the row's lane for the Retry-After; True while the row may wait for it,
        False once this claim has waited out more than `rate_limit_budget`."""
        if not isinstance(error, SlackApiError) or error.response.status_code != 429:
            return False
        # Retry-After: 0 still costs a turn, or the row would be sent again at once.
        retry_after = max(retry_after_of(error.response.headers), 1.0)
        self.pacer.hold(*job.lane, retry_after)
        job.held += retry_after
        return job.held <= self.rate_limit_budget  # else back to the queue, due after it

    def _render(self, message: OutboxMessage) -> dict[str, Any]:
        """The arguments to send: the row's own, or what its kind's renderer builds from them."""
        renderer = self.renderers.get(message.kind)
        return renderer(message.args) if renderer is not None else message.args

    def _client_for(self, message: OutboxMessage) -> WebClient:
        """The client of the row's own workspace (one client for all, given a WebClient)."""
        if isinstance(self.client, WebClient):
            return self.client
        return self.client.client_for(message.team_id)

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
        # The workspace, never the dedupe key: a DM's key names the person it goes to.
        logger.warning(
            "outbox %s (%s, workspace %s) attempt %d failed: %s; retrying at %s",
            message.id,
            message.kind,
            message.team_id,
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
            "outbox %s (%s, workspace %s) failed for good: %s",
            message.id,
            message.kind,
            message.team_id,
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
        WorkspaceClients(
            services.settings, services.database, wait_out_rate_limits=False, now=services.now
        ),
        now=services.now,
        worker_id=worker_id or default_worker_id(),
        on_sent=on_sent,
        renderers=services.outbox_renderers,
    )


def default_worker_id() -> str:
    # Unique per process start, even where every container runs as pid 1 on one hostname.
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
