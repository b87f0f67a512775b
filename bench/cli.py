"""`python -m bench`: measure lvm on this machine and write docs/benchmarks.md."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bench import registry, report, runner

REPORT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure lvm against baselines from the same run. A full run of every "
        f"benchmark writes {REPORT.relative_to(REPORT.parent.parent)}; a quick or partial run "
        "prints its table unless --output is given.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="cut-down sizes: seconds per benchmark"
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(registry.NAMES)}",
    )
    parser.add_argument("--output", type=Path, help="where to write the Markdown report")
    databases = parser.add_mutually_exclusive_group()
    databases.add_argument(
        "--postgres",
        metavar="URL",
        default=os.environ.get("LVM_BENCH_DATABASE_URL") or LOCAL_POSTGRES,
        help="PostgreSQL server to make fresh schemas on (default: $LVM_BENCH_DATABASE_URL "
        f"or {LOCAL_POSTGRES}; skipped when unreachable)",
    )
    databases.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        chosen = registry.select(args.only)
    except ValueError as error:
        print(f"python -m bench: {error}", file=sys.stderr)
        return 2
    result = runner.run(
        chosen, quick=args.quick, postgres_url=None if args.sqlite_only else args.postgres
    )
    output = args.output or (REPORT if not (args.quick or args.only) else None)
    if output is None:
        print(result.markdown)
    else:
        report.write(output, result.markdown)
        print(f"wrote {output}", file=sys.stderr)
    missed = [row for section in result.sections for row in section.rows if row.met is False]
    return 1 if missed else 0
