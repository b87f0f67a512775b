"""The machine a run was measured on, for the report's header."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

PACKAGES = ("gunicorn", "slack-bolt", "slack-sdk", "SQLAlchemy", "psycopg")


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe(postgres_version: str | None) -> list[tuple[str, str]]:
    """(label, value) pairs: cores, memory, Python and library versions, PostgreSQL, date."""
    rows = [
        ("Date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("CPU", f"{os.cpu_count()} cores ({_cpu_model()})"),
        ("Memory", _memory()),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", platform.python_version()),
    ]
    rows.extend((package, _version(package)) for package in PACKAGES)
    rows.append(("PostgreSQL", postgres_version or "not measured"))
    return rows
