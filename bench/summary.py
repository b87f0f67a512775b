"""3. Summary at scale: `/lvm summary` for one team in a database of 300 teams' two years.

A fresh database gets 300 teams with 104 weekly closed rounds each (about 2.3 million answers,
bench/pulse_history.py, written in bulk and then analyzed). For the first team, the SQL that
`build_summary` sends for `weeks:104` and for the default span is timed against the
straightforward way of getting the same numbers, measured in the same run: the team's answer
rows loaded into Python with a plain SELECT and averaged there (bench/summary_sql.py); the
summary must show exactly the baseline's numbers. It is timed twice: computed from the answers
(as right after upgrading, before the clock has stored the closed rounds' totals), and once
the clock's step has stored them (`bot.summary.stored_totals`, run here in its batches as the
clock would). Then a manager sends `/lvm summary weeks:104` to `lvm-bot serve` on that
database through the fake Slack: the ack, the summary arriving through the response_url and
the chart upload are timed, and the servers' resident memory is read afterwards (the
footprint section shows it).
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from bench import apps
from bench.context import SECRET_KEY, RunContext
from bench.databases import BenchDatabase
from bench.processes import stop_all
from bench.pulse_history import MANAGER, FilledHistory, HistoryShape, analyze, timed_fill
from bench.results import Row, Section, megabytes, ms, seconds, table, times
from bench.slack_standin import populated_fake
from bench.summary_requests import SummaryRequest, send_summary
from bench.summary_sql import SpanTiming, time_span
from bot.bank import Bank, load_bank
from bot.platform.database import Database
from bot.platform.timekeeping import utc_now
from bot.summary.build import DEFAULT_WEEKS, MAX_WEEKS
from bot.summary.stored_totals import store_totals

NAME = "summary"
TITLE = "3. Summary at scale"
SQL_TARGET_MS = 50.0
RATIO_TARGET = 10.0
SLACK_LIMIT_MS = 3000.0
SPANS = (MAX_WEEKS, DEFAULT_WEEKS)
COMMAND = f"summary weeks:{MAX_WEEKS}"
FAILED = re.compile(r"failed while|database unavailable while")  # bot.platform.failures


@dataclass(frozen=True)
class Sizes:
    shape: HistoryShape
    sql_repeats: int
    warm_up_requests: int  # not counted: the first summary in a worker imports matplotlib
    requests: int


@dataclass(frozen=True)
class SummaryResult:
    label: str
    filled: FilledHistory
    write_s: float
    analyze_s: float
    computed: list[SpanTiming]  # before the clock stored the rounds' totals
    store_s: float  # the clock's step, batch after batch, until every round was stored
    store_batches: int
    spans: list[SpanTiming]  # once stored: what the targets are about
    requests: list[SummaryRequest]
    warm_ups: list[SummaryRequest]
    failed_in_log: int
    idle_rss: int
    after_rss: int


def sizes(ctx: RunContext) -> Sizes:
    shape = HistoryShape(
        teams=ctx.size(300, 10),
        weeks=ctx.size(104, 10),
        other_weeks=ctx.size(104, 10),
        members=(14, 26),
        answering=(0.6, 0.95),
        skip_chance=0.03,
        comment_chance=0.1,
    )
    return Sizes(shape, ctx.size(15, 3), ctx.size(2, 1), ctx.size(5, 2))


def run(ctx: RunContext) -> Section:
    section = Section(NAME, TITLE)
    chosen = sizes(ctx)
    bank = load_bank()
    results = [scenario(ctx, kind, chosen, bank) for kind in ctx.database_kinds()]
    ctx.memo[NAME] = results
    for result in results:
        report(section, result)
    section.details.extend(details(results, chosen))
    shape = chosen.shape
    section.note(
        f"{shape.teams} teams of {shape.members[0]}-{shape.members[1]} people, "
        f"{shape.weeks} weekly rounds each, {shape.answering[0]:.0%}-{shape.answering[1]:.0%} "
        "answering; the team measured is the largest. SQL: the statements build_summary sends, "
        f"replayed and fetched, median of {chosen.sql_repeats} after a warm-up, alternating "
        "with the baseline; it covers rounds, participation, totals, respondents, "
        "commitments and comments, the baseline only the answers."
    )
    section.note(
        "The targets are judged once the clock has stored the closed rounds' totals (the "
        "steady state: it stores a round 10 minutes after it closes). Computed from the "
        "answers is how every summary ran before, and how one runs after an upgrade until the "
        "clock has caught up: shown in the first table for the record."
    )
    section.note(
        f"Requests: {chosen.requests} `/lvm {COMMAND}` one after another after "
        f"{chosen.warm_up_requests} warm-up (a worker's first chart imports "
        "matplotlib); timed from sending the command to the fake Slack receiving each part."
    )
    return section


def scenario(ctx: RunContext, kind: str, chosen: Sizes, bank: Bank) -> SummaryResult:
    database = ctx.new_database(kind, f"summary_{kind}")
    store = Database(database.url)
    try:
        filled, write_s, analyze_s = timed_fill(
            store.engine,
            bank,
            chosen.shape,
            last_opening=last_closed_opening(utc_now()),
            secret=SECRET_KEY,
        )
        ctx.log(
            f"summary ({kind}): {filled.teams} teams, {filled.rounds} rounds, "
            f"{filled.answers} answers written in {write_s:.1f} s, analyzed in {analyze_s:.1f} s"
        )
        now = utc_now()
        computed = time_spans(store, bank, filled, chosen, now)
        store_s, batches = store_every_round(store, now)
        analyze(store.engine)
        ctx.log(f"summary ({kind}): {filled.rounds} rounds' totals stored in {store_s:.1f} s")
        spans = time_spans(store, bank, filled, chosen, now)
    finally:
        store.dispose()
    for state, timings in (("computed", computed), ("stored", spans)):
        for span in timings:
            ctx.log(
                f"summary ({kind}, {state}) weeks:{span.weeks}: SQL {span.sql_ms:.1f} ms, "
                f"Python {span.python_ms:.1f} ms ({span.ratio:.1f}x)"
            )
    warm_ups, requests, failed, idle_rss, after_rss = served(ctx, database, filled, chosen)
    return SummaryResult(
        database.label,
        filled,
        write_s,
        analyze_s,
        computed,
        store_s,
        batches,
        spans,
        requests,
        warm_ups,
        failed,
        idle_rss,
        after_rss,
    )


def time_spans(
    store: Database, bank: Bank, filled: FilledHistory, chosen: Sizes, now: datetime
) -> list[SpanTiming]:
    return [
        time_span(
            store,
            bank,
            filled.team_id,
            weeks=weeks,
            now=now,
            repeats=chosen.sql_repeats,
            participation=filled.participation,
        )
        for weeks in SPANS
    ]


def store_every_round(store: Database, now: datetime) -> tuple[float, int]:
    """What the clock does over a few ticks after an upgrade: every batch, in turn."""
    started = time.perf_counter()
    batches = 0
    while True:
        with store.transaction() as session:
            if not store_totals(session, now):
                break
        batches += 1
    return time.perf_counter() - started, batches


def last_closed_opening(now: datetime) -> datetime:
    """The latest weekly opening whose round had closed by `now` (rounds stay open 3 days)."""
    return (now - timedelta(days=4)).replace(second=0, microsecond=0)


def served(
    ctx: RunContext, database: BenchDatabase, filled: FilledHistory, chosen: Sizes
) -> tuple[list[SummaryRequest], list[SummaryRequest], int, int, int]:
    """Warm-ups, measured requests, failures in lvm's log, and RSS idle and afterwards."""
    with populated_fake(filled.channel_id, [MANAGER, *filled.members]) as fake:
        lvm = apps.spawn_lvm(ctx, fake, database, f"summary-lvm-{database.kind}")
        try:
            apps.wait_for([lvm], fake)
            idle_rss = lvm.app.rss_bytes()
            sent = [
                send_summary(
                    lvm.app,
                    fake,
                    manager=MANAGER,
                    channel_id=filled.channel_id,
                    team_name=filled.team_name,
                    text=COMMAND,
                )
                for _ in range(chosen.warm_up_requests + chosen.requests)
            ]
            after_rss = lvm.app.rss_bytes()
            failed = len(FAILED.findall(lvm.app.log.read_text(errors="replace")))
        finally:
            stop_all([lvm.app])
    warm_ups, requests = sent[: chosen.warm_up_requests], sent[chosen.warm_up_requests :]
    return warm_ups, requests, failed, idle_rss, after_rss


def report(section: Section, result: SummaryResult) -> None:
    label = result.label
    for span in result.spans:
        section.add(
            Row(
                f"{label}: SQL of /lvm summary weeks:{span.weeks} ({span.rounds} rounds, "
                "totals stored)",
                ms(span.sql_ms),
                f"{span.answer_rows} answers into Python, averaged there: {ms(span.python_ms)}",
                times(span.ratio),
                f"< {SQL_TARGET_MS:.0f} ms and >= {RATIO_TARGET:.0f}x faster",
                span.sql_ms < SQL_TARGET_MS and span.ratio >= RATIO_TARGET,
            )
        )
    requests = result.requests
    acks = [request.acked_ms for request in requests]
    statuses_ok = all(request.status == 200 for request in requests)
    section.add(
        Row(
            f"{label}: /lvm {COMMAND} over HTTP, the ack",
            f"{ms(statistics.median(acks))} (max {ms(max(acks))})",
            f"Slack's limit: {SLACK_LIMIT_MS:.0f} ms",
            times(max(acks) / SLACK_LIMIT_MS),
            f"every ack < {SLACK_LIMIT_MS:.0f} ms, all 200",
            max(acks) < SLACK_LIMIT_MS and statuses_ok,
        )
    )
    delivered = [r.delivered_ms for r in requests if r.delivered_ms is not None]
    charts = [r.chart_ms for r in requests if r.chart_ms is not None]
    if delivered and charts:
        section.add(
            Row(
                f"{label}: the summary, then its chart, at Slack after the command",
                f"{ms(statistics.median(delivered))}; chart {ms(statistics.median(charts))}",
                f"Slack's limit for an ack: {SLACK_LIMIT_MS:.0f} ms",
                times(statistics.median(delivered) / SLACK_LIMIT_MS),
            )
        )
    shown = sum(request.summary_shown for request in requests)
    every_span = [*result.computed, *result.spans]
    numbers_equal = all(span.scores_match and span.participation_match for span in every_span)
    section.add(
        Row(
            f"{label}: summaries delivered and their numbers",
            f"{shown} of {len(requests)} with chart; errors in log: {result.failed_in_log}; "
            f"scores {'=' if numbers_equal else '!='} the Python aggregation's",
            f"{result.filled.answers} answers in {result.filled.rounds} rounds",
            "",
            "all delivered; the same numbers",
            shown == len(requests) and result.failed_in_log == 0 and numbers_equal,
        )
    )
    longest = result.spans[0]
    section.facts[f"scores_match:{label}"] = all(span.scores_match for span in every_span)
    section.facts[f"participation_match:{label}"] = all(
        span.participation_match for span in every_span
    )
    section.facts[f"all_shown:{label}"] = all(span.all_shown for span in every_span)
    section.facts[f"stored_rounds:{label}"] = result.store_batches > 0
    section.facts[f"rounds:{label}"] = longest.rounds
    section.facts[f"answer_rows:{label}"] = longest.answer_rows
    section.facts[f"answers:{label}"] = result.filled.answers
    section.facts[f"requests:{label}"] = len(requests)
    section.facts[f"answered_200:{label}"] = sum(r.status == 200 for r in requests)
    section.facts[f"working_notice:{label}"] = sum(r.working_notice for r in requests)
    section.facts[f"delivered:{label}"] = shown
    section.facts[f"failed_in_log:{label}"] = result.failed_in_log
    section.facts[f"after_rss:{label}"] = result.after_rss


def details(results: list[SummaryResult], chosen: Sizes) -> list[str]:
    lines = table(
        [
            "Database",
            "Totals",
            "Span",
            "Rounds",
            "Answers read",
            "Statements",
            "SQL",
            "Python aggregation",
            "Ratio",
            "build_summary in process",
        ],
        [
            [
                result.label,
                state,
                f"weeks:{span.weeks}",
                str(span.rounds),
                str(span.answer_rows),
                str(span.statements),
                ms(span.sql_ms),
                ms(span.python_ms),
                times(span.ratio),
                ms(span.build_ms),
            ]
            for result in results
            for state, timings in (
                ("computed from the answers", result.computed),
                ("stored by the clock", result.spans),
            )
            for span in timings
        ],
    )
    lines.append("")
    lines.extend(
        table(
            ["Database", "Request", "Ack", "Summary at Slack", "Chart at Slack"],
            [
                [
                    result.label,
                    f"warm-up {n + 1}"
                    if n < len(result.warm_ups)
                    else str(n + 1 - len(result.warm_ups)),
                    ms(request.acked_ms),
                    _maybe_ms(request.delivered_ms),
                    _maybe_ms(request.chart_ms),
                ]
                for result in results
                for n, request in enumerate([*result.warm_ups, *result.requests])
            ],
        )
    )
    for result in results:
        filled = result.filled
        lines.append("")
        lines.append(
            f"{result.label}: {filled.teams} teams, {filled.rounds} rounds, "
            f"{filled.recipients} recipients, {filled.answers} answers and {filled.comments} "
            f"comments written in {seconds(result.write_s)} (then analyzed in "
            f"{seconds(result.analyze_s)}); the clock's step stored every round's totals in "
            f"{seconds(result.store_s)} ({result.store_batches} "
            f"batch{'es' if result.store_batches != 1 else ''}); "
            f"lvm's resident memory {megabytes(result.idle_rss)} "
            f"idle, {megabytes(result.after_rss)} after "
            f"{len(result.warm_ups) + len(result.requests)} summaries."
        )
    return lines


def _maybe_ms(value: float | None) -> str:
    return "not arrived" if value is None else ms(value)
