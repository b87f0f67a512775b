"""Served apps as subprocesses: spawn, wait for the first answered request, measure, stop.

Every server binds a free port and is only ever sent requests on 127.0.0.1.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.load import HOST, Request
from bench.slack_requests import EVENTS_PATH

REPO = Path(__file__).resolve().parent.parent
# Keys of the caller's environment that must not leak into a served app's configuration.
APP_KEYS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_API_URL",
    "DATABASE_URL",
    "LVM_SECRET_KEY",
    "WEB_CONCURRENCY",
    "LVM_THREADS",
    "LVM_SCHEDULER",
    "LVM_CONTENT_DIR",
    "LOG_LEVEL",
    "PORT",
)
START_TIMEOUT = 60.0
POLL_SECONDS = 0.02


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def app_environment(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in APP_KEYS}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.update(values)
    return env


@dataclass
class ServedApp:
    """One server process (a gunicorn master and its workers)."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    spawned_at: float
    log: Path

    def answer_once(self, request: Request, timeout: float = 30.0) -> tuple[int, bytes]:
        body, headers = request()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            connection.request("POST", EVENTS_PATH, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def wait_until_answering(self, request: Request, expect: bytes) -> float:
        """Seconds from spawn to the first 200 carrying `expect`; polls every 20 ms."""
        deadline = self.spawned_at + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.tail()}")
            try:
                status, body = self.answer_once(request)
            except OSError:
                time.sleep(POLL_SECONDS)  # not listening yet
                continue
            if status == 200 and expect in body:
                return time.monotonic() - self.spawned_at
            raise RuntimeError(f"{self.name} answered {status}: {body[:200]!r}")
        raise RuntimeError(
            f"{self.name} did not answer within {START_TIMEOUT:.0f} s: {self.tail()}"
        )

    def pids(self) -> list[int]:
        """The master and its children (the workers)."""
        return [self.process.pid, *children_of(self.process.pid)]

    def rss_bytes(self) -> int:
        return sum(rss_of(pid) for pid in self.pids())

    def tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def spawn(name: str, command: list[str], env: dict[str, str], workdir: Path) -> ServedApp:
    port = free_port()
    log = workdir / f"{name}.log"
    with log.open("wb") as handle:
        started = time.monotonic()
        process = subprocess.Popen(
            [arg.replace("{port}", str(port)) for arg in command],
            cwd=workdir,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    return ServedApp(name, process, port, started, log)


def lvm_serve_command() -> list[str]:
    return [sys.executable, "-m", "bot", "serve", "--port", "{port}"]


def bare_behind_our_server_command() -> list[str]:
    return [sys.executable, "-m", "bench.bare_app", "--port", "{port}"]


def bare_default_gunicorn_command() -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "-w",
        "2",
        "-b",
        f"{HOST}:{{port}}",
        "bench.bare_app:application",
    ]


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


def stop_all(apps: list[ServedApp]) -> None:
    for app in apps:
        app.stop()
