"""Slack's Socket Mode endpoint: a WebSocket on 127.0.0.1 that hands the app envelopes.

`apps.connections.open` (called with the app-level token) returns this server's URL. The app
connects, gets a `hello`, and from then on Slack's requests arrive as envelopes
({"envelope_id", "type", "payload", ...}); the app answers each with {"envelope_id",
"payload"?}, the payload being what its ack would have put in an HTTP response body.

Built on the `websockets` package (a test dependency): it is imported when the first
connection is opened, so `lvm-bot try`, which never opens one, does not need it.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from .workspace import APP_ID

ACK_TIMEOUT = 10.0  # Slack waits 3 s; a test waits longer, to tell slow from lost


@dataclass(frozen=True)
class Acknowledgment:
    """The app's answer to one envelope, and how long it took."""

    envelope_id: str
    payload: dict[str, Any] | None
    elapsed: float


class SocketModeServer:
    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._connection: Any = None  # the app's current connection
        self._connections = 0  # how many times the app has connected
        self._acks: dict[str, dict[str, Any]] = {}
        self._server: Any = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle
    def start(self) -> SocketModeServer:
        from websockets.sync.server import serve

        self._server = serve(self._handle, "127.0.0.1", 0)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fake-slack-socket-mode", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        """A fresh connection URL, as each apps.connections.open gives."""
        port = self._server.socket.getsockname()[1]
        return f"ws://127.0.0.1:{port}/link/?ticket={secrets.token_hex(8)}&app_id={APP_ID}"

    # ------------------------------------------------------------ the app's side
    def _handle(self, connection: Any) -> None:
        connection.send(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "debug_info": {"host": "fake-slack", "approximate_connection_time": 3600},
                    "connection_info": {"app_id": APP_ID},
                }
            )
        )
        with self._lock:
            self._connection = connection
            self._connections += 1
            self._lock.notify_all()
        try:
            for message in connection:
                answer = json.loads(message)
                if isinstance(answer, dict) and "envelope_id" in answer:
                    with self._lock:
                        self._acks[str(answer["envelope_id"])] = answer
                        self._lock.notify_all()
        except Exception:  # the app went away; it reconnects through apps.connections.open
            pass
        finally:
            with self._lock:
                if self._connection is connection:
                    self._connection = None
                self._lock.notify_all()

    def wait_for_connection(self, timeout: float = 30.0) -> bool:
        with self._lock:
            return self._lock.wait_for(lambda: self._connection is not None, timeout)

    @property
    def connections(self) -> int:
        with self._lock:
            return self._connections

    # ------------------------------------------------------------ Slack's side
    def send(
        self,
        envelope_type: str,
        payload: dict[str, Any],
        *,
        retry_attempt: int = 0,
        retry_reason: str = "",
        timeout: float = ACK_TIMEOUT,
    ) -> Acknowledgment:
        """Deliver one envelope to the connected app and wait for its acknowledgment."""
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": envelope_type,
            "payload": payload,
            "accepts_response_payload": envelope_type != "events_api",
            "retry_attempt": retry_attempt,
            "retry_reason": retry_reason,
        }
        with self._lock:
            if not self._lock.wait_for(lambda: self._connection is not None, timeout):
                raise AssertionError("the app is not connected over Socket Mode")
            connection = self._connection
        started = time.monotonic()
        connection.send(json.dumps(envelope))
        with self._lock:
            if not self._lock.wait_for(lambda: envelope_id in self._acks, timeout):
                raise AssertionError(f"no acknowledgment of a {envelope_type} envelope")
            answer = self._acks.pop(envelope_id)
        return Acknowledgment(envelope_id, answer.get("payload"), time.monotonic() - started)
