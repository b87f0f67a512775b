"""Pure builders for what Slack sends the app: actions, input state, refs.

A person can only use what is on screen, so lookups fail loudly (listing
what *is* there) instead of inventing elements.
"""

from __future__ import annotations

import time
from typing import Any

from .blocks import iter_elements

# element type -> (key in state/action payloads, key of its initial value)
VALUE_KEYS: dict[str, tuple[str, str | None]] = {
    "static_select": ("selected_option", "initial_option"),
    "external_select": ("selected_option", "initial_option"),
    "radio_buttons": ("selected_option", "initial_option"),
    "overflow": ("selected_option", None),
    "multi_static_select": ("selected_options", "initial_options"),
    "multi_external_select": ("selected_options", "initial_options"),
    "checkboxes": ("selected_options", "initial_options"),
    "users_select": ("selected_user", "initial_user"),
    "multi_users_select": ("selected_users", "initial_users"),
    "conversations_select": ("selected_conversation", "initial_conversation"),
    "multi_conversations_select": ("selected_conversations", "initial_conversations"),
    "channels_select": ("selected_channel", "initial_channel"),
    "multi_channels_select": ("selected_channels", "initial_channels"),
    "datepicker": ("selected_date", "initial_date"),
    "timepicker": ("selected_time", "initial_time"),
    "datetimepicker": ("selected_date_time", "initial_date_time"),
    "plain_text_input": ("value", "initial_value"),
    "email_text_input": ("value", "initial_value"),
    "url_text_input": ("value", "initial_value"),
    "number_input": ("value", "initial_value"),
    "rich_text_input": ("rich_text_value", "initial_value"),
    "file_input": ("files", None),
}
# State keys holding lists (the rest hold a single value or None).
MULTI_KEYS = frozenset(
    {
        "selected_options",
        "selected_users",
        "selected_conversations",
        "selected_channels",
        "files",
    }
)
# Elements that fire an action but hold no state.
STATELESS = frozenset({"button", "workflow_button", "overflow"})


def action_ts() -> str:
    return f"{time.time():.6f}"


def user_ref(user: dict[str, Any], team_id: str) -> dict[str, Any]:
    return {"id": user["id"], "username": user["name"], "name": user["name"], "team_id": team_id}


def find_element(blocks: list[dict[str, Any]], action_id: str) -> tuple[str, dict[str, Any]]:
    """(block_id, element) with this action_id among the blocks shown."""
    found = iter_elements(blocks)
    for block_id, element in found:
        if element.get("action_id") == action_id:
            return block_id, element
    shown = sorted({str(el.get("action_id")) for _, el in found})
    raise AssertionError(
        f"no element with action_id {action_id!r} is shown; available: {shown or 'none'}"
    )


def _all_options(element: dict[str, Any]) -> list[dict[str, Any]]:
    options = list(element.get("options", []))
    for group in element.get("option_groups", []):
        options.extend(group.get("options", []))
    return options


def _match_option(element: dict[str, Any], raw: object) -> dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    for option in _all_options(element):
        if option.get("value") == raw:
            return option
    values = [o.get("value") for o in _all_options(element)]
    raise AssertionError(
        f"{element.get('action_id')!r} has no option with value {raw!r}; options: {values}"
    )


def selection(element: dict[str, Any], raw: object) -> dict[str, Any]:
    """Slack's `{key: value}` for an element set to `raw` (a plain value, a list,
    or an option dict)."""
    key, _ = VALUE_KEYS.get(str(element.get("type")), ("value", None))
    if key == "selected_option":
        return {key: None if raw is None else _match_option(element, raw)}
    if key == "selected_options":
        items = raw if isinstance(raw, list) else [] if raw is None else [raw]
        return {key: [_match_option(element, item) for item in items]}
    if key in MULTI_KEYS and raw is not None:
        return {key: list(raw) if isinstance(raw, (list, tuple)) else [raw]}
    if key == "value" and raw is not None:
        return {key: str(raw)}
    return {key: raw}


def initial_selection(element: dict[str, Any]) -> dict[str, Any]:
    """What an untouched element holds: its initial value, else empty."""
    key, initial_key = VALUE_KEYS.get(str(element.get("type")), ("value", None))
    initial = element.get(initial_key) if initial_key else None
    if initial is None:
        return {key: [] if key in MULTI_KEYS else None}
    return {key: initial}


def _is_empty(state: dict[str, Any]) -> bool:
    return all(v in (None, "", []) for k, v in state.items() if k != "type")


def build_action(element: dict[str, Any], block_id: str, value: object | None) -> dict[str, Any]:
    """One entry of a block_actions payload's `actions` list."""
    kind = element.get("type")
    action: dict[str, Any] = {"action_id": element.get("action_id"), "block_id": block_id}
    if kind in ("button", "workflow_button"):
        action["text"] = element.get("text")
        chosen = value if value is not None else element.get("value")
        if chosen is not None:
            action["value"] = str(chosen)
        if "style" in element:
            action["style"] = element["style"]
    else:
        if value is None and kind not in VALUE_KEYS:
            raise AssertionError(f"clicking a {kind} needs a value")
        action.update(
            selection(element, value) if value is not None else initial_selection(element)
        )
        if "placeholder" in element:
            action["placeholder"] = element["placeholder"]
    action["type"] = kind
    action["action_ts"] = action_ts()
    return action


def blocks_state(
    blocks: list[dict[str, Any]],
    entered: dict[str, dict[str, object]] | None = None,
    previous: dict[str, dict[str, dict[str, Any]]] | None = None,
    *,
    require_inputs: bool = False,
) -> dict[str, dict[str, dict[str, Any]]]:
    """state.values for a surface: `entered` values over what was typed earlier
    (`previous`) over initial values. With require_inputs, a required input
    left empty raises, because Slack's client would not let the person submit."""
    entered = entered or {}
    previous = previous or {}
    stateful = [(b, el) for b, el in iter_elements(blocks) if el.get("type") not in STATELESS]
    known = {(b, str(el.get("action_id"))) for b, el in stateful}
    unknown = [(b, a) for b, acts in entered.items() for a in acts if (b, a) not in known]
    if unknown:
        raise AssertionError(f"no such inputs {unknown}; the view has {sorted(known)}")
    values: dict[str, dict[str, dict[str, Any]]] = {}
    optional_blocks = {
        str(b.get("block_id")) for b in blocks if b.get("type") != "input" or b.get("optional")
    }
    for block_id, element in stateful:
        kind = str(element.get("type"))
        action_id = str(element.get("action_id"))
        given = entered.get(block_id, {})
        if action_id in given:
            raw = given[action_id]
            if isinstance(raw, dict) and "type" in raw:  # already Slack-shaped
                state = dict(raw)
            else:
                state = {"type": kind, **selection(element, raw)}
        elif action_id in previous.get(block_id, {}):
            state = previous[block_id][action_id]
        else:
            state = {"type": kind, **initial_selection(element)}
        if require_inputs and block_id not in optional_blocks and _is_empty(state):
            raise AssertionError(
                f"required input {block_id!r}/{action_id!r} is empty; "
                "Slack would not let the person submit"
            )
        values.setdefault(block_id, {})[action_id] = state
    return values
