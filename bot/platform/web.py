"""The WSGI application: Slack's requests on POST /slack/events, and GET /healthz.

Before Bolt sees a request, its size, signature and shape are checked here, so that a large,
forged or malformed body costs a line in the log and a 4xx, never a traceback or a 500; and
Bolt (which logs the whole body of a badly signed request) never sees a forged one.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier

from bot.platform.database import Database
from bot.platform.health import DatabaseHealth
from bot.platform.request_buffering import MAX_BODY_BYTES

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Slack's timestamps are whole seconds in ASCII digits; int() alone would also take
# " 17e2", "1_700_000_000" or other scripts' digits.
TIMESTAMP = re.compile(r"[0-9]{1,12}")


class Refusal(Exception):
    def __init__(self, status: str, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


class LvmWsgiApp:
    def __init__(self, app: App, database: Database, signing_secret: str | None = None) -> None:
        self.slack = SlackRequestHandler(app, path=EVENTS_PATH)
        self.health = DatabaseHealth(database)
        # The secret Bolt checks too; without one (Socket Mode's App), Bolt alone decides.
        self.verifier = SignatureVerifier(signing_secret) if signing_secret else None

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            healthy = self.health.check()
            status = "200 OK" if healthy else "503 Service Unavailable"
            state = "ok" if healthy else "unavailable"
            body = json.dumps({"status": state, "database": state}).encode()
            start_response(
                status,
                [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
            )
            return [body]
        if path != EVENTS_PATH or method != "POST":
            return self.slack(environ, start_response)
        try:
            body = read_body(environ)
            # Shape first: whatever its signature, a body Bolt cannot read is a 400.
            check_shape(body, environ.get("CONTENT_TYPE"))
            self.check_signature(environ, body)
        except Refusal as refusal:
            logger.info("refused a request to %s: %s", EVENTS_PATH, refusal.status)
            return self._plain(start_response, refusal.status, refusal.text)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        try:
            return self.slack(environ, start_response)
        except Exception as error:
            # Bolt reads the request before dispatching it; a signed payload of a shape it
            # does not expect fails there. Its listeners' own errors never reach here.
            logger.warning("refused a signed request Bolt could not read: %s", type(error).__name__)
            return self._plain(start_response, "400 Bad Request", MALFORMED)

    def check_signature(self, environ: WSGIEnvironment, body: bytes) -> None:
        if self.verifier is None:
            return
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not TIMESTAMP.fullmatch(timestamp) or not self.verifier.is_valid(
            body, timestamp, signature
        ):
            raise Refusal("401 Unauthorized", "Missing, stale or invalid Slack signature.")

    @staticmethod
    def _plain(start_response: StartResponse, status: str, text: str) -> Iterable[bytes]:
        body = text.encode()
        start_response(
            status,
            [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
        )
        return [body]


MALFORMED = (
    "Malformed Slack payload: expected a form with a JSON object `payload`, or a JSON object."
)


def read_body(environ: WSGIEnvironment) -> bytes:
    """The request body, refused (413) when larger than any Slack sends, before reading it."""
    length_text = environ.get("CONTENT_LENGTH") or ""
    stream = environ["wsgi.input"]
    if length_text:
        if not length_text.isdigit():
            raise Refusal("400 Bad Request", "Malformed Content-Length.")
        length = int(length_text)
        if length > MAX_BODY_BYTES:
            raise Refusal(
                "413 Content Too Large", f"Bodies over {MAX_BODY_BYTES} bytes are refused."
            )
        body: bytes = stream.read(length)
    elif "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        # No length: read no more than one byte past the limit (the server decodes chunks).
        body = stream.read(MAX_BODY_BYTES + 1)
    else:
        body = b""  # neither a length nor chunks: no body (and never wait for one)
        if len(body) > MAX_BODY_BYTES:
            raise Refusal(
                "413 Content Too Large", f"Bodies over {MAX_BODY_BYTES} bytes are refused."
            )
    return body


def check_shape(body: bytes, content_type: str | None) -> None:
    """Refuse (400) what Bolt would parse into something other than a JSON object."""
    try:
        text = body.decode("utf-8")
        payload: Any = {}
        if text and (content_type == "application/json" or text.startswith("{")):
            payload = json.loads(text)
        elif "payload" in text:
            inner = dict(parse_qsl(text, keep_blank_values=True)).get("payload")
            payload = json.loads(inner) if inner is not None else {}
    except ValueError:  # invalid UTF-8 or JSON
        raise Refusal("400 Bad Request", MALFORMED) from None
    if not isinstance(payload, dict):
        raise Refusal("400 Bad Request", MALFORMED)
