"""A real `lvm-bot serve` (gunicorn master and workers) against the local stand-in for Slack."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from slack_standin import FakeSlackServer, SlackSide, Workspace
from tests.support.command_line import clean_env, free_port
from tests.support.harness import SIGNING_SECRET, populate


def children_of(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found.extend(int(child) for child in task.read_text().split())
        except OSError:
            continue
    return found


def rss_of(pid: int) -> int:
    """Resident set size in bytes (VmRSS), 0 for a process that is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


@dataclass
class Served:
    process: subprocess.Popen
    port: int
    workspace: Workspace
    slack: SlackSide
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_until_healthy(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"lvm-bot serve exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)  # polling a starting server, not timing the code under test
        raise AssertionError(f"lvm-bot serve did not become healthy: {self.log.read_text()}")

    def rss_bytes(self) -> int:
        """Resident memory of the master and its workers."""
        pids = [self.process.pid, *children_of(self.process.pid)]
        return sum(rss_of(pid) for pid in pids)


@contextmanager
def served_lvm(folder: Path, **env: str) -> Iterator[Served]:
    workspace = Workspace()
    populate(workspace)
    log = folder / "serve.log"
    with FakeSlackServer(workspace) as fake, log.open("w") as log_file:
        port = free_port()
        settings = {
            "SLACK_BOT_TOKEN": fake.bot_token,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake.api_url,
            "DATABASE_URL": f"sqlite:///{folder}/lvm.sqlite3",
            "WEB_CONCURRENCY": "1",
            "LVM_THREADS": "4",
            "LVM_SCHEDULER": "off",
            **env,
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--port", str(port)],
            cwd=folder,
            env=clean_env(**settings),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            served = Served(
                process,
                port,
                workspace,
                SlackSide(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, workspace, fake),
                log,
            )
            served.wait_until_healthy()
            yield served
        finally:
            process.terminate()
            process.wait(timeout=20)
