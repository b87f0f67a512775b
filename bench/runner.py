"""Run the chosen benchmarks and render their report."""

from __future__ import annotations

import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import databases, machine, report
from bench.context import RunContext, stderr_log
from bench.registry import Benchmark
from bench.results import Row, Section


@dataclass
class RunReport:
    sections: list[Section]
    markdown: str

    def section(self, name: str) -> Section:
        return next(section for section in self.sections if section.name == name)


def run(
    benchmarks: list[Benchmark],
    *,
    quick: bool,
    postgres_url: str | None,
    log: Callable[[str], None] = stderr_log,
) -> RunReport:
    """Each benchmark in turn; one that fails becomes a missed row, not a lost report."""
    version = databases.postgres_version(postgres_url) if postgres_url else None
    if postgres_url and version is None:
        log(f"PostgreSQL at {postgres_url} is not reachable: SQLite only")
        postgres_url = None
    sections: list[Section] = []
    with tempfile.TemporaryDirectory(prefix="lvm-bench-") as scratch:
        ctx = RunContext(quick=quick, workdir=Path(scratch), postgres_url=postgres_url, log=log)
        with ctx.cleanup:
            for benchmark in benchmarks:
                log(f"{benchmark.name}: starting ({'quick' if quick else 'full'})")
                sections.append(_run_one(benchmark, ctx))
    markdown = report.render(sections, machine.describe(version), quick=quick)
    return RunReport(sections, markdown)


def _run_one(benchmark: Benchmark, ctx: RunContext) -> Section:
    try:
        return benchmark.run(ctx)
    except Exception as error:
        ctx.log(f"{benchmark.name} failed:\n{traceback.format_exc()}")
        section = Section(benchmark.name, benchmark.title)
        reason = " ".join(repr(error).split())[:300]
        section.add(Row("the benchmark ran", f"failed: {reason}", target="runs", met=False))
        section.facts["failed"] = repr(error)
        return section
