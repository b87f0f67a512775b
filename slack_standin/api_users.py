"""auth.test and users.* methods."""

from __future__ import annotations

import time
from typing import Any

from .api_common import ApiContext, ApiError, Handler, as_bool, paginate, require
from .workspace import (
    BOT_ID,
    BOT_NAME,
    BOT_USER_ID,
)


def auth_test(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    # Bolt reads bot_id/user_id/team_id from this to build its AuthorizeResult.
    ws = ctx.workspace
    answer: dict[str, Any] = {
        "ok": True,
        "url": f"https://{ws.team_domain}.slack.com/",
        "team": ws.team_name,
        "user": BOT_NAME,
        "team_id": ws.team_id,
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        "is_enterprise_install": ws.org_wide,
    }
    if ws.enterprise_id:
        answer["enterprise_id"] = ws.enterprise_id
    return answer


def _with_locale(user: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    if as_bool(params.get("include_locale")):
        user["locale"] = "en-US"
    return user


def users_info(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    user = ctx.workspace.user(require(params, "user"))
    if user is None:
        raise ApiError("user_not_found")
    return {"ok": True, "user": _with_locale(user, params)}


def users_list(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    everyone = {u["id"]: u for u in ctx.workspace.users()}
    page, next_cursor = paginate(list(everyone), params, kind="user", default_limit=0)
    return {
        "ok": True,
        "members": [_with_locale(everyone[i], params) for i in page],
        "cache_ts": int(time.time()),
        "response_metadata": {"next_cursor": next_cursor},
    }


METHODS: dict[str, Handler] = {
    "auth.test": auth_test,
    "users.info": users_info,
    "users.list": users_list,
}
