"""3. Summary at scale: not measured yet (the manager summary is still being built).

To fill in: build a round with many answers through the real code (see bench/clicks.py for
setting up a team and answering a round), time the summary against a baseline from the same
run, and replace `run` below with the measurement. Keep NAME, so `--only summary` still works.
"""

from __future__ import annotations

from bench.context import RunContext
from bench.results import Row, Section

NAME = "summary"
TITLE = "3. Summary at scale"


def run(ctx: RunContext) -> Section:
    section = Section(NAME, TITLE)
    section.add(
        Row(
            "manager summary of a large round",
            "not yet measured",
            target="to be set with the summary feature",
        )
    )
    section.facts["placeholder"] = True
    return section
