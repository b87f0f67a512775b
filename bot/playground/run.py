"""`lvm-bot try`: start the demo and read lines from the terminal, or from a script."""

from __future__ import annotations

import contextlib
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from rich.console import Console

from bot.bank import load_bank
from bot.playground.session import TrySession
from bot.playground.workspace import DEMO_CHANNEL, start_demo
from bot.tips.content_check import check_rendering

INTRO = (
    "[bold]lvm, running locally[/bold]: the real app on SQLite, with a stand-in for Slack.\n"
    "You are [bold]you[/bold], lead of #{channel} (with {others}). "
    "Try [cyan]/lvm tip[/cyan], [cyan]/lvm pulse setup[/cyan], [cyan]:seed[/cyan] then "
    "[cyan]/lvm summary[/cyan]; [cyan]:next[/cyan] moves the clock to the next round, "
    "reminder or close, and [cyan]:as maya[/cyan] lets you answer as her. "
    "[cyan]:help[/cyan] lists everything."
)


class OneLineFormatter(logging.Formatter):
    """A log record on one line: an error's type and message, never its traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(
            logging.makeLogRecord(
                {**record.__dict__, "exc_info": None, "exc_text": None, "stack_info": None}
            )
        )
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            line += f" ({type(error).__name__}: {error})"
        return line.replace("\n", " ")


def enable_line_editing() -> None:
    """Arrow keys, editing and history at the prompt: input() uses readline once imported."""
    # Not on every platform; without it the prompt still works, plainly.
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401


def parse_start(text: str) -> datetime:
    """A demo start time: ISO 8601, read as UTC unless it carries an offset."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date and time; use e.g. 2026-11-26T19:00 (UTC) "
            "or 2026-11-26T19:00+01:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def run_try(
    stdin: TextIO = sys.stdin, output_dir: Path | None = None, start: datetime | None = None
) -> int:
    # The app's own log lines would bury the conversation: warnings only, one line each.
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)
    interactive = stdin.isatty()
    if interactive:
        enable_line_editing()
    console = Console(highlight=False)
    bank = load_bank()
    check_rendering(bank)
    # The demo keeps its own clock: from `start` (tests pin it), else from now.
    start = (start or datetime.now(UTC)).replace(second=0, microsecond=0)
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
        session.finish()
    return 0
