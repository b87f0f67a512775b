"""apps.* methods: opening a Socket Mode connection (with the app-level token)."""

from __future__ import annotations

from typing import Any

from .api_common import ApiContext, ApiError, Handler


def connections_open(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    if ctx.open_socket is None:
        raise ApiError("internal_error")
    return {"ok": True, "url": ctx.open_socket()}


METHODS: dict[str, Handler] = {"apps.connections.open": connections_open}
# Called with the app-level token (xapp-...), not the bot token.
APP_TOKEN_METHODS = frozenset(METHODS)
