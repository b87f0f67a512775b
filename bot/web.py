"""The WSGI application: Slack's requests on POST /slack/events, and GET /healthz."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.store.database import Database, DatabaseUnavailable

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


class LvmWsgiApp:
    def __init__(self, app: App, database: Database) -> None:
        self.slack = SlackRequestHandler(app, path=EVENTS_PATH)
        self.database = database

    def health(self) -> tuple[str, dict[str, str]]:
        try:
            self.database.ping()
        except DatabaseUnavailable as error:
            return "503 Service Unavailable", {"status": "unavailable", "database": str(error)}
        return "200 OK", {"status": "ok", "database": "ok"}

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in (
            "GET",
            "HEAD",
        ):
            status, payload = self.health()
            body = json.dumps(payload).encode()
            start_response(
                status,
                [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
            )
            return [body]
        try:
            return self.slack(environ, start_response)
        except ValueError:
            # Bolt parses the body before it checks the signature, so garbage (signed or
            # not) surfaces here as a JSON error; answer it instead of a bare 500.
            return self._plain(
                start_response,
                "400 Bad Request",
                "Malformed Slack payload: expected a form with a JSON `payload`, or JSON.",
            )

    @staticmethod
    def _plain(start_response: StartResponse, status: str, text: str) -> Iterable[bytes]:
        body = text.encode()
        start_response(
            status,
            [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
        )
        return [body]
