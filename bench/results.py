"""What a benchmark reports: rows of the results table, and details under it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Row:
    """One figure, beside the baseline it was measured against in the same run."""

    figure: str
    measured: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None  # None: no target, reported for the record

    @property
    def verdict(self) -> str:
        if self.met is None:
            return ""
        return "met" if self.met else "**missed**"


@dataclass
class Section:
    """A benchmark's rows, in the order they were measured, plus its detail tables."""

    name: str
    title: str
    rows: list[Row] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # Markdown lines
    notes: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)  # for tests: counts, flags

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    def note(self, text: str) -> None:
        self.notes.append(text)


def ms(value: float) -> str:
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def times(value: float) -> str:
    return f"{value:.2f}x"


def megabytes(value: int) -> str:
    return f"{value / 2**20:.0f} MB"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table as lines."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows)
    return lines


def _cell(text: str) -> str:
    """One table cell: a single line, with pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")
