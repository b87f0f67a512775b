"""4b. Fan-out across workspaces: many workspaces' rounds sent by one Sender, before and after
each workspace was paced on its own.

Slack limits each Web API method per workspace. N workspaces installed by OAuth each plan a
round's DMs (one workspace after another, as a tick plans them), and the clock's Sender
drains them against a stand-in that allows each workspace RATE chat.postMessage a second
(bursts of BURST; bench/slack_standin.py) and one a second per channel, answering 429 with
Retry-After. Slack's floor is the slowest workspace's own: its messages past the burst at
its rate. Before, one Pacer lane per method held every workspace when any met a 429, and a
row waited for its turn in a thread, so the workspaces went out one after another: near the
sum of their floors. The baseline reproduces that Sender (`SenderAsBefore`) in the same run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation

from bench.context import SECRET_KEY, RunContext
from bench.databases import BenchDatabase
from bench.fanout import PER_CHANNEL_PER_SECOND, drain_like_the_clock
from bench.results import Row, Section, seconds, table, times
from bench.slack_requests import SIGNING_SECRET
from bench.slack_standin import limit_workspace_wide, member_ids
from bot import clock as scheduler
from bot.bank import load_bank
from bot.bootstrap import build_services
from bot.platform import outbox
from bot.platform.config import Settings
from bot.platform.database import Database
from bot.platform.delivery import DeliveryReport, Outcome, Sender, _Job
from bot.platform.installations import installation_store
from bot.platform.pacing import Pacer
from bot.platform.services import Services
from bot.platform.timekeeping import utc_now
from slack_standin import FakeSlackServer, Workspace

NAME = "workspaces"
TITLE = "4b. Fan-out across workspaces"
METHOD = "chat.postMessage"
RATE_PER_SECOND = 5.0  # each workspace's own limit on chat.postMessage, in this benchmark
BURST = 5
FLOOR_RATIO_TARGET = 1.1
STATE_SECRET = "bench-state-secret"


@dataclass(frozen=True)
class Shape:
    workspaces: int
    members: int  # DMs per workspace

    def floor_seconds(self) -> float:
        """Each workspace's floor, and so the slowest one's: all are the same size."""
        return max(self.members - BURST, 0) / RATE_PER_SECOND

    @property
    def messages(self) -> int:
        return self.workspaces * self.members


@dataclass(frozen=True)
class Drained:
    label: str
    delivery_s: float
    ticks: int
    report: DeliveryReport
    served_429: int
    once: int
    doubled: int
    lost: int


def run(ctx: RunContext) -> Section:
    section = Section(NAME, TITLE)
    shape = ctx.size(Shape(10, 60), Shape(3, 8))
    floor = shape.floor_seconds()
    # The old Sender takes about the sum of the floors: measured once, on SQLite.
    before = scenario(ctx, ctx.database_kinds()[0], shape, as_before=True)
    after = [scenario(ctx, kind, shape) for kind in ctx.database_kinds()]
    summed = floor * shape.workspaces
    for result in after:
        report(
            section,
            result,
            shape,
            f"Slack's floor (the slowest workspace's): {seconds(floor)}",
            floor,
            True,
        )
    report(
        section,
        before,
        shape,
        f"the sum of the workspaces' floors: {seconds(summed)}",
        summed,
        False,
    )
    section.details.extend(details(shape, [before, *after]))
    section.note(
        f"{shape.workspaces} workspaces installed by OAuth, {shape.members} DMs each, planned "
        f"one workspace after another; Slack allows each workspace {RATE_PER_SECOND:g} "
        f"chat.postMessage a second (bursts of {BURST}) and {PER_CHANNEL_PER_SECOND:g} a "
        f"second per channel. Each workspace's floor is ({shape.members} - {BURST}) / "
        f"{RATE_PER_SECOND:g} = {seconds(floor)}; they can all go at once."
    )
    section.note(
        "'as before': the Sender of f39806f (bench/fanout_workspaces.py's SenderAsBefore): "
        "one Pacer lane per method for every workspace, each claimed batch handed to the "
        "threads at once, a thread sleeping out its row's turn and its 429s."
    )
    return section


def scenario(ctx: RunContext, kind: str, shape: Shape, *, as_before: bool = False) -> Drained:
    people = member_ids(shape.members, prefix="UW")
    own = Workspace()
    with FakeSlackServer(own) as fake:
        limit_workspace_wide(fake, METHOD, RATE_PER_SECOND, BURST)
        fake.rate_limit(METHOD, per_second=PER_CHANNEL_PER_SECOND, burst=1)
        suffix = "before" if as_before else "after"
        database = ctx.new_database(kind, f"workspaces_{kind}_{suffix}")
        services = oauth_services(fake, database, utc_now)
        try:
            workspaces = [populated(n, people, own.clock) for n in range(shape.workspaces)]
            for ws in workspaces:
                install(fake, services, ws)
                plan_dms(services, ws.team_id, people)
            sender = scheduler.build_sender(services, worker_id=f"bench-{suffix}")
            if as_before:
                sender = SenderAsBefore.like(sender)
            delivered, ticks, delivery_s = drain_like_the_clock(
                services, sender, shape.floor_seconds() * shape.workspaces, team_id=None
            )
        finally:
            services.database.dispose()
        posted = Counter(
            (ws.team_id, str(call.params.get("channel")))
            for ws in workspaces
            for call in ws.calls_to(METHOD)
            if call.ok
        )
        served_429 = fake.ratelimited_count_for(METHOD)
    expected = [(ws.team_id, person) for ws in workspaces for person in people]
    label = f"{database.label}, {'as before' if as_before else 'paced per workspace'}"
    result = Drained(
        label=label,
        delivery_s=delivery_s,
        ticks=ticks,
        report=delivered,
        served_429=served_429,
        once=sum(1 for key in expected if posted[key] == 1),
        doubled=sum(count - 1 for count in posted.values() if count > 1),
        lost=sum(1 for key in expected if posted[key] == 0),
    )
    ctx.log(f"workspaces ({kind}, {suffix}): {result}")
    return result


def oauth_services(
    fake: FakeSlackServer, database: BenchDatabase, now: Callable[[], datetime]
) -> Services:
    """A clock process's services for an lvm that installs by OAuth."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        SLACK_CLIENT_ID=fake.grants.client_id,
        SLACK_CLIENT_SECRET=fake.grants.client_secret,
        SLACK_STATE_SECRET=STATE_SECRET,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=database.url,
        LVM_SECRET_KEY=SECRET_KEY,
    )
    return build_services(
        settings=settings,
        database=Database(database.url),
        bank=load_bank(),
        now=now,
        secret=SECRET_KEY,
    )


def populated(number: int, people: list[str], clock: Callable[[], float]) -> Workspace:
    """A workspace of its own, with these people (the same IDs in every one, as may be)."""
    ws = Workspace(clock=clock)
    ws.team_id = f"T{number:04d}"
    ws.team_name = ws.team_domain = f"workspace-{number}"
    for user_id in people:
        ws.add_user(user_id, user_id.lower(), tz="Europe/London")
    return ws


def install(fake: FakeSlackServer, services: Services, ws: Workspace) -> None:
    """What Bolt's redirect stores once Slack approved the install (tests/app/test_install.py
    goes through the pages; here only the token matters)."""
    grants = fake.grants
    granted = WebClient(base_url=fake.api_url).oauth_v2_access(
        client_id=grants.client_id,
        client_secret=grants.client_secret,
        code=fake.approve_install(ws),
    )
    store = installation_store(services.database, grants.client_id, services.now)
    store.save(
        Installation(
            app_id=granted["app_id"],
            team_id=ws.team_id,
            team_name=ws.team_name,
            bot_token=granted["access_token"],
            bot_id=granted["bot_id"],
            bot_user_id=granted["bot_user_id"],
            bot_scopes=granted["scope"],
            user_id=granted["authed_user"]["id"],
        )
    )


def plan_dms(services: Services, team_id: str, people: list[str]) -> None:
    """A round's DMs in one transaction, as the clock plans a workspace's round."""
    now = services.now()
    with services.database.transaction() as session:
        for person in people:
            outbox.enqueue(
                session,
                team_id=team_id,
                dedupe_key=f"pulse.dm:{team_id}:bench:{person}",
                kind="pulse.dm",
                payload=outbox.post_payload(person, {"text": "How was your week?"}),
                due_at=now,
                now=now,
            )


class SharedPacer(Pacer):
    """The Pacer as it was: one lane per method, whatever the workspace."""

    def take_turn(self, team_id: str, method: str) -> float:
        return super().take_turn("", method)

    def hold(self, team_id: str, method: str, retry_after: float) -> None:
        super().hold("", method, retry_after)


class SenderAsBefore(Sender):
    """The Sender as it was (f39806f), built from today's parts: each claimed batch handed to
    the threads at once, each thread sleeping out its row's turn and its 429s in place, one
    Pacer for every workspace. Bench-only: it reaches into the Sender's private steps."""

    @classmethod
    def like(cls, sender: Sender) -> SenderAsBefore:
        before = cls(
            sender.database,
            sender.client,
            now=sender.now,
            worker_id=sender.worker_id,
            lease=sender.lease,
            max_attempts=sender.max_attempts,
            batch=sender.batch,
            threads=sender.threads,
            on_sent=sender.on_sent,
            renderers=sender.renderers,
            pacer=SharedPacer(),
        )
        return before

    def _send_due(self, only: Collection[str] | None) -> DeliveryReport:
        report = DeliveryReport()
        sending: set[Future[Outcome]] = set()
        more = True
        with ThreadPoolExecutor(self.threads, thread_name_prefix="outbox") as pool:
            while True:
                if more and len(sending) < self.threads:
                    claimed = self.claim(only)
                    report.claimed += len(claimed)
                    sending.update(pool.submit(self._in_place, message) for message in claimed)
                    more = len(claimed) == self.batch
                if not sending:
                    return report
                done, sending = wait(sending, return_when=FIRST_COMPLETED)
                for future in done:
                    report.count(future.result())

    def _in_place(self, message: outbox.OutboxMessage) -> Outcome:
        job = _Job(message)
        while True:
            self.pacer.wait_turn(message.team_id, message.method)
            outcome = self._attempt(job)
            if outcome is not None:
                return outcome


def report(
    section: Section, result: Drained, shape: Shape, baseline: str, floor: float, judged: bool
) -> None:
    ratio = result.delivery_s / floor if floor else float("inf")
    section.add(
        Row(
            f"{result.label}: {shape.workspaces} workspaces x {shape.members} DMs sent",
            f"{seconds(result.delivery_s)} ({result.ticks} tick{'s' * (result.ticks > 1)})",
            baseline,
            times(ratio),
            f"<= {FLOOR_RATIO_TARGET}x Slack's floor" if judged else "",
            ratio <= FLOOR_RATIO_TARGET if judged else None,
        )
    )
    section.add(
        Row(
            f"{result.label}: each member of each workspace exactly one DM",
            f"{result.once} once, {result.doubled} doubled, {result.lost} lost",
            f"{shape.messages} DMs",
            "",
            "all once; 0 doubled, 0 lost",
            result.once == shape.messages and not (result.doubled or result.lost),
        )
    )
    section.facts[f"once:{result.label}"] = result.once
    section.facts[f"doubled:{result.label}"] = result.doubled
    section.facts[f"lost:{result.label}"] = result.lost
    section.facts[f"messages:{result.label}"] = shape.messages


def details(shape: Shape, results: list[Drained]) -> list[str]:
    return table(
        [
            "Sender",
            "Workspaces x DMs",
            "Sending",
            "Slowest workspace's floor",
            "Ticks",
            "429s",
            "Sent",
            "Retried",
            "Failed",
        ],
        [
            [
                r.label,
                f"{shape.workspaces} x {shape.members}",
                seconds(r.delivery_s),
                seconds(shape.floor_seconds()),
                str(r.ticks),
                str(r.served_429),
                str(r.report.sent),
                str(r.report.retried),
                str(r.report.failed),
            ]
            for r in results
        ],
    )
