"""Block Kit, drawn for a terminal: messages, modals and the App Home, with numbered buttons."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.rule import Rule
from rich.text import Text

USER_MENTION = re.compile(r"<@([A-Z0-9]+)>")
CHANNEL_MENTION = re.compile(r"<#([A-Z0-9]+)(?:\|([^>]*))?>")
SLACK_DATE = re.compile(r"<!date\^\d+\^[^|>]*\|([^>]*)>")
LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")


@dataclass(frozen=True)
class Target:
    """Something a person can press: a button in a message or a view."""

    where: dict[str, Any]
    action_id: str
    label: str
    in_view: bool
    # The option an overflow menu's entry picks (a button sends its own value).
    option: str | None = None


def surface_of(where: dict[str, Any], in_view: bool) -> tuple[str, ...]:
    """What a button sits on, stable across updates: a message's channel and ts, a view's id
    (an App Home keeps its id across publishes)."""
    if in_view:
        return ("view", str(where.get("id") or where.get("type")))
    return ("message", str(where.get("channel")), str(where.get("ts")))


def button_key(surface: tuple[str, ...], element: dict[str, Any]) -> tuple[str, ...]:
    return (*surface, str(element.get("action_id")), str(element.get("value")))


def mrkdwn(text: str, names: Callable[[str], str]) -> Text:
    """Slack's mrkdwn (bold, italics, code, mentions, dates) as rich text."""
    text = USER_MENTION.sub(lambda m: "@" + names(m.group(1)), text)
    text = CHANNEL_MENTION.sub(lambda m: "#" + (m.group(2) or names(m.group(1))), text)
    text = SLACK_DATE.sub(lambda m: m.group(1), text)
    text = LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    marked = escape(text)
    marked = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"[bold]\1[/bold]", marked)
    marked = re.sub(r"(?<![\w_])_([^_\n]+)_(?![\w_])", r"[italic]\1[/italic]", marked)
    marked = re.sub(r"`([^`\n]+)`", r"[cyan]\1[/cyan]", marked)
    return Text.from_markup(marked, emoji=True)


class Renderer:
    """Draws surfaces and remembers what each number presses.

    A button keeps its number for as long as its message or view shows it, however often it
    is drawn again (after a click, or by :dms), so a number read earlier still works.
    """

    def __init__(self, names: Callable[[str], str]) -> None:
        self.names = names
        self._numbers: dict[tuple[str, ...], int] = {}
        self.targets: dict[int, Target] = {}

    def _button(
        self,
        where: dict[str, Any],
        element: dict[str, Any],
        in_view: bool,
        option: str | None = None,
    ) -> Text:
        label = element.get("text", {}).get("text", element.get("action_id", "?"))
        key = button_key(surface_of(where, in_view), element)
        number = self._numbers.setdefault(key, len(self._numbers) + 1)
        self.targets[number] = Target(where, element["action_id"], label, in_view, option)
        style = {"primary": "bold green", "danger": "bold red"}.get(
            element.get("style", ""), "bold"
        )
        return Text.assemble(("[", "dim"), (str(number), "yellow"), ("] ", "dim"), (label, style))

    def _menu(self, where: dict[str, Any], menu: dict[str, Any], in_view: bool) -> Text:
        """An overflow menu, drawn open: each of its options a numbered entry."""
        row = Text()
        for option in menu.get("options", []):
            entry = {
                "action_id": menu["action_id"],
                "value": option["value"],
                "text": option["text"],
            }
            row.append_text(self._button(where, entry, in_view, option=option["value"]))
            row.append("  ")
        return row

    def _text(self, piece: dict[str, Any] | None) -> Text:
        if not piece:
            return Text()
        if piece.get("type") == "mrkdwn":
            return mrkdwn(piece.get("text", ""), self.names)
        return Text(piece.get("text", ""))

    def _input(self, block: dict[str, Any], values: dict[str, Any]) -> Text:
        element = block.get("element", {})
        block_id = block.get("block_id", "?")
        current = values.get(block_id)
        if current is None:
            current = (
                element.get("initial_value")
                or element.get("initial_time")
                or (element.get("initial_option") or {}).get("text", {}).get("text")
                or ", ".join(self.names(u) for u in element.get("initial_users", []))
                or ", ".join(o["text"]["text"] for o in element.get("initial_options") or [])
                or ""
            )
        label = block.get("label", {}).get("text", block_id)
        line = Text.assemble(
            (f"{label}\n", "bold"), ("  ", ""), (str(current) or "(empty)", "cyan")
        )
        options = element.get("options") or [
            o for group in element.get("option_groups", []) for o in group.get("options", [])
        ]
        if options and element.get("type") in ("static_select", "checkboxes"):
            choices = " | ".join(o["text"]["text"] for o in options[:8])
            line.append(f"\n  choices: {choices}", "dim")
        line.append(f"\n  :set {block_id} <value>", "dim")
        return line

    def blocks(
        self,
        blocks: list[dict[str, Any]],
        where: dict[str, Any],
        *,
        in_view: bool = False,
        values: dict[str, Any] | None = None,
    ) -> list[RenderableType]:
        parts: list[RenderableType] = []
        for block in blocks:
            kind = block.get("type")
            if kind == "header":
                parts.append(Text(block["text"]["text"], style="bold underline"))
            elif kind == "section":
                parts.append(self._text(block.get("text")))
                accessory = block.get("accessory")
                if accessory and accessory.get("type") == "button":
                    parts.append(self._button(where, accessory, in_view))
                elif accessory and accessory.get("type") == "overflow":
                    parts.append(self._menu(where, accessory, in_view))
            elif kind == "context":
                line = Text(style="dim")
                for element in block.get("elements", []):
                    line.append_text(self._text(element))
                    line.append(" ")
                parts.append(line)
            elif kind == "divider":
                parts.append(Rule(style="dim"))
            elif kind == "actions":
                row = Text()
                for element in block.get("elements", []):
                    if element.get("type") == "button":
                        row.append_text(self._button(where, element, in_view))
                        row.append("  ")
                parts.append(row)
            elif kind == "input":
                parts.append(self._input(block, values or {}))
            elif kind == "image":
                parts.append(Text(f"(image: {block.get('alt_text', '')})", style="dim"))
        return parts

    def message(self, message: dict[str, Any], place: str) -> Panel:
        blocks = message.get("blocks") or []
        body = (
            self.blocks(blocks, message)
            if blocks
            else [mrkdwn(message.get("text", ""), self.names)]
        )
        for attached in message.get("files") or []:
            body.append(
                Text(f"(file: {attached.get('title') or attached.get('name')})", style="dim")
            )
        return Panel(Group(*body), title=f"lvm · {place}", title_align="left", border_style="blue")

    def view(self, view: dict[str, Any], values: dict[str, Any]) -> Panel:
        # An App Home has no title of its own (Slack fills in "View Title"): name the tab.
        if view.get("type") == "home":
            title = "lvm · App Home"
        else:
            title = (view.get("title") or {}).get("text", view.get("type", "view"))
        body = self.blocks(view.get("blocks", []), view, in_view=True, values=values)
        if view.get("type") == "modal":
            body.append(Text(":submit to save, :cancel to close", style="dim"))
        errors = view.get("errors") or {}
        for block_id, problem in errors.items():
            body.append(Text(f"! {block_id}: {problem}", style="bold red"))
        return Panel(Group(*body), title=f"{title}", title_align="left", border_style="magenta")
