"""`lvm-bot try`: start the demo and read lines from the terminal, or from a script."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from rich.console import Console

from bot.bank import load_bank
from bot.bank.check import check_rendering
from bot.playground.session import TrySession
from bot.playground.workspace import DEMO_CHANNEL, start_demo

INTRO = (
    "[bold]lvm, running locally[/bold]: the real app on SQLite, with a stand-in for Slack.\n"
    "You are [bold]you[/bold], lead of #{channel} (with {others}). "
    "Try [cyan]/lvm tip[/cyan], [cyan]/lvm pulse setup[/cyan], [cyan]:seed[/cyan] then "
    "[cyan]/lvm summary[/cyan]. [cyan]:help[/cyan] lists everything."
)


def run_try(stdin: TextIO = sys.stdin, output_dir: Path | None = None) -> int:
    # The app's own log lines would bury the conversation; keep warnings only.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    interactive = stdin.isatty()
    console = Console(highlight=False)
    bank = load_bank()
    check_rendering(bank)
    start = datetime.now(UTC).replace(second=0, microsecond=0)
    with start_demo(bank, start) as local:
        session = TrySession(local, console, output_dir or Path.cwd())
        others = ", ".join(name for name in local.people if name != "you")
        console.print(INTRO.format(channel=DEMO_CHANNEL[1], others=others))
        while True:
            if interactive:
                try:
                    line = console.input(f"[bold green]{session.user}>[/bold green] ")
                except EOFError:
                    break
            else:
                raw = stdin.readline()
                if not raw:
                    break
                line = raw.rstrip("\n")
                if line.strip():
                    console.print(f"[bold green]{session.user}>[/bold green] {line}")
            if not session.handle(line):
                break
    return 0
