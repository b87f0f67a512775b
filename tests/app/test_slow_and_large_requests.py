"""Slow clients and large bodies against a real `lvm-bot serve`, through raw sockets.

Slack's requests are small and arrive at once; anything else must not hold the server's
threads or memory from the requests that matter.
"""

from __future__ import annotations

import socket
import threading
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.support.harness import ALICE, TEAM_CHANNEL, text_of
from tests.support.served import served_lvm

SLOW_CLIENTS = 16
MB = 1024 * 1024


def raw_connection(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def head(length: int | None, *, chunked: bool = False) -> bytes:
    lines = [
        "POST /slack/events HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: application/x-www-form-urlencoded",
    ]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def read_status(connection: socket.socket) -> str:
    received = b""
    while b"\r\n" not in received:
        chunk = connection.recv(4096)
        if not chunk:
            break
        received += chunk
    return received.split(b"\r\n", 1)[0].decode()


@pytest.mark.own_clock  # the server checks our signatures' timestamps against its own clock
def test_slow_clients_do_not_stop_healthz_or_a_signed_command(tmp_path):
    with served_lvm(tmp_path) as served, ExitStack() as slow:
        # Each sends its head and a tenth of its body, then stalls: more of them than the
        # server has threads (one worker of four).
        for _ in range(SLOW_CLIENTS):
            connection = slow.enter_context(raw_connection(served.port))
            connection.sendall(head(1000) + b"text=" + b"x" * 95)
        with urllib.request.urlopen(served.url + "/healthz", timeout=5) as reply:
            assert reply.status == 200
        response = served.slack.command(ALICE, "tip delegation", channel_id=TEAM_CHANNEL)
        assert response.status == 200
        assert "Try this week" in text_of(served.workspace.last_message_for(ALICE))
        assert served.process.poll() is None


def test_a_50_mb_unsigned_body_is_refused_with_413_before_it_is_read(tmp_path):
    with served_lvm(tmp_path) as served:
        before = served.rss_bytes()
        connection = raw_connection(served.port)
        sent = threading.Event()

        def push_body() -> None:
            try:
                connection.sendall(head(50 * MB))
                for _ in range(50):
                    connection.sendall(b"x" * MB)
            except OSError:
                pass  # the server closed its side after answering
            sent.set()

        pusher = threading.Thread(target=push_body, daemon=True)
        pusher.start()
        assert read_status(connection) == "HTTP/1.1 413 Content Too Large"
        pusher.join(timeout=30)
        connection.close()
        grown = served.rss_bytes() - before
        assert grown < 10 * MB, f"memory grew by {grown / MB:.0f} MB"
        with urllib.request.urlopen(served.url + "/healthz", timeout=5) as reply:
            assert reply.status == 200


def test_a_large_chunked_body_without_a_length_is_refused_with_413(tmp_path):
    with served_lvm(tmp_path) as served:
        connection = raw_connection(served.port)
        chunk = b"x" * (256 * 1024)
        try:
            connection.sendall(head(None, chunked=True))
            for _ in range(8):
                connection.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        except OSError:
            pass
        assert read_status(connection) == "HTTP/1.1 413 Content Too Large"
        connection.close()


def test_the_server_listens_on_loopback_by_default(tmp_path):
    with served_lvm(tmp_path) as served:
        listening = [
            line.split()
            for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
            if line.split()[3] == "0A"  # LISTEN
        ]
        ours = [local for _, local, *_ in listening if int(local.split(":")[1], 16) == served.port]
        assert ours == [f"0100007F:{served.port:04X}"]  # 127.0.0.1, not 0.0.0.0
