"""2. Button clicks under a pulse: every member of a large team answers within a minute.

The team is set up and its round opened through lvm's code, the DMs go out through the
outbox to the fake Slack, and then every member clicks their answers through the real
request path: signed block_actions payloads to `lvm-bot serve`, with a fresh response_url
for each, which lvm uses after the ack to update the DM. Members arrive at random moments
over the window and click one answer after another, many of them at the same time. The
baseline is the bare Bolt app behind the same server acking the same clicks on the same
schedule (measured once per run: it has no database). Afterwards the database must hold
each answer exactly once, with the last score given.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from bench import apps, click_plan, pulse_setup
from bench.answers import Stored, check_answers
from bench.context import RunContext
from bench.databases import BenchDatabase
from bench.load import LoadRun, run_load
from bench.processes import stop_all
from bench.results import Row, Section, megabytes, ms, seconds, table, times
from bench.slack_requests import EVENTS_PATH
from bench.slack_standin import member_ids, populated_fake
from bot.clock import build_sender
from bot.platform.timekeeping import utc_now
from slack_standin import FakeSlackServer

NAME = "clicks"
TITLE = "2. Button clicks under a pulse"
CHANNEL = "C0PULSE"
SLACK_LIMIT_MS = 3000.0
REPLY_WAIT_S = 60.0
FAILED_ANSWER = re.compile(r"failed while recording a pulse answer")


@dataclass(frozen=True)
class ClickResult:
    label: str
    members: int
    plan: click_plan.ClickPlan
    lvm: LoadRun
    bare: LoadRun
    stored: Stored
    replies: int
    failed_in_log: int
    setup_s: float
    idle_rss: int
    after_rss: int


def run(ctx: RunContext) -> Section:
    section = Section(NAME, TITLE)
    members, window, clients = sizes(ctx)
    results: list[ClickResult] = []
    for kind in ctx.database_kinds():
        baseline = results[0].bare if results else None
        results.append(scenario(ctx, kind, members, window, clients, baseline))
    ctx.memo[NAME] = results
    for result in results:
        report(section, result, window)
    section.details.extend(details(results))
    section.note(
        f"{members} members in one channel open their DM at random moments over {window:g} s "
        f"and click their answers one after another ({clients} client threads, so nobody "
        "waits for a free one); a double click sends both requests at once."
    )
    return section


def sizes(ctx: RunContext) -> tuple[int, float, int]:
    """Members, the window they answer in (s), and client threads (enough for no waits)."""
    return ctx.size(1000, 40), ctx.size(60.0, 2.5), ctx.size(200, 30)


def scenario(
    ctx: RunContext,
    kind: str,
    members: int,
    window: float,
    clients: int,
    baseline: LoadRun | None = None,
) -> ClickResult:
    """Set up, open and answer a round on a fresh database of this kind; the bare app gets
    the same clicks unless a `baseline` from this run is given."""
    people = member_ids(members)
    with populated_fake(CHANNEL, people) as fake:
        database = ctx.new_database(kind, f"clicks_{kind}")
        lvm = apps.spawn_lvm(ctx, fake, database, f"clicks-lvm-{kind}")
        bare = None if baseline else apps.spawn_bare_behind_our_server(ctx, fake, "clicks-bare")
        try:
            apps.wait_for([lvm, bare] if bare else [lvm], fake)
            idle_rss = lvm.app.rss_bytes()
            started = time.monotonic()
            round_id, dms = open_round_with_dms(fake, database, people)
            setup_s = time.monotonic() - started
            plan = click_plan.plan_clicks(dms, window)
            ctx.log(f"clicks ({kind}): round {round_id} open, {plan.clicks} clicks to send")
            replies_before = len(fake.workspace.calls_to("response_url"))
            lvm_run = run_load(
                lvm.app.port,
                EVENTS_PATH,
                click_plan.jobs(plan, fake),
                clients=clients,
                pace=plan.arrivals,
            )
            replies = wait_for_replies(fake, replies_before + lvm_run.stats.count)
            after_rss = lvm.app.rss_bytes()
            if baseline is None:
                assert bare is not None
                baseline = run_load(
                    bare.app.port,
                    EVENTS_PATH,
                    click_plan.jobs(plan, fake),
                    clients=clients,
                    pace=plan.arrivals,
                )
            bare_run = baseline
            ctx.log(f"clicks ({kind}): lvm {lvm_run.stats}; bare {bare_run.stats}")
            stored = check_answers(database, round_id, plan)
            failed = len(FAILED_ANSWER.findall(lvm.app.log.read_text(errors="replace")))
        finally:
            stop_all([lvm.app, *([bare.app] if bare else [])])
    return ClickResult(
        database.label,
        members,
        plan,
        lvm_run,
        bare_run,
        stored,
        replies - replies_before,
        failed,
        setup_s,
        idle_rss,
        after_rss,
    )


def open_round_with_dms(
    fake: FakeSlackServer, database: BenchDatabase, people: list[str]
) -> tuple[int, dict[str, dict]]:
    """Set the team up, open its round and deliver the DMs; each member's DM as they see it."""
    services = pulse_setup.bench_services(fake, database, utc_now)
    try:
        pulse_setup.set_up_team(services, CHANNEL, people[0])
        opened = pulse_setup.open_round(services, CHANNEL, people[0])
        build_sender(services, worker_id="bench-clicks").send_due()
    finally:
        services.database.dispose()
    by_channel = {
        message["channel"]: message
        for message in fake.workspace.all_messages()
        if message["source"] == "chat.postMessage"
    }
    dms = {person: by_channel[fake.workspace.dm_channel_id(person)] for person in people}
    return opened.round_id, dms


def wait_for_replies(fake: FakeSlackServer, expected: int) -> int:
    """Let lvm's listeners finish updating the DMs (they do it after each ack)."""
    deadline = time.monotonic() + REPLY_WAIT_S
    while time.monotonic() < deadline:
        count = len(fake.workspace.calls_to("response_url"))
        if count >= expected:
            return count
        time.sleep(0.1)  # waiting for background work to land, not timing it
    return len(fake.workspace.calls_to("response_url"))


def report(section: Section, result: ClickResult, window: float) -> None:
    label, lvm, bare = result.label, result.lvm.stats, result.bare.stats
    plan, stored = result.plan, result.stored
    section.add(
        Row(
            f"lvm ({label}): ack p99, {result.members} members answering within {window:g} s",
            f"{ms(lvm.p99_ms)} (max {ms(lvm.max_ms)})",
            f"bare app, our server: {ms(bare.p99_ms)}",
            times(lvm.p99_ms / bare.p99_ms if bare.p99_ms else float("inf")),
            f"every ack < {SLACK_LIMIT_MS:.0f} ms (Slack's limit), 0 errors",
            lvm.max_ms < SLACK_LIMIT_MS and lvm.errors == 0,
        )
    )
    finish = window + SLACK_LIMIT_MS / 1000
    section.add(
        Row(
            f"lvm ({label}): all {plan.clicks} clicks answered",
            f"{seconds(result.lvm.elapsed)} ({result.lvm.late_starts} late starts)",
            f"bare app, our server: {seconds(result.bare.elapsed)}",
            times(result.lvm.elapsed / result.bare.elapsed if result.bare.elapsed else 0.0),
            f"<= {finish:g} s (the window + 3 s)",
            result.lvm.elapsed <= finish and result.lvm.late_starts == 0,
        )
    )
    exact = stored.rows == stored.expected and not (
        stored.doubled or stored.missing or stored.wrong_score
    )
    section.add(
        Row(
            f"lvm ({label}): answers stored once each",
            f"{stored.rows} rows, {stored.doubled} doubled, {stored.missing} missing, "
            f"{stored.wrong_score} wrong",
            f"{stored.expected} answers clicked ({plan.repeats} repeats, {plan.doubles} double "
            f"clicks, {plan.changes} changes)",
            "",
            "rows = answers, none doubled",
            exact,
        )
    )
    section.add(
        Row(
            f"lvm ({label}): clicks whose DM was updated",
            f"{result.replies} of {lvm.count}",
            f"errors shown to people: {result.failed_in_log}",
            "",
            "every ack answered, no errors shown",
            result.replies >= lvm.count and result.failed_in_log == 0,
        )
    )
    section.facts[f"errors:{label}"] = lvm.errors + bare.errors
    section.facts[f"exact:{label}"] = exact
    section.facts[f"answered:{label}"] = stored.answered
    section.facts[f"members:{label}"] = result.members
    section.facts[f"failed_in_log:{label}"] = result.failed_in_log


def details(results: list[ClickResult]) -> list[str]:
    rows = []
    for result in results:
        runs = [("lvm", result.lvm)]
        if result is results[0]:
            runs.append(("bare app, our server", result.bare))
        for name, run in runs:
            stats = run.stats
            rows.append(
                [
                    name if name != "lvm" else f"lvm ({result.label})",
                    str(stats.count),
                    str(stats.errors),
                    ms(stats.p50_ms),
                    ms(stats.p99_ms),
                    ms(stats.max_ms),
                    f"{stats.rps:.0f}",
                    seconds(run.elapsed),
                ]
            )
    lines = table(
        ["App", "Clicks", "Errors", "p50", "p99", "Max", "Clicks/s", "Last answered after"], rows
    )
    for result in results:
        lines.append("")
        lines.append(
            f"{result.label}: team set up, round opened and {result.members} DMs delivered in "
            f"{seconds(result.setup_s)}; lvm's resident memory {megabytes(result.idle_rss)} idle, "
            f"{megabytes(result.after_rss)} after the clicks."
        )
    return lines
