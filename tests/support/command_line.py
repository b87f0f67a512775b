"""`lvm-bot` run as its own process, with the Slack settings of this shell left out."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

SLACK_KEYS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL")


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SLACK_KEYS and k != "DATABASE_URL"}
    env.update(extra)
    return env


def lvm_bot(
    *args: str, cwd: Path, timeout: float = 60, typed: str = "", **env: str
) -> subprocess.CompletedProcess:
    """Run `lvm-bot args`; `typed` is what the person types at its prompts (none: EOF)."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=clean_env(**env),
        input=typed,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
