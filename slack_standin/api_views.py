"""views.* methods: modals (open/push/update) and App Home (publish).

Modals need a trigger_id that Slack issued with an interaction: valid once,
for 3 seconds. Apps that do slow work before views.open fail in production
with expired_trigger_id, so the fake enforces it too.
"""

from __future__ import annotations

from typing import Any

from .api_common import ApiContext, ApiError, Handler, as_json, invalid_arguments, require
from .blocks import validate_view
from .records import Trigger
from .workspace import Workspace


def _view_param(params: dict[str, Any], *, allowed_types: tuple[str, ...]) -> dict[str, Any]:
    view = as_json(params, "view")
    if not isinstance(view, dict):
        raise invalid_arguments("missing required field: view")
    errors = validate_view(view, allowed_types=allowed_types)
    if errors:
        raise invalid_arguments(*errors)
    return view


def _take_trigger(ws: Workspace, params: dict[str, Any]) -> Trigger:
    """Check a trigger_id like Slack: unknown, already used, or older than 3 s."""
    trigger_id = params.get("trigger_id") or params.get("interactivity_pointer")
    if not trigger_id:
        raise invalid_arguments("missing required field: trigger_id")
    trigger = ws.trigger(str(trigger_id))
    if trigger is None:
        raise ApiError("invalid_trigger_id")
    if trigger.used:
        raise ApiError("exchanged_trigger_id")
    if ws.clock() - trigger.issued_at > ws.trigger_ttl:
        raise ApiError("expired_trigger_id")
    return trigger


def _check_external_id(ws: Workspace, view: dict[str, Any], *, own_id: str | None) -> None:
    external_id = view.get("external_id")
    if external_id:
        found = ws.find_view(external_id=str(external_id))
        if found is not None and found[1]["id"] != own_id:
            raise ApiError("duplicate_external_id")


def views_open(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.workspace
    with ws.lock:
        trigger = _take_trigger(ws, params)
        view = _view_param(params, allowed_types=("modal",))
        _check_external_id(ws, view, own_id=None)
        trigger.used = True
        return {"ok": True, "view": ws.open_modal(trigger.user_id, view)}


def views_push(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.workspace
    with ws.lock:
        trigger = _take_trigger(ws, params)
        view = _view_param(params, allowed_types=("modal",))
        if len(ws.open_views(trigger.user_id)) >= 3:
            raise ApiError("push_limit_reached")  # Slack stacks at most 3 modals
        _check_external_id(ws, view, own_id=None)
        trigger.used = True
        return {"ok": True, "view": ws.push_modal(trigger.user_id, view)}


def views_update(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.workspace
    view_id = params.get("view_id")
    external_id = params.get("external_id")
    if not view_id and not external_id:
        raise invalid_arguments("missing required field: view_id or external_id")
    with ws.lock:
        found = ws.find_view(
            view_id=str(view_id) if view_id else None,
            external_id=str(external_id) if external_id and not view_id else None,
        )
        if found is None:
            raise ApiError("not_found")
        _, live = found
        view = _view_param(params, allowed_types=(str(live["type"]),))
        if params.get("hash") and params["hash"] != live["hash"]:
            raise ApiError("hash_conflict")
        _check_external_id(ws, view, own_id=live["id"])
        return {"ok": True, "view": ws.update_view(live["id"], view)}


def views_publish(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.workspace
    user_id = require(params, "user_id")
    with ws.lock:
        user = ws.user(user_id)
        if user is None:
            raise ApiError("user_not_found")
        view = _view_param(params, allowed_types=("home",))
        current = ws.home_view(user_id)
        if params.get("hash") and current and params["hash"] != current["hash"]:
            raise ApiError("hash_conflict")
        return {"ok": True, "view": ws.publish_home(user_id, view)}


METHODS: dict[str, Handler] = {
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
}
