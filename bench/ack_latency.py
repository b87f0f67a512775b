"""1. Acknowledgment latency: signed `/lvm tip` over HTTP to `lvm-bot serve`, beside baselines.

Baselines, measured in the same run with the same load: a bare Bolt app that acks a static
block behind lvm's own server settings, and the same bare app deployed the common way
(`gunicorn -w 2`, sync workers); all three keep Bolt's default process_before_response=False.
Every tip request comes from a different user, so each one reads and writes that person's
history.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from bench import apps
from bench.context import RunContext
from bench.load import LoadRun, Request, endless, run_load
from bench.processes import stop_all
from bench.results import Row, Section, ms, table, times
from bench.slack_requests import EVENTS_PATH
from bench.slack_standin import populated_fake
from bench.stats import Latencies

NAME = "ack"
TITLE = "1. Acknowledgment latency (/lvm tip)"
LEVELS = (1, 10, 50)
SLACK_LIMIT_MS = 3000.0
P50_RATIO_TARGET = 1.2
P99_TARGET_MS = 50.0


@dataclass(frozen=True)
class Measured:
    label: str
    clients: int
    stats: Latencies
    error_samples: tuple[str, ...]


def run(ctx: RunContext) -> Section:
    section = Section(NAME, TITLE)
    seconds = ctx.size(10.0, 0.4)  # per app and level, in `rounds` turns
    rounds = ctx.size(5, 1)
    warmup = ctx.size(300, 20)
    users = itertools.count()
    with populated_fake(apps.TIP_CHANNEL, []) as fake:
        targets = [
            apps.spawn_lvm(ctx, fake, ctx.new_database(kind, f"ack_{kind}"), f"ack-lvm-{kind}")
            for kind in ctx.database_kinds()
        ]
        bare = apps.spawn_bare_behind_our_server(ctx, fake, "ack-bare-ours")
        default = apps.spawn_bare_default(ctx, fake, "ack-bare-default")
        everything = [*targets, bare, default]
        try:
            apps.wait_for(everything, fake)
            ctx.log(f"ack: {len(everything)} servers answering; warming up")

            def tip(n: int) -> Request:
                return apps.tip_for(fake, f"U{next(users):08d}")

            for target in everything:
                run_load(
                    target.app.port,
                    EVENTS_PATH,
                    itertools.islice(endless(tip), warmup),
                    clients=10,
                    expect=target.expect,
                )
            results: list[Measured] = []
            for clients in LEVELS:
                runs = {target.label: LoadRun() for target in everything}
                # Short turns, apps taking turns: a noisy moment on this shared machine then
                # falls on every app alike rather than on one app's whole measurement.
                for _ in range(rounds):
                    for target in everything:
                        runs[target.label].absorb(
                            run_load(
                                target.app.port,
                                EVENTS_PATH,
                                endless(tip),
                                clients=clients,
                                duration=seconds / rounds,
                                expect=target.expect,
                            )
                        )
                for target in everything:
                    load = runs[target.label]
                    results.append(
                        Measured(target.label, clients, load.stats, tuple(load.error_samples))
                    )
                    ctx.log(f"ack: {target.label} at {clients}: {describe(load.stats)}")
        finally:
            stop_all([target.app for target in everything])
    report(section, results, [t.label for t in targets], bare.label, default.label, seconds, rounds)
    return section


def describe(stats: Latencies) -> str:
    return (
        f"p50 {stats.p50_ms:.1f} ms, p99 {stats.p99_ms:.1f} ms, max {stats.max_ms:.0f} ms, "
        f"{stats.rps:.0f} req/s, {stats.errors} errors"
    )


def report(
    section: Section,
    results: list[Measured],
    lvm_labels: list[str],
    bare: str,
    default: str,
    seconds: float,
    rounds: int,
) -> None:
    by = {(m.label, m.clients): m for m in results}
    for label in lvm_labels:
        for clients in LEVELS:
            ours, base = by[label, clients].stats, by[bare, clients].stats
            ratio = ours.p50_ms / base.p50_ms if base.p50_ms else float("inf")
            section.add(
                Row(
                    f"{label}: p50 at {clients} client{'s' * (clients > 1)}",
                    ms(ours.p50_ms),
                    f"bare app, our server: {ms(base.p50_ms)}",
                    times(ratio),
                    f"<= {P50_RATIO_TARGET}x",
                    ratio <= P50_RATIO_TARGET,
                )
            )
        ours, base = by[label, 10].stats, by[bare, 10].stats
        section.add(
            Row(
                f"{label}: p99 at 10 clients",
                ms(ours.p99_ms),
                f"bare app, our server: {ms(base.p99_ms)}",
                times(ours.p99_ms / base.p99_ms if base.p99_ms else float("inf")),
                f"< {P99_TARGET_MS:.0f} ms",
                ours.p99_ms < P99_TARGET_MS,
            )
        )
        for clients in LEVELS:
            ours, base = by[label, clients].stats, by[default, clients].stats
            ratio = ours.rps / base.rps if base.rps else float("inf")
            section.add(
                Row(
                    f"{label}: requests/s at {clients} client{'s' * (clients > 1)}",
                    f"{ours.rps:.0f}/s",
                    f"bare app, gunicorn -w 2: {base.rps:.0f}/s",
                    times(ratio),
                    "> 1x",
                    ratio > 1.0,
                )
            )
        worst = by[label, 50].stats
        section.add(
            Row(
                f"{label}: errors at 50 clients",
                f"{worst.errors} of {worst.count + worst.errors}",
                f"bare app, our server: {by[bare, 50].stats.errors}",
                "",
                "0",
                worst.errors == 0,
            )
        )
        section.add(
            Row(
                f"{label}: slowest ack at 50 clients",
                ms(worst.max_ms),
                f"Slack's limit: {SLACK_LIMIT_MS:.0f} ms",
                times(worst.max_ms / SLACK_LIMIT_MS),
                f"< {SLACK_LIMIT_MS:.0f} ms",
                worst.max_ms < SLACK_LIMIT_MS,
            )
        )
        section.facts[f"errors:{label}"] = sum(by[label, c].stats.errors for c in LEVELS)
        section.facts[f"answered:{label}"] = sum(by[label, c].stats.count for c in LEVELS)
    section.facts["errors:baselines"] = sum(
        by[name, c].stats.errors for name in (bare, default) for c in LEVELS
    )
    section.details.extend(
        table(
            ["App", "Clients", "Answered", "Errors", "p50", "p99", "Max", "Requests/s"],
            [
                [
                    m.label,
                    str(m.clients),
                    str(m.stats.count),
                    str(m.stats.errors),
                    ms(m.stats.p50_ms),
                    ms(m.stats.p99_ms),
                    ms(m.stats.max_ms),
                    f"{m.stats.rps:.0f}",
                ]
                for m in results
            ],
        )
    )
    section.note(
        f"Each level runs {seconds:g} s per app after a warm-up, in {rounds} turn"
        f"{'s' * (rounds > 1)} per app with the apps taking turns; all apps run on this machine "
        "at once (idle while not measured); every request is a different user."
    )
    for m in results:
        for sample in m.error_samples[:2]:
            section.note(f"Error from {m.label} at {m.clients} clients: `{sample[:150]}`")
