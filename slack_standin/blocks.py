"""Block Kit validation and normalization, the way Slack's server does it.

Slack rejects malformed blocks with `invalid_blocks` and a list of
"<problem> [json-pointer:/blocks/N/...]" messages, and fills in block_id /
action_id values the app left out. Only the rules an app realistically trips
over are checked (types, required fields, documented length limits).
"""

from __future__ import annotations

import copy
import secrets
import string
from typing import Any

MESSAGE_MAX_BLOCKS = 50
VIEW_MAX_BLOCKS = 100

BLOCK_TYPES = frozenset(
    {
        "section",
        "divider",
        "image",
        "actions",
        "context",
        "input",
        "header",
        "rich_text",
        "file",
        "video",
        "markdown",
    }
)
SELECT_TYPES = frozenset(
    {
        "static_select",
        "external_select",
        "users_select",
        "conversations_select",
        "channels_select",
        "multi_static_select",
        "multi_external_select",
        "multi_users_select",
        "multi_conversations_select",
        "multi_channels_select",
    }
)
OPTION_ELEMENTS = frozenset(
    {"static_select", "multi_static_select", "overflow", "checkboxes", "radio_buttons"}
)
INPUT_ELEMENTS = frozenset(
    {
        "plain_text_input",
        "email_text_input",
        "url_text_input",
        "number_input",
        "rich_text_input",
        "datepicker",
        "timepicker",
        "datetimepicker",
        "file_input",
    }
)
# Elements that carry an action_id (interactive); "image" elements do not.
INTERACTIVE_ELEMENTS = (
    SELECT_TYPES | OPTION_ELEMENTS | INPUT_ELEMENTS | {"button", "workflow_button"}
)
TEXT_TYPES = frozenset({"plain_text", "mrkdwn"})


class _Checker:
    """Collects Slack-style error strings while walking a block list."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, pointer: str, problem: str) -> None:
        self.errors.append(f"{problem} [json-pointer:{pointer}]")

    def max_len(self, pointer: str, value: object, limit: int) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.fail(pointer, f"must be less than {limit + 1} characters")

    def text(self, pointer: str, obj: object, *, limit: int, plain_only: bool = False) -> None:
        if not isinstance(obj, dict):
            self.fail(pointer, "must be an object")
            return
        kind = obj.get("type")
        if kind not in TEXT_TYPES or (plain_only and kind != "plain_text"):
            allowed = "plain_text" if plain_only else "plain_text, mrkdwn"
            self.fail(f"{pointer}/type", f"must be one of: {allowed}")
        value = obj.get("text")
        if not isinstance(value, str):
            self.fail(f"{pointer}/text", "missing required field: text")
        elif not value:
            self.fail(f"{pointer}/text", "must be more than 0 characters")
        else:
            self.max_len(f"{pointer}/text", value, limit)

    def options(self, pointer: str, options: object, limit: int) -> None:
        if not isinstance(options, list) or not options:
            self.fail(pointer, "must provide at least 1 item")
            return
        if len(options) > limit:
            self.fail(pointer, f"must provide no more than {limit} items")
        for i, opt in enumerate(options):
            if not isinstance(opt, dict):
                self.fail(f"{pointer}/{i}", "must be an object")
                continue
            self.text(f"{pointer}/{i}/text", opt.get("text"), limit=75)
            if not isinstance(opt.get("value"), str):
                self.fail(f"{pointer}/{i}/value", "missing required field: value")
            else:
                self.max_len(f"{pointer}/{i}/value", opt["value"], 150)

    def element(self, pointer: str, el: object, action_ids: set[str]) -> None:
        if not isinstance(el, dict) or not isinstance(el.get("type"), str):
            self.fail(pointer, "missing required field: type")
            return
        kind = el["type"]
        if kind == "image":
            self._image(pointer, el)
            return
        if kind not in INTERACTIVE_ELEMENTS:
            self.fail(pointer, "failed to match all allowed schemas")
            return
        action_id = el.get("action_id")
        if action_id is not None:
            if not isinstance(action_id, str) or not action_id:
                self.fail(f"{pointer}/action_id", "must be more than 0 characters")
            else:
                self.max_len(f"{pointer}/action_id", action_id, 255)
                if action_id in action_ids:
                    self.fail(f"{pointer}/action_id", f"duplicate action_id: {action_id}")
                action_ids.add(action_id)
        if kind == "button":
            self.text(f"{pointer}/text", el.get("text"), limit=75, plain_only=True)
            self.max_len(f"{pointer}/value", el.get("value"), 2000)
            self.max_len(f"{pointer}/url", el.get("url"), 3000)
            if "style" in el and el["style"] not in ("primary", "danger"):
                self.fail(f"{pointer}/style", "must be one of: primary, danger")
        if "placeholder" in el:
            self.text(f"{pointer}/placeholder", el["placeholder"], limit=150, plain_only=True)
        if kind in OPTION_ELEMENTS and "option_groups" not in el:
            limit = {"overflow": 5, "checkboxes": 10, "radio_buttons": 10}.get(kind, 100)
            self.options(f"{pointer}/options", el.get("options"), limit)

    def _image(self, pointer: str, obj: dict[str, Any]) -> None:
        if "image_url" not in obj and "slack_file" not in obj:
            self.fail(pointer, "must provide either image_url or slack_file")
        self.max_len(f"{pointer}/image_url", obj.get("image_url"), 3000)
        if not isinstance(obj.get("alt_text"), str):
            self.fail(f"{pointer}/alt_text", "missing required field: alt_text")
        else:
            self.max_len(f"{pointer}/alt_text", obj["alt_text"], 2000)

    def elements(self, pointer: str, els: object, *, limit: int, context: bool) -> None:
        if not isinstance(els, list) or not els:
            self.fail(pointer, "must provide at least 1 item")
            return
        if len(els) > limit:
            self.fail(pointer, f"must provide no more than {limit} items")
        action_ids: set[str] = set()
        for i, el in enumerate(els):
            if context and isinstance(el, dict) and el.get("type") in TEXT_TYPES:
                self.text(f"{pointer}/{i}", el, limit=3000)
            elif context and isinstance(el, dict) and el.get("type") != "image":
                self.fail(f"{pointer}/{i}", "failed to match all allowed schemas")
            else:
                self.element(f"{pointer}/{i}", el, action_ids)

    def block(self, pointer: str, block: object) -> None:
        if not isinstance(block, dict):
            self.fail(pointer, "must be an object")
            return
        kind = block.get("type")
        if not isinstance(kind, str):
            self.fail(pointer, "missing required field: type")
            return
        if kind not in BLOCK_TYPES:
            self.fail(pointer, "failed to match all allowed schemas")
            return
        if "block_id" in block:
            self.max_len(f"{pointer}/block_id", block["block_id"], 255)
        # "image" is both a block and an element type; the block has its own check.
        check = self._image_block if kind == "image" else getattr(self, f"_{kind}", None)
        if check is not None:
            check(pointer, block)

    def _section(self, pointer: str, block: dict[str, Any]) -> None:
        if "text" not in block and "fields" not in block:
            self.fail(pointer, "must provide either text or fields")
        if "text" in block:
            self.text(f"{pointer}/text", block["text"], limit=3000)
        if "fields" in block:
            fields = block["fields"]
            if not isinstance(fields, list) or not fields:
                self.fail(f"{pointer}/fields", "must provide at least 1 item")
            else:
                if len(fields) > 10:
                    self.fail(f"{pointer}/fields", "must provide no more than 10 items")
                for i, field in enumerate(fields):
                    self.text(f"{pointer}/fields/{i}", field, limit=2000)
        if "accessory" in block:
            self.element(f"{pointer}/accessory", block["accessory"], set())

    def _header(self, pointer: str, block: dict[str, Any]) -> None:
        self.text(f"{pointer}/text", block.get("text"), limit=150, plain_only=True)

    def _actions(self, pointer: str, block: dict[str, Any]) -> None:
        self.elements(f"{pointer}/elements", block.get("elements"), limit=25, context=False)

    def _context(self, pointer: str, block: dict[str, Any]) -> None:
        self.elements(f"{pointer}/elements", block.get("elements"), limit=10, context=True)

    def _image_block(self, pointer: str, block: dict[str, Any]) -> None:
        self._image(pointer, block)
        if "title" in block:
            self.text(f"{pointer}/title", block["title"], limit=2000, plain_only=True)

    def _input(self, pointer: str, block: dict[str, Any]) -> None:
        self.text(f"{pointer}/label", block.get("label"), limit=2000, plain_only=True)
        if "hint" in block:
            self.text(f"{pointer}/hint", block["hint"], limit=2000, plain_only=True)
        if "element" not in block:
            self.fail(f"{pointer}/element", "missing required field: element")
        else:
            self.element(f"{pointer}/element", block["element"], set())


def validate_blocks(
    blocks: object, *, max_blocks: int = MESSAGE_MAX_BLOCKS, prefix: str = ""
) -> list[str]:
    """Return Slack-style error strings; empty when Slack would accept the blocks."""
    checker = _Checker()
    _check_block_list(checker, blocks, max_blocks=max_blocks, pointer=f"{prefix}/blocks")
    return checker.errors


def _check_block_list(checker: _Checker, blocks: object, *, max_blocks: int, pointer: str) -> None:
    if not isinstance(blocks, list):
        checker.fail(pointer, "must be an array")
        return
    if len(blocks) > max_blocks:
        checker.fail(pointer, f"must provide no more than {max_blocks} items")
    seen_block_ids: set[str] = set()
    for i, block in enumerate(blocks):
        checker.block(f"{pointer}/{i}", block)
        block_id = block.get("block_id") if isinstance(block, dict) else None
        if isinstance(block_id, str):
            if block_id in seen_block_ids:
                checker.fail(f"{pointer}/{i}/block_id", f"duplicate block_id: {block_id}")
            seen_block_ids.add(block_id)


def validate_view(view: dict[str, Any], *, allowed_types: tuple[str, ...]) -> list[str]:
    """Errors views.open/push/update/publish would report for this view."""
    checker = _Checker()
    kind = view.get("type")
    if kind not in allowed_types:
        checker.fail("/view/type", f"must be one of: {', '.join(allowed_types)}")
    if kind == "modal":
        checker.text("/view/title", view.get("title"), limit=24, plain_only=True)
        for key in ("submit", "close"):
            if key in view:
                checker.text(f"/view/{key}", view[key], limit=24, plain_only=True)
        has_inputs = any(
            isinstance(b, dict) and b.get("type") == "input" for b in view.get("blocks", [])
        )
        if has_inputs and "submit" not in view:
            checker.fail("/view/submit", "must provide submit when using input blocks")
    checker.max_len("/view/private_metadata", view.get("private_metadata"), 3000)
    checker.max_len("/view/callback_id", view.get("callback_id"), 255)
    checker.max_len("/view/external_id", view.get("external_id"), 255)
    _check_block_list(
        checker, view.get("blocks", []), max_blocks=VIEW_MAX_BLOCKS, pointer="/view/blocks"
    )
    return checker.errors


def _random_id(length: int) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


def _fill_action_id(element: object) -> None:
    if isinstance(element, dict) and element.get("type") in INTERACTIVE_ELEMENTS:
        element.setdefault("action_id", _random_id(5))


def normalize_blocks(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copy of `blocks` with the block_id / action_id values Slack generates when
    an app leaves them out (the ids then show up in payloads and responses)."""
    result = copy.deepcopy(blocks)
    for block in result:
        block.setdefault("block_id", _random_id(4))
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            _fill_action_id(element)
        _fill_action_id(block.get("accessory"))
        _fill_action_id(block.get("element"))
    return result


def iter_elements(blocks: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """(block_id, element) for every interactive element a person can use."""
    found: list[tuple[str, dict[str, Any]]] = []
    for block in blocks:
        block_id = str(block.get("block_id", ""))
        candidates: list[object] = []
        if block.get("type") == "actions":
            candidates.extend(block.get("elements", []))
        candidates.extend([block.get("accessory"), block.get("element")])
        for el in candidates:
            if isinstance(el, dict) and el.get("type") in INTERACTIVE_ELEMENTS:
                found.append((block_id, el))
    return found
