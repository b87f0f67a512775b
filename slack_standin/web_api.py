"""FakeSlackServer: Slack's Web API, upload URLs and response_urls on 127.0.0.1.

Point the app's WebClient at `server.api_url` (SLACK_API_URL). Requests are
checked like Slack does (bearer token, form or JSON bodies) and answered with
Slack's shapes; failures can be injected with rate_limit() / fail_next().
"""

from __future__ import annotations

import json
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from . import api_apps, api_chat, api_conversations, api_files, api_users, api_views
from .api_common import ApiContext, ApiError, Handler
from .faults import Faults
from .records import ApiCall
from .response_url import PREFIXES, handle_response_url
from .socket_mode import SocketModeServer
from .workspace import Workspace

METHODS: dict[str, Handler] = {
    **api_apps.METHODS,
    **api_users.METHODS,
    **api_chat.METHODS,
    **api_conversations.METHODS,
    **api_views.METHODS,
    **api_files.METHODS,
}
# Methods Slack rate-limits per channel rather than per workspace.
PER_CHANNEL_METHODS = frozenset({"chat.postMessage"})


def parse_params(content_type: str, query: str, body: bytes) -> dict[str, Any]:
    """Merge query-string and body params; Slack accepts form and JSON bodies."""
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if not body:
        return params
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            decoded = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ApiError("invalid_json") from exc
        if not isinstance(decoded, dict):
            raise ApiError("invalid_json")
        params.update(decoded)
    elif kind == "application/x-www-form-urlencoded":
        try:
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError as exc:
            raise ApiError("invalid_form_data") from exc
    elif kind != "multipart/form-data":  # only the retired files.upload sends that
        raise ApiError("invalid_post_type")
    return params


class FakeSlackServer:
    """Threaded fake of slack.com/api (plus upload and response URLs)."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        bot_token: str = "xoxb-fake-token",
        app_token: str = "xapp-1-fake-token",
    ) -> None:
        self.workspace = workspace
        self.bot_token = bot_token
        self.app_token = app_token  # for apps.connections.open (Socket Mode)
        self.socket_mode: SocketModeServer | None = None  # started on first use
        self.faults = Faults(workspace.clock)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None
        self._socket_lock = threading.Lock()

    # ------------------------------------------------------------ lifecycle
    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def api_url(self) -> str:
        """WebClient base_url; must keep its trailing slash."""
        return f"{self.base_url}api/"

    def start(self) -> FakeSlackServer:
        if self._thread is None:
            # Short poll interval: shutdown() waits up to one interval.
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.01},
                name="fake-slack",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self.socket_mode is not None:
            self.socket_mode.stop()
            self.socket_mode = None
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> FakeSlackServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _open_socket(self) -> str:
        with self._socket_lock:
            if self.socket_mode is None:
                self.socket_mode = SocketModeServer().start()
            return self.socket_mode.url

    # ------------------------------------------------------------ failure injection
    def rate_limit(self, method: str, per_second: float, burst: int = 1) -> None:
        """Token bucket per method (per channel for chat.postMessage); empty -> 429."""
        self.faults.rate_limit(method, per_second, burst)

    def fail_next(
        self,
        method: str,
        error: str,
        *,
        status: int = 200,
        times: int = 1,
        retry_after: int | None = None,
    ) -> None:
        """Answer the next `times` calls to `method` with {"ok": false, "error": error}."""
        self.faults.fail_next(method, error, status=status, times=times, retry_after=retry_after)

    def clear_failures(self) -> None:
        self.faults.clear()

    @property
    def ratelimited_count(self) -> int:
        """How many HTTP 429s were served in total."""
        return self.faults.total_ratelimited

    def ratelimited_count_for(self, method: str) -> int:
        return self.faults.ratelimited[method]

    # ------------------------------------------------------------ dispatch
    def handle_api(
        self, method: str, headers: dict[str, str], query: str, body: bytes
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        """Run one Web API call: (status, extra headers, JSON body)."""
        params: dict[str, Any] = {}
        status, extra_headers = 200, {}
        try:
            params = parse_params(headers.get("content-type", ""), query, body)
            response = self._run(method, headers, params)
        except ApiError as exc:
            response = exc.body()
        except Exception as exc:  # a bug in the fake: make it loud, not a hang
            traceback.print_exc()
            status, response = 500, {"ok": False, "error": f"slack_standin_bug: {exc!r}"}
        if isinstance(response, tuple):  # an injected failure
            status, extra_headers, response = response
        params.pop("token", None)
        self.workspace.record_call(
            ApiCall(method=method, params=params, status=status, response=response)
        )
        return status, extra_headers, response

    def _run(
        self, method: str, headers: dict[str, str], params: dict[str, Any]
    ) -> dict[str, Any] | tuple[int, dict[str, str], dict[str, Any]]:
        handler = METHODS.get(method)
        if handler is None:
            return {"ok": False, "error": "unknown_method", "req_method": method}
        auth = headers.get("authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else params.get("token")
        if not token:
            raise ApiError("not_authed")
        expected = self.app_token if method in api_apps.APP_TOKEN_METHODS else self.bot_token
        if token != expected:
            known = token in (self.bot_token, self.app_token)
            raise ApiError("not_allowed_token_type" if known else "invalid_auth")
        scope = str(params.get("channel", "")) if method in PER_CHANNEL_METHODS else ""
        failure = self.faults.check(method, scope)
        if failure is not None:
            extra = {"Retry-After": str(failure.retry_after)} if failure.retry_after else {}
            return failure.status, extra, {"ok": False, "error": failure.error}
        ctx = ApiContext(
            workspace=self.workspace, base_url=self.base_url, open_socket=self._open_socket
        )
        return handler(ctx, params)


def _make_handler(server: FakeSlackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "FakeSlack/1.0"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet

        def _reply(
            self, status: int, body: bytes, content_type: str, headers: dict[str, str]
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def do_GET(self) -> None:
            self._dispatch()

        def do_POST(self) -> None:
            self._dispatch()

        def _dispatch(self) -> None:
            url = urlsplit(self.path)
            body = self._body()
            if url.path.startswith("/api/"):
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, extra, payload = server.handle_api(
                    url.path[len("/api/") :], headers, url.query, body
                )
                data = json.dumps(payload).encode()
                self._reply(status, data, "application/json; charset=utf-8", extra)
            elif url.path.startswith(api_files.UPLOAD_PREFIX):
                status, text = api_files.receive_upload(server.workspace, url.path, body)
                self._reply(status, text.encode(), "text/plain; charset=utf-8", {})
            elif url.path.startswith(PREFIXES):
                status, text = handle_response_url(server.workspace, url.path, body)
                self._reply(status, text.encode(), "text/html", {})
            else:
                self._reply(404, b"Not Found", "text/plain", {})

    return Handler
