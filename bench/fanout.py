"""4. Fan-out: a round opening for a large team, its DMs sent through the outbox.

The round is opened by lvm's own code (members read from the fake Slack, one outbox row per
person), then the clock's Sender drains the outbox against a rate-limited Slack: the fake's
own per-channel limit on chat.postMessage (one a second in each channel, as Slack) and a
workspace-wide one added here (bench/slack_standin.py), answering 429 with Retry-After. When
rows are left for later (a retry with backoff), the benchmark waits for the clock's next
tick, 30 s on, as `lvm-bot scheduler` would. The baseline is the floor the limit allows:
the messages beyond the first burst, at the allowed rate.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass

from bench import pulse_setup
from bench.context import RunContext
from bench.results import Row, Section, seconds, table, times
from bench.slack_standin import limit_workspace_wide, member_ids, populated_fake
from bot import clock as scheduler
from bot.platform import outbox
from bot.platform.delivery import DeliveryReport, Sender
from bot.platform.directory import BULK_LOOKUP_FROM
from bot.platform.services import Services
from bot.platform.timekeeping import utc_now
from slack_standin import TEAM_ID

NAME = "fanout"
TITLE = "4. Fan-out through the outbox"
CHANNEL = "C0FANOUT"
METHOD = "chat.postMessage"
RATE_PER_SECOND = 100.0  # workspace-wide, in this benchmark
BURST = 100  # one second's worth may go at once
# Issue 14's case: a workspace that allows 5 posts a second (a second's worth at once), where
# 151 DMs took 147 s against a 30 s floor when each 429 cost three retries and a 30 s backoff.
SLOW_RATE_PER_SECOND = 5.0
SLOW_BURST = 5
SLOW_CHANNEL = "C0FANSLOW"
SLOW_SUFFIX = f" at {SLOW_RATE_PER_SECOND:g} a second"
PER_CHANNEL_PER_SECOND = 1.0  # Slack's (and the fake's) limit in each channel
FLOOR_RATIO_TARGET = 1.1
# The reads an opening makes, limited as Slack limits them (calls a minute: Tier 2 for
# users.list, Tier 4 for the others), with a small burst.
READ_LIMITS_PER_MINUTE = {"users.list": 20, "conversations.members": 100, "users.info": 100}
READ_BURST = 5


@dataclass(frozen=True)
class Limit:
    """Slack's workspace-wide limit on chat.postMessage in one scenario."""

    per_second: float
    burst: int

    def floor_seconds(self, messages: int) -> float:
        """The fastest any sender could go: every message past the burst at the rate."""
        return max(messages - self.burst, 0) / self.per_second


FAST = Limit(RATE_PER_SECOND, BURST)
SLOW = Limit(SLOW_RATE_PER_SECOND, SLOW_BURST)


@dataclass(frozen=True)
class FanoutResult:
    label: str
    members: int
    recipients: int
    plan_s: float
    read_calls: dict[str, int]
    delivery_s: float
    floor_s: float
    ticks: int
    report: DeliveryReport
    served_429: int
    once: int
    doubled: int
    lost: int
    statuses: dict[str, int]


def read_floor_seconds(calls: dict[str, int]) -> float:
    """The least time the opening's reads can take under READ_LIMITS_PER_MINUTE."""
    return sum(
        max(count - READ_BURST, 0) * 60 / READ_LIMITS_PER_MINUTE[method]
        for method, count in calls.items()
    )


def floor_seconds(messages: int) -> float:
    """The fastest any sender could go: every message past the burst at the allowed rate."""
    return FAST.floor_seconds(messages)


def run(ctx: RunContext) -> Section:
    section = Section(NAME, TITLE)
    # Quick: just big enough to read the channel with users.list, as a large team is read.
    members = ctx.size(5000, BULK_LOOKUP_FROM)
    results = [scenario(ctx, kind, members) for kind in ctx.database_kinds()]
    for result in results:
        report(section, result)
    # Quick: enough DMs to meet the limit for a second or two.
    slow_members = ctx.size(151, 11)
    slow = [
        scenario(ctx, kind, slow_members, limit=SLOW, channel=SLOW_CHANNEL, limit_reads=False)
        for kind in ctx.database_kinds()
    ]
    for result in slow:
        report(section, result, suffix=SLOW_SUFFIX)
    section.details.extend(details([*results, *slow]))
    section.note(
        f"Slack limited to {RATE_PER_SECOND:g} chat.postMessage a second across the workspace "
        f"(bursts of {BURST}) and {PER_CHANNEL_PER_SECOND:g} a second per channel; the floor is "
        f"(messages - {BURST}) / {RATE_PER_SECOND:g} per second. The rows 'at "
        f"{SLOW_RATE_PER_SECOND:g} a second' replay issue 14's slow workspace "
        f"({SLOW_RATE_PER_SECOND:g} a second, bursts of {SLOW_BURST}; its reads are not "
        "limited: only its sending is measured)."
    )
    limits = ", ".join(f"{m} {n} a minute" for m, n in READ_LIMITS_PER_MINUTE.items())
    section.note(
        f"Opening's reads limited as Slack's tiers ({limits}; bursts of {READ_BURST}). From "
        f"{BULK_LOOKUP_FROM} members a channel is read with users.list, 200 people a call; "
        f"one users.info call a member would need {members / 100:.0f} minutes for {members}."
    )
    return section


def scenario(
    ctx: RunContext,
    kind: str,
    members: int,
    *,
    limit: Limit = FAST,
    channel: str = CHANNEL,
    limit_reads: bool = True,
) -> FanoutResult:
    people = member_ids(members, prefix="UF")
    with populated_fake(channel, people) as fake:
        limit_workspace_wide(fake, METHOD, limit.per_second, limit.burst)
        fake.rate_limit(METHOD, per_second=PER_CHANNEL_PER_SECOND, burst=1)
        for method, per_minute in READ_LIMITS_PER_MINUTE.items() if limit_reads else ():
            fake.rate_limit(method, per_second=per_minute / 60, burst=READ_BURST)
        database = ctx.new_database(kind, f"fanout_{kind}_{channel.lower()}")
        services = pulse_setup.bench_services(fake, database, utc_now)
        try:
            pulse_setup.set_up_team(services, channel, people[0])
            started = time.monotonic()
            opened = pulse_setup.open_round(services, channel, people[0])
            plan_s = time.monotonic() - started
            ctx.log(f"fanout ({kind}): {opened.recipients} DMs planned in {plan_s:.1f} s")
            sender = scheduler.build_sender(services, worker_id="bench-fanout")
            floor = limit.floor_seconds(opened.recipients)
            delivered, ticks, delivery_s = drain_like_the_clock(services, sender, floor)
            with services.database.transaction() as session:
                statuses = outbox.counts_by_status(session, TEAM_ID)
        finally:
            services.database.dispose()
        posted = Counter(
            str(call.params.get("channel")) for call in fake.workspace.calls_to(METHOD) if call.ok
        )
        served_429 = fake.ratelimited_count_for(METHOD)
        read_calls = {
            method: sum(1 for call in fake.workspace.calls_to(method) if call.ok)
            for method in READ_LIMITS_PER_MINUTE
        }
    recipients = set(people)  # every member is a person, so every one is asked
    once = sum(1 for person in recipients if posted[person] == 1)
    result = FanoutResult(
        label=database.label,
        members=members,
        recipients=opened.recipients,
        plan_s=plan_s,
        read_calls=read_calls,
        delivery_s=delivery_s,
        floor_s=floor,
        ticks=ticks,
        report=delivered,
        served_429=served_429,
        once=once,
        doubled=sum(count - 1 for count in posted.values() if count > 1),
        lost=sum(1 for person in recipients if posted[person] == 0),
        statuses=statuses,
    )
    ctx.log(f"fanout ({kind}): {result}")
    return result


def drain_like_the_clock(
    services: Services, sender: Sender, floor: float, team_id: str | None = TEAM_ID
) -> tuple[DeliveryReport, int, float]:
    """Tick as `lvm-bot scheduler` does (every 30 s) until nothing is left to send (of
    `team_id`'s rows; None: every workspace's)."""
    total = DeliveryReport()
    deadline = time.monotonic() + 3 * floor + 4 * scheduler.TICK_SECONDS
    started = time.monotonic()
    ticks = 0
    while True:
        tick_at = time.monotonic()
        report = sender.send_due()
        ticks += 1
        for field in ("claimed", "sent", "retried", "failed", "lost_claim"):
            setattr(total, field, getattr(total, field) + getattr(report, field))
        with services.database.transaction() as session:
            counts = outbox.counts_by_status(session, team_id)
        if counts[outbox.PENDING] + counts[outbox.SENDING] == 0 or time.monotonic() > deadline:
            return total, ticks, time.monotonic() - started
        time.sleep(max(0.0, tick_at + scheduler.TICK_SECONDS - time.monotonic()))


def report(section: Section, result: FanoutResult, *, suffix: str = "") -> None:
    label = result.label + suffix
    ratio = result.delivery_s / result.floor_s if result.floor_s else float("inf")
    section.add(
        Row(
            f"{label}: {result.recipients} DMs sent",
            f"{seconds(result.delivery_s)} ({result.ticks} tick{'s' * (result.ticks > 1)})",
            f"the limit's floor: {seconds(result.floor_s)}",
            times(ratio),
            f"<= {FLOOR_RATIO_TARGET}x the floor",
            ratio <= FLOOR_RATIO_TARGET,
        )
    )
    read_floor = read_floor_seconds(result.read_calls)
    calls = ", ".join(f"{count} {method}" for method, count in result.read_calls.items() if count)
    section.add(
        Row(
            f"{label}: opening for {result.members} members (reads at Slack's tiers)",
            f"{seconds(result.plan_s)} ({calls})",
            f"the reads' floor: {seconds(read_floor)}",
            times(result.plan_s / read_floor) if read_floor else "",
            "",
            None,
        )
    )
    section.add(
        Row(
            f"{label}: each member exactly one DM",
            f"{result.once} once, {result.doubled} doubled, {result.lost} lost",
            f"{result.recipients} recipients",
            "",
            "all once; 0 doubled, 0 lost",
            result.once == result.recipients and not (result.doubled or result.lost),
        )
    )
    section.add(
        Row(
            f"{label}: 429s served, outbox retries",
            f"{result.served_429} 429s, {result.report.retried} rows retried later",
            f"{result.recipients} messages",
            "",
            "",
            None,
        )
    )
    section.facts[f"once:{label}"] = result.once
    section.facts[f"recipients:{label}"] = result.recipients
    section.facts[f"doubled:{label}"] = result.doubled
    section.facts[f"lost:{label}"] = result.lost
    section.facts[f"members:{label}"] = result.members
    section.facts[f"read_calls:{label}"] = result.read_calls


def details(results: list[FanoutResult]) -> list[str]:
    return table(
        [
            "Database",
            "Members",
            "Opening (reads, round, outbox rows)",
            "Sending",
            "Floor",
            "Ticks",
            "429s",
            "Sent",
            "Failed",
            "Outbox left pending",
        ],
        [
            [
                r.label,
                str(r.members),
                seconds(r.plan_s),
                seconds(r.delivery_s),
                seconds(r.floor_s),
                str(r.ticks),
                str(r.served_429),
                str(r.report.sent),
                str(r.report.failed),
                str(r.statuses[outbox.PENDING] + r.statuses[outbox.SENDING]),
            ]
            for r in results
        ],
    )
