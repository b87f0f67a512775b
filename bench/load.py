"""A load generator: client threads with persistent HTTP/1.1 connections to 127.0.0.1.

Each client takes the next job from a shared queue and runs its steps in order, one step at
a time, the way one person uses Slack; a step of several requests sends them at once on
separate connections (a double click). Requests are built, and signed, just before they are
sent, so Slack's timestamp check sees fresh signatures however long a run takes.
"""

from __future__ import annotations

import http.client
import itertools
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from bench.stats import Latencies

HOST = "127.0.0.1"
# (body, headers): one signed request, built at send time.
Request = Callable[[], tuple[bytes, dict[str, str]]]
Step = Sequence[Request]  # sent at once
Job = Sequence[Step]  # one client runs these in order
MAX_ERROR_SAMPLES = 5
# Reconnect rather than reuse a connection idle this long: lvm's gunicorn closes keep-alive
# connections after 5 s, and a request written into a closed one is lost (as Slack's client
# also knows, it keeps idle connections for less than the server does).
IDLE_SECONDS = 4.0
LATE_SECONDS = 0.5


@dataclass
class LoadRun:
    """What one run measured: a latency per answered request, and the failures."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    late_starts: int = 0  # paced jobs that began over LATE_SECONDS after their time

    @property
    def stats(self) -> Latencies:
        return Latencies.of(self.latencies, self.errors, self.elapsed)

    def absorb(self, other: LoadRun) -> None:
        """Add another run of the same load (e.g. a later turn) to this one."""
        self.merge(other.latencies, other.error_samples)
        self.errors += other.errors - len(other.error_samples)
        self.elapsed += other.elapsed
        self.late_starts += other.late_starts

    def merge(self, latencies: list[float], errors: list[str]) -> None:
        self.latencies.extend(latencies)
        self.errors += len(errors)
        room = MAX_ERROR_SAMPLES - len(self.error_samples)
        self.error_samples.extend(errors[: max(room, 0)])


class _Client:
    """One simulated sender with its own keep-alive connections (one per parallel request)."""

    def __init__(self, port: int, path: str, expect: bytes | None, timeout: float) -> None:
        self.port = port
        self.path = path
        self.expect = expect
        self.timeout = timeout
        self.connections: list[http.client.HTTPConnection] = []
        self.last_used: list[float] = []
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def _connection(self, index: int) -> http.client.HTTPConnection:
        while len(self.connections) <= index:
            self.connections.append(
                http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            )
            self.last_used.append(time.monotonic())
        now = time.monotonic()
        if now - self.last_used[index] > IDLE_SECONDS:
            self.connections[index].close()  # the next request opens a new one
        self.last_used[index] = now
        return self.connections[index]

    def run_step(self, step: Step) -> None:
        sent: list[tuple[http.client.HTTPConnection, float]] = []
        for index, request in enumerate(step):
            body, headers = request()
            connection = self._connection(index)
            started = time.perf_counter()
            try:
                connection.request("POST", self.path, body=body, headers=headers)
            except OSError as error:
                self._fail(connection, f"send: {error!r}")
                continue
            sent.append((connection, started))
        for connection, started in sent:
            self._receive(connection, started)

    def _receive(self, connection: http.client.HTTPConnection, started: float) -> None:
        try:
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as error:
            self._fail(connection, f"receive: {error!r}")
            return
        elapsed = time.perf_counter() - started
        if response.will_close:  # e.g. gunicorn's sync workers: no keep-alive
            connection.close()
        if response.status != 200:
            self.errors.append(f"HTTP {response.status}: {body[:120]!r}")
        elif self.expect is not None and self.expect not in body:
            self.errors.append(f"unexpected answer: {body[:160]!r}")
        else:
            self.latencies.append(elapsed)

    def _fail(self, connection: http.client.HTTPConnection, reason: str) -> None:
        connection.close()  # the next request reconnects
        self.errors.append(reason)

    def close(self) -> None:
        for connection in self.connections:
            connection.close()


def run_load(
    port: int,
    path: str,
    jobs: Iterable[Job],
    *,
    clients: int,
    duration: float | None = None,
    pace: Sequence[float] | None = None,
    expect: bytes | None = None,
    timeout: float = 15.0,
) -> LoadRun:
    """Run `clients` threads over the jobs until they run out (or `duration` seconds pass).

    With `pace`, job i starts no sooner than pace[i] seconds into the run (an open-loop
    arrival schedule); jobs that start late because every client was busy are counted.
    """
    queue: Iterator[tuple[int, Job]] = enumerate(jobs)
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    began: list[float] = []
    run = LoadRun()

    def next_job() -> Job | None:
        now = time.perf_counter()
        if duration is not None and now >= began[0] + duration:
            return None
        with lock:
            index, job = next(queue, (-1, None))
        if job is not None and pace is not None:
            due = began[0] + pace[index]
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)  # the arrival schedule, not the code under test
            elif -wait > LATE_SECONDS:
                with lock:
                    run.late_starts += 1
        return job

    def client_loop() -> None:
        client = _Client(port, path, expect, timeout)
        start.wait()
        try:
            while (job := next_job()) is not None:
                for step in job:
                    client.run_step(step)
        finally:
            client.close()
            with lock:
                run.merge(client.latencies, client.errors)

    threads = [
        threading.Thread(target=client_loop, name=f"load-{n}", daemon=True) for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    began.append(time.perf_counter())
    start.wait()
    for thread in threads:
        thread.join()
    run.elapsed = time.perf_counter() - began[0]
    return run


def endless(make: Callable[[int], Request]) -> Iterator[Job]:
    """Jobs of one request each, forever: for runs that stop on a duration."""
    for n in itertools.count():
        yield ((make(n),),)
