"""When the server's event loop considers a request whole (bot/platform/request_buffering.py)."""

from __future__ import annotations

import pytest

from bot.platform.request_buffering import (
    MAX_BODY_BYTES,
    MAX_HEAD_BYTES,
    RequestRefused,
    request_complete,
)

HEAD = b"POST /slack/events HTTP/1.1\r\nHost: x\r\n"


def test_a_body_of_the_announced_length_completes_the_request():
    request = HEAD + b"Content-Length: 5\r\n\r\n"
    assert not request_complete(request)
    assert not request_complete(request + b"1234")
    assert request_complete(request + b"12345")


def test_a_request_without_a_body_is_whole_at_the_end_of_its_head():
    assert not request_complete(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    assert request_complete(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")


def test_a_chunked_body_is_whole_after_its_last_chunk_and_trailers():
    request = HEAD + b"Transfer-Encoding: chunked\r\n\r\n"
    assert not request_complete(request + b"5\r\nhello\r\n")
    assert not request_complete(request + b"5\r\nhello\r\n0\r\n")
    assert request_complete(request + b"5\r\nhello\r\n0\r\n\r\n")
    assert request_complete(request + b"5;ext=1\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n")


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (HEAD + f"Content-Length: {MAX_BODY_BYTES + 1}\r\n\r\n".encode(), "413"),
        (HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n" % (MAX_BODY_BYTES + 1), "413"),
        (HEAD + b"X: " + b"a" * MAX_HEAD_BYTES, "431"),
        (HEAD + b"Content-Length: -1\r\n\r\n", "400"),
        (HEAD + b"Content-Length: 5\r\nContent-Length: 6\r\n\r\n", "400"),
        (HEAD + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n", "400"),
    ],
)
def test_requests_that_can_never_be_served_are_refused_at_once(request_bytes, status):
    with pytest.raises(RequestRefused) as refused:
        request_complete(request_bytes)
    assert refused.value.status.startswith(status)
