"""Every benchmark, by the name `--only` takes, in the order a full run measures them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bench import (
    ack_latency,
    clicks,
    close_ack,
    closing_load,
    fanout,
    fanout_workspaces,
    footprint,
    summary,
)
from bench.context import RunContext
from bench.results import Section


@dataclass(frozen=True)
class Benchmark:
    name: str
    title: str
    run: Callable[[RunContext], Section]


BENCHMARKS: tuple[Benchmark, ...] = tuple(
    Benchmark(module.NAME, module.TITLE, module.run)
    for module in (
        ack_latency,
        clicks,
        close_ack,
        closing_load,
        summary,
        fanout,
        fanout_workspaces,
        footprint,
    )
)
NAMES = tuple(benchmark.name for benchmark in BENCHMARKS)


def select(names: list[str] | None) -> list[Benchmark]:
    if not names:
        return list(BENCHMARKS)
    unknown = sorted(set(names) - set(NAMES))
    if unknown:
        raise ValueError(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(NAMES)}")
    return [benchmark for benchmark in BENCHMARKS if benchmark.name in names]
