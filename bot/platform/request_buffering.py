"""gunicorn's threaded worker, handing a thread only requests that have fully arrived.

gunicorn's gthread worker gives a connection to a thread as soon as its first bytes arrive, and
the thread then blocks reading the rest: sixteen clients sending headers and half a body held
every thread of a default `lvm-bot serve`, and `/healthz` and Slack's own requests waited behind
them. Here the worker's event loop (which never blocks) collects each request, head and body,
before any thread sees it, as a buffering proxy would:

- a request must arrive whole within READ_SECONDS, or the connection is answered 408 and closed;
- a body announced (Content-Length) or sent (chunked) larger than MAX_BODY_BYTES is refused
  with 413 as soon as that is known, without reading it; a head larger than MAX_HEAD_BYTES
  with 431.

Slack's requests are a few kilobytes and arrive at once, so nothing it sends waits here.
"""

from __future__ import annotations

import contextlib
import errno
import selectors
import socket
import time
from collections import deque
from functools import partial
from typing import Any

from gunicorn.workers.gthread import TConn, ThreadWorker

MAX_BODY_BYTES = 1024 * 1024
MAX_HEAD_BYTES = 64 * 1024
READ_SECONDS = 10.0
# How long, and how much, a refused connection is drained (so the client reads our answer,
# not a reset); past either it is closed.
DRAIN_SECONDS = 2.0
DRAIN_BYTES = 4 * 1024 * 1024
RECEIVE_BYTES = 64 * 1024


class RequestRefused(Exception):
    """The request cannot be served; `status` is the HTTP status line to answer with."""

    def __init__(self, status: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def too_large(what: str) -> RequestRefused:
    return RequestRefused(
        "413 Content Too Large", f"{what} is over the {MAX_BODY_BYTES} bytes lvm accepts"
    )


def request_complete(data: bytes | bytearray) -> bool:
    """Whether `data` starts with a whole HTTP/1.x request (head and body).

    Raises RequestRefused for a request that can never be served: too large, or framed so
    that its end cannot be found.
    """
    head_end = data.find(b"\r\n\r\n")
    if head_end < 0:
        if len(data) > MAX_HEAD_BYTES:
            raise RequestRefused(
                "431 Request Header Fields Too Large", "the request head is too large"
            )
        return False
    length: int | None = None
    chunked = False
    for line in bytes(data[:head_end]).split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            text = value.strip()
            if not text.isdigit() or (length is not None and length != int(text)):
                raise RequestRefused("400 Bad Request", "the Content-Length is malformed")
            length = int(text)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
    body = memoryview(data)[head_end + 4 :]
    if chunked:
        return _chunks_complete(body)
    if length is None:
        return True
    if length > MAX_BODY_BYTES:
        raise too_large("the announced body")
    return len(body) >= length


def _chunks_complete(body: memoryview) -> bool:
    """Whether a chunked body has reached its last chunk and the end of its trailers."""
    data = body.tobytes()
    position = total = 0
    while True:
        line_end = data.find(b"\r\n", position)
        if line_end < 0:
            if len(data) - position > 1024:
                raise RequestRefused("400 Bad Request", "a chunk size line is malformed")
            return False
        size_text = data[position:line_end].split(b";")[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise RequestRefused("400 Bad Request", "a chunk size is malformed") from None
        total += size
        if total > MAX_BODY_BYTES:
            raise too_large("the chunked body")
        position = line_end + 2
        if size == 0:
            # Trailers (rarely any) end with an empty line.
            return data.startswith(b"\r\n", position) or data.find(b"\r\n\r\n", position) >= 0
        if len(data) < position + size + 2:
            return False
        position += size + 2


def refusal_bytes(refusal: RequestRefused) -> bytes:
    body = f"{refusal.reason}.\n".encode()
    return (
        f"HTTP/1.1 {refusal.status}\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body


class BufferedConn(TConn):  # type: ignore[misc]
    """A connection whose request was collected by the event loop before a thread got it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.received = bytearray()
        self.deadline = 0.0
        self.drained = 0

    def init(self) -> None:
        super().init()
        if self.received:
            self.parser.unreader.unread(bytes(self.received))
            self.received = bytearray()
        # A backstop: the request is whole by now, and a client that stops reading our
        # answer must not hold the thread either.
        self.sock.settimeout(READ_SECONDS)


class BufferingThreadWorker(ThreadWorker):  # type: ignore[misc]
    """gthread, with requests collected by the event loop (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.arriving: deque[BufferedConn] = deque()  # in deadline order
        self.draining: deque[BufferedConn] = deque()

    def accept(self, listener: socket.socket) -> None:
        try:
            client, address = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        self._collect(BufferedConn(self.cfg, client, address, listener.getsockname()))

    def on_client_socket_readable(self, conn: BufferedConn, client: socket.socket) -> None:
        # A kept-alive connection's next request is collected the same way.
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._collect(conn)

    def _collect(self, conn: BufferedConn) -> None:
        conn.sock.setblocking(False)
        conn.deadline = time.monotonic() + READ_SECONDS
        self.arriving.append(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_bytes, conn))

    def _on_bytes(self, conn: BufferedConn, _client: socket.socket) -> None:
        data = _receive(conn)
        if data is None:
            return
        if not data:  # the client went away
            self._stop_collecting(conn, self.arriving)
            self._close(conn)
            return
        conn.received += data
        try:
            complete = request_complete(conn.received)
        except RequestRefused as refusal:
            self._stop_collecting(conn, self.arriving)
            self.log.info("refused a request from %s: %s", conn.client, refusal.reason)
            self._refuse(conn, refusal)
            return
        if complete:
            self._stop_collecting(conn, self.arriving)
            conn.data_ready = True
            self.enqueue_req(conn)

    def _stop_collecting(self, conn: BufferedConn, queue: deque[BufferedConn]) -> None:
        with contextlib.suppress(KeyError, ValueError, OSError):
            self.poller.unregister(conn.sock)
        with contextlib.suppress(ValueError):
            queue.remove(conn)

    def _close(self, conn: BufferedConn) -> None:
        self.nr_conns -= 1
        conn.close()

    def _refuse(self, conn: BufferedConn, refusal: RequestRefused) -> None:
        """Answer at once, then read and discard what the client still sends for a while,
        so that it sees the answer rather than a reset; the body is never kept."""
        try:
            conn.sock.send(refusal_bytes(refusal))
            conn.sock.shutdown(socket.SHUT_WR)
        except OSError:
            self._close(conn)
            return
        conn.received = bytearray()
        conn.deadline = time.monotonic() + DRAIN_SECONDS
        self.draining.append(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_drain, conn))

    def _on_drain(self, conn: BufferedConn, _client: socket.socket) -> None:
        # One read per event, like any other connection: a fast sender cannot hold the loop.
        data = _receive(conn)
        if data is None:
            return
        conn.drained += len(data)
        if data and conn.drained <= DRAIN_BYTES:
            return
        self._stop_collecting(conn, self.draining)  # end of stream, an error, or enough
        self._close(conn)

    def murder_pending(self) -> None:
        super().murder_pending()
        now = time.monotonic()
        while self.arriving and self.arriving[0].deadline <= now:
            conn = self.arriving[0]
            self._stop_collecting(conn, self.arriving)
            self.log.info("closed a connection from %s: its request came too slowly", conn.client)
            with contextlib.suppress(OSError):
                conn.sock.send(
                    refusal_bytes(
                        RequestRefused(
                            "408 Request Timeout",
                            f"the request did not arrive within {READ_SECONDS:.0f} s",
                        )
                    )
                )
            self._close(conn)
        while self.draining and self.draining[0].deadline <= now:
            conn = self.draining[0]
            self._stop_collecting(conn, self.draining)
            self._close(conn)


def _receive(conn: BufferedConn) -> bytes | None:
    """One read of what has arrived: b"" when the client went away, None when nothing came."""
    try:
        return conn.sock.recv(RECEIVE_BYTES)
    except (BlockingIOError, InterruptedError):
        return None
    except OSError:
        return b""
