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
from .api_oauth import Grants
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
        # Installs by OAuth: each approved workspace's own bot token (`install`), expiring
        # by this workspace's clock when `grants.token_rotation` is on.
        self.grants = Grants(clock=workspace.clock)
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

    # ------------------------------------------------------------ installs by OAuth
    def approve_install(self, workspace: Workspace, scopes: str = "") -> str:
        """Someone approved the app for `workspace` (or its organization, `org_wide`) on
        Slack's authorize page: the code Slack puts on the redirect. That workspace's calls
        then carry the token oauth.v2.access hands out for it, and land in its records."""
        return self.grants.approve(workspace, scopes=scopes)

    def workspace_for(self, token: str) -> Workspace | None:
        if token == self.bot_token or token == self.app_token:
            return self.workspace
        return self.grants.workspace_of(token)

    def _holding(self, found: Any) -> Workspace:
        """The workspace that issued an upload or response URL (`found` asks one)."""
        for workspace in [self.workspace, *self.grants.workspaces()]:
            if found(workspace):
                return workspace
        return self.workspace

    # ------------------------------------------------------------ failure injection
    def rate_limit(self, method: str, per_second: float, burst: int = 1) -> None:
        """A token bucket per workspace and method (and channel, for chat.postMessage), as
        Slack counts its limits; empty -> 429."""
        self.faults.rate_limit(method, per_second, burst)

    def fail_next(
        self,
        method: str,
        error: str,
        *,
        status: int = 200,
        times: int = 1,
        retry_after: int | None = None,
        team_id: str | None = None,
    ) -> None:
        """Answer the next `times` calls to `method` (of workspace `team_id` only, if
        given) with {"ok": false, "error": error}."""
        self.faults.fail_next(
            method, error, status=status, times=times, retry_after=retry_after, team_id=team_id
        )

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
        token = _token_of(headers, {})
        try:
            params = parse_params(headers.get("content-type", ""), query, body)
            token = _token_of(headers, params)
            response = self._run(method, headers, params)
        except ApiError as exc:
            response = exc.body()
        except Exception as exc:  # a bug in the fake: make it loud, not a hang
            traceback.print_exc()
            status, response = 500, {"ok": False, "error": f"slack_standin_bug: {exc!r}"}
        if isinstance(response, tuple):  # an injected failure
            status, extra_headers, response = response
        params.pop("token", None)
        params.pop("client_secret", None)
        # oauth.v2.access carries no token: it is recorded where the token it gave works.
        granted = response.get("access_token") if isinstance(response, dict) else None
        owner = token or granted
        workspace = (self.workspace_for(str(owner)) if owner else None) or self.workspace
        workspace.record_call(
            ApiCall(
                method=method,
                params=params,
                status=status,
                response=response,
                token=token,
                at=workspace.clock(),
            )
        )
        return status, extra_headers, response

    def _run(
        self, method: str, headers: dict[str, str], params: dict[str, Any]
    ) -> dict[str, Any] | tuple[int, dict[str, str], dict[str, Any]]:
        if method == "oauth.v2.access":  # the app's client id and secret, not a token
            failure = self.faults.check(method)
            if failure is not None:  # Slack failing (a 5xx, internal_error): nothing used up
                extra = {"Retry-After": str(failure.retry_after)} if failure.retry_after else {}
                return failure.status, extra, {"ok": False, "error": failure.error}
            return self.grants.exchange(headers, params)
        handler = METHODS.get(method)
        if handler is None:
            return {"ok": False, "error": "unknown_method", "req_method": method}
        token = _token_of(headers, params)
        if not token:
            raise ApiError("not_authed")
        workspace = self.workspace
        if method in api_apps.APP_TOKEN_METHODS:
            if token != self.app_token:
                known = token == self.bot_token or self.grants.workspace_of(token) is not None
                raise ApiError("not_allowed_token_type" if known else "invalid_auth")
        elif token != self.bot_token:
            installed = self.grants.workspace_of(token)
            if installed is None:
                raise ApiError(
                    "not_allowed_token_type" if token == self.app_token else "invalid_auth"
                )
            if self.grants.expired(token):
                raise ApiError("token_expired")
            workspace = installed
        scope = str(params.get("channel", "")) if method in PER_CHANNEL_METHODS else ""
        failure = self.faults.check(method, scope, workspace.team_id)
        if failure is not None:
            extra = {"Retry-After": str(failure.retry_after)} if failure.retry_after else {}
            return failure.status, extra, {"ok": False, "error": failure.error}
        ctx = ApiContext(workspace=workspace, base_url=self.base_url, open_socket=self._open_socket)
        return handler(ctx, params)


def _token_of(headers: dict[str, str], params: dict[str, Any]) -> str | None:
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    token = params.get("token")
    return str(token) if token else None


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
                file_id = url.path[len(api_files.UPLOAD_PREFIX) :].partition(".")[0]
                ws = server._holding(lambda w: w.file_record(file_id) is not None)
                status, text = api_files.receive_upload(ws, url.path, body)
                self._reply(status, text.encode(), "text/plain; charset=utf-8", {})
            elif url.path.startswith(PREFIXES):
                ws = server._holding(lambda w: w.response_url(url.path) is not None)
                status, text = handle_response_url(ws, url.path, body)
                self._reply(status, text.encode(), "text/html", {})
            else:
                self._reply(404, b"Not Found", "text/plain", {})

    return Handler
