"""5. Footprint: from `lvm-bot serve` to its first answered request, and resident memory.

Start-up is timed from spawning the process to the first 200 on a signed `/lvm tip`, with
lvm's defaults (SQLite: one worker with the clock in it), beside the bare Bolt app behind the
same server settings. Memory is the resident set (VmRSS) of the gunicorn master and its
workers, idle after start-up, after the click benchmark and after the summary benchmark's
requests (when it ran in the same run: its two-year database takes minutes to fill).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from bench import apps, clicks, summary
from bench.context import RunContext
from bench.databases import SQLITE
from bench.results import Row, Section, megabytes, seconds, table, times
from bench.slack_standin import populated_fake
from slack_standin import FakeSlackServer

NAME = "footprint"
TITLE = "5. Footprint"
SETTLE_SECONDS = (2.0, 0.5)  # full, quick: after the first answer, for the other worker


@dataclass(frozen=True)
class Start:
    seconds: float
    idle_rss: int


def run(ctx: RunContext) -> Section:
    section = Section(NAME, TITLE)
    repeats = ctx.size(5, 1)
    with populated_fake(apps.TIP_CHANNEL, []) as fake:
        database = ctx.new_database(SQLITE, "footprint")
        lvm: list[Start] = []
        bare: list[Start] = []
        settle = ctx.size(*SETTLE_SECONDS)
        for n in range(repeats):  # alternated, one at a time, so neither slows the other
            target = apps.spawn_lvm(ctx, fake, database, f"fp-lvm-{n}", scheduler="on")
            lvm.append(start_once(target, fake, settle))
            target = apps.spawn_bare_behind_our_server(ctx, fake, f"fp-bare-{n}")
            bare.append(start_once(target, fake, settle))
    click_results = ctx.memo.get(clicks.NAME) or [clicks.scenario(ctx, SQLITE, *clicks.sizes(ctx))]
    summary_results = ctx.memo.get(summary.NAME, [])
    report(section, lvm, bare, click_results, summary_results, repeats)
    return section


def start_once(target: apps.Target, fake: FakeSlackServer, settle: float) -> Start:
    try:
        took = target.app.wait_until_answering(apps.tip_for(fake, "U0START"), target.expect)
        time.sleep(settle)  # let every worker come up: this is the idle footprint
        return Start(took, target.app.rss_bytes())
    finally:
        target.app.stop()


def report(
    section: Section,
    lvm: list[Start],
    bare: list[Start],
    click_results: list[clicks.ClickResult],
    summary_results: list[summary.SummaryResult],
    repeats: int,
) -> None:
    lvm_start = statistics.median(s.seconds for s in lvm)
    bare_start = statistics.median(s.seconds for s in bare)
    section.add(
        Row(
            "lvm-bot serve: spawn to first answered /lvm tip",
            seconds(lvm_start),
            f"bare app, our server: {seconds(bare_start)}",
            times(lvm_start / bare_start),
        )
    )
    lvm_rss = int(statistics.median(s.idle_rss for s in lvm))
    bare_rss = int(statistics.median(s.idle_rss for s in bare))
    section.add(
        Row(
            "resident memory, idle (master + workers)",
            megabytes(lvm_rss),
            f"bare app, our server: {megabytes(bare_rss)}",
            times(lvm_rss / bare_rss),
        )
    )
    for result in click_results:
        section.add(
            Row(
                f"resident memory after {result.members} members' clicks ({result.label})",
                megabytes(result.after_rss),
                f"the same server idle: {megabytes(result.idle_rss)}",
                times(result.after_rss / result.idle_rss if result.idle_rss else 0.0),
            )
        )
    for result in summary_results:
        served = len(result.warm_ups) + len(result.requests)
        section.add(
            Row(
                f"resident memory after {served} /lvm summary weeks:104 ({result.label})",
                megabytes(result.after_rss),
                f"the same server idle: {megabytes(result.idle_rss)}",
                times(result.after_rss / result.idle_rss if result.idle_rss else 0.0),
            )
        )
        section.facts[f"summary_rss:{result.label}"] = result.after_rss
    if not summary_results:
        section.note("Memory after summaries is measured when the summary benchmark runs too.")
    section.facts["startup_s"] = lvm_start
    section.facts["idle_rss"] = lvm_rss
    section.details.extend(
        table(
            ["App", "Spawn to first answer", "Idle RSS"],
            [
                [name, seconds(start.seconds), megabytes(start.idle_rss)]
                for name, runs in (("lvm", lvm), ("bare app, our server", bare))
                for start in runs
            ],
        )
    )
    section.note(
        f"Median of {repeats} start{'s' * (repeats > 1)} each, alternating, one server at a time;"
        " lvm with its clock on (the default; on SQLite it starts in the one worker). RSS counts pages shared between master and workers once per process."
    )
