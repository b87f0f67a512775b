"""Fixtures for testing the fake Slack itself: a populated workspace, the
server, a real slack_sdk WebClient pointed at it, and a stub "app" that
records what SlackSide sends and answers with canned responses."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from slack_sdk import WebClient

from slack_standin import FakeSlackServer, SlackSide, Workspace
from tests.support.stub_app import Received, StubApp

SIGNING_SECRET = "test-signing-secret"
TOKEN = "xoxb-fake-token"


@pytest.fixture
def workspace() -> Workspace:
    ws = Workspace()
    ws.add_user("U0ALICE", "alice", is_admin=True)
    ws.add_user("U0BOB", "bob", tz="Europe/Berlin")
    ws.add_user("U0GONE", "gone", deleted=True)
    ws.add_channel("C0TEAM", "team", ["U0ALICE", "U0BOB"])
    ws.add_channel("C0PRIV", "secret", ["U0ALICE"], is_private=True, bot_is_member=False)
    ws.add_channel("C0PUB", "random", ["U0ALICE"], bot_is_member=False)
    ws.add_channel("C0OLD", "old", ["U0ALICE"], is_archived=True)
    return ws


@pytest.fixture
def server(workspace: Workspace) -> Iterator[FakeSlackServer]:
    with FakeSlackServer(workspace, bot_token=TOKEN) as srv:
        yield srv


@pytest.fixture
def client(server: FakeSlackServer) -> WebClient:
    return WebClient(token=TOKEN, base_url=server.api_url, retry_handlers=[])


@pytest.fixture
def stub_app() -> Iterator[StubApp]:
    lock = threading.Lock()
    app = StubApp(url="")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                app.received.append(Received(dict(self.headers.items()), body))
                status, text, ctype = app.answers.pop(0) if app.answers else (200, "", "text/plain")
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    app.url = f"http://127.0.0.1:{httpd.server_address[1]}/slack/events"
    yield app
    httpd.shutdown()
    thread.join(timeout=5)
    httpd.server_close()


@pytest.fixture
def signing_secret() -> str:
    return SIGNING_SECRET


@pytest.fixture
def slack(stub_app: StubApp, workspace: Workspace, server: FakeSlackServer) -> SlackSide:
    return SlackSide(stub_app.url, SIGNING_SECRET, workspace, server)
