"""The Markdown report: machine, results table, details; a hand-written tail is kept."""

from __future__ import annotations

from pathlib import Path

from bench.results import Section, table

# Everything below this line in an existing report is written by people and kept as it is.
KEEP_MARKER = "<!-- Written by hand below this line; `python -m bench` keeps it. -->"
TITLE = "# Benchmarks"


def render(sections: list[Section], machine: list[tuple[str, str]], *, quick: bool) -> str:
    mode = "quick (a smoke run: sizes cut down, not for the record)" if quick else "full"
    lines = [
        TITLE,
        "",
        "Written by `python -m bench` (see `bench/`); every figure is a ratio or a count "
        "against a baseline measured in the same run on the same machine, because timings on "
        "a shared machine only compare within a run.",
        "",
        f"Mode: {mode}.",
        "",
        *table(["Machine", ""], [[label, value] for label, value in machine]),
        "",
        "## Results",
        "",
        *table(
            ["Benchmark", "Figure", "Measured", "Baseline (same run)", "Ratio", "Target", "Met"],
            [
                [
                    section.title,
                    row.figure,
                    row.measured,
                    row.baseline,
                    row.ratio,
                    row.target,
                    row.verdict,
                ]
                for section in sections
                for row in section.rows
            ],
        ),
    ]
    for section in sections:
        if not (section.details or section.notes):
            continue
        lines += ["", f"## {section.title}", ""]
        if section.details:
            lines += [*section.details, ""]
        lines += [f"- {note}" for note in section.notes]
    return "\n".join(lines).rstrip() + "\n"


def kept_tail(path: Path) -> str:
    """The hand-written part of an existing report (with its marker), or just the marker."""
    if path.exists():
        text = path.read_text()
        if KEEP_MARKER in text:
            return KEEP_MARKER + text.split(KEEP_MARKER, 1)[1]
    return KEEP_MARKER + "\n"


def write(path: Path, generated: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(generated + "\n" + kept_tail(path))
