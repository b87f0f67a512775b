"""The `lvm-bot try` interpreter: one line in, what the current person now sees out."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from bot.platform.refusals import PulseRefusal
from bot.playground.render import Renderer, Target
from bot.playground.seed import has_open_round, seed_history
from bot.playground.workspace import DEMO_CHANNEL, NEXT_LIMIT, LocalSlack
from slack_standin import TEAM_ID

logger = logging.getLogger(__name__)

DMS_SHOWN = 5
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg"}
SAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")

DURATION = re.compile(r"(\d+)\s*([wdhm])")
UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}

HELP = """\
Type what you would type in Slack, or a command:
  /lvm tip [topic]        any /lvm command (try /lvm help)
  1, 2, ...               press a numbered button
  :as <name>              act as someone else ({people})
  :next                   move time on to the next thing the app does by itself
                          (a round opens, a reminder, a close): works whatever the day
  :advance 1w | 2d | 3h   move time on; scheduled rounds open, remind and close
  :set <field> <value>    fill a field of the open form, then :submit (or :cancel)
  :fill 4 2 5 ...         fill the open form's fields in order, one value each (or one
                          value for all): quick for a form of choices like /lvm assess
  :dms                    your direct messages from lvm again (buttons keep their numbers)
  :home                   open your App Home tab
  :seed                   give the demo team a few months of pulse history
  :time                   what time it is in the demo
  :help, :quit"""


def parse_duration(text: str) -> timedelta:
    parts = DURATION.findall(text.replace(" ", ""))
    if not parts or "".join(n + u for n, u in parts) != text.replace(" ", ""):
        raise ValueError("use a duration like 1w, 2d, 3h, 30m or 1d12h")
    return sum((timedelta(**{UNITS[unit]: int(n)}) for n, unit in parts), timedelta())


@dataclass
class TrySession:
    local: LocalSlack
    console: Console
    output_dir: Path
    user: str = "you"
    pending: dict[str, Any] = field(default_factory=dict)
    _seen: dict[tuple[str, str], str] = field(default_factory=dict)
    _seen_view: str = ""
    _announced: set[tuple[str, str]] = field(default_factory=set)
    _files_saved: int = 0

    def __post_init__(self) -> None:
        self._renderers: dict[str, Renderer] = {}
        for person in self.local.people.values():
            self._remember(person.user_id)

    # ------------------------------------------------------------- people
    @property
    def renderer(self) -> Renderer:
        """The current person's screen: each person's buttons keep their own numbers."""
        if self.user not in self._renderers:
            self._renderers[self.user] = Renderer(self.name_of)
        return self._renderers[self.user]

    @property
    def user_id(self) -> str:
        return self.local.people[self.user].user_id

    def name_of(self, user_or_channel: str) -> str:
        for person in self.local.people.values():
            if person.user_id == user_or_channel:
                return person.name
        if user_or_channel == DEMO_CHANNEL[0]:
            return DEMO_CHANNEL[1]
        return user_or_channel

    # ------------------------------------------------------------- lines
    def handle(self, line: str) -> bool:
        """Run one line; False means the person asked to leave."""
        line = line.strip()
        if not line:
            return True
        try:
            if line.startswith("/"):
                command, _, text = line.partition(" ")
                self.local.slack.command(
                    self.user_id, text, channel_id=DEMO_CHANNEL[0], command=command
                )
            elif line.isdigit():
                self.press(int(line))
            elif line.startswith(":"):
                return self.meta(line[1:])
            else:
                self.say("Commands start with / (like /lvm tip) or : (try :help).")
                return True
        except (ValueError, KeyError, AssertionError, PulseRefusal) as problem:
            self.say(f"[red]{escape(str(problem))}[/red]")
            return True
        except Exception as problem:  # no mistake, and no state of the demo, ends the session
            logger.debug("try: %r failed", line, exc_info=True)
            self.say(
                f"[red]That failed inside the demo ({type(problem).__name__}: "
                f"{escape(str(problem))}). Nothing is lost: carry on, or type :help.[/red]"
            )
            return True
        self.show_changes()
        return True

    def meta(self, line: str) -> bool:
        word, _, rest = line.partition(" ")
        if word in ("q", "quit", "exit"):
            return False
        if word == "help":
            self.say(HELP.format(people=", ".join(self.local.people)))
        elif word == "as":
            name = rest.strip().lstrip("@").lower()
            if name not in self.local.people:
                raise ValueError(f"no one called {name!r}; try {', '.join(self.local.people)}")
            self.user = name
            self.pending = {}
            self.say(f"You are now [bold]{name}[/bold].")
            self.show_changes(everything=False)
        elif word == "next" or (word == "advance" and rest.strip() == "next"):
            self._next()
        elif word == "advance":
            delta = parse_duration(rest.strip())
            handled = self.local.advance(delta)
            self.say(
                f"Time moved on {rest.strip()}: it is now {self._now()} UTC "
                f"({handled} things happened)."
            )
            self.show_changes()
        elif word == "time":
            self.say(f"{self.local.clock():%A %d %B %Y, %H:%M} UTC")
        elif word == "home":
            self.local.slack.app_home_opened(self.user_id)
            self._settle()
            home = self.local.workspace.home_view(self.user_id)
            if home:
                self.console.print(self.renderer.view(home, {}))
        elif word == "set":
            block_id, _, value = rest.strip().partition(" ")
            self._set_field(block_id, value.strip())
        elif word == "fill":
            self._fill(rest.split())
        elif word == "submit":
            self._submit()
        elif word == "cancel":
            self.local.workspace.clear_modals(self.user_id)
            self.pending = {}
            self.say("Form closed.")
        elif word == "seed":
            self._seed()
        elif word == "dms":
            self.show_dms()
        else:
            raise ValueError(f"unknown command :{word} (try :help)")
        return True

    def _now(self) -> str:
        return f"{self.local.clock():%a %d %b %H:%M}"

    def _next(self) -> None:
        if self.local.advance_to_next():
            self.say(f"Time moved on to the next scheduled moment: it is now {self._now()} UTC.")
            self.show_changes()
        else:
            self.say(
                f"Nothing was due in the next {NEXT_LIMIT.days} days; it is now {self._now()} "
                "UTC. Set up a pulse (/lvm pulse setup) or a nudge (/lvm nudge) first."
            )

    # ------------------------------------------------------------- pressing and forms
    def press(self, number: int) -> None:
        target: Target | None = self.renderer.targets.get(number)
        if target is None:
            raise ValueError(
                f"there is no button {number} on screen; :dms shows your direct messages "
                "again, with their numbers"
            )
        try:
            if target.in_view:
                self.local.slack.click_in_view(
                    self.user_id, target.where, target.action_id, value=target.option
                )
            else:
                self.local.slack.click(
                    self.user_id, target.where, target.action_id, value=target.option
                )
        except AssertionError:  # the stand-in no longer shows that message, view or button
            raise ValueError(
                f"button {number} ({target.label}) is no longer there: what it was on has "
                "changed or closed. :dms shows your direct messages as they are now."
            ) from None

    def _set_field(self, block_id: str, value: str) -> None:
        view = self.local.workspace.top_view(self.user_id)
        if view is None:
            raise ValueError("no form is open")
        block = next((b for b in view["blocks"] if b.get("block_id") == block_id), None)
        if block is None or block.get("type") != "input":
            fields = [b["block_id"] for b in view["blocks"] if b.get("type") == "input"]
            raise ValueError(f"no field {block_id!r}; fields: {', '.join(fields)}")
        element = block["element"]
        self.pending[block_id] = self._raw_value(element, value)
        self.say(f"{block_id} = {value}")

    def _fill(self, values: list[str]) -> None:
        view = self.local.workspace.top_view(self.user_id)
        if view is None:
            raise ValueError("no form is open")
        fields = [b for b in view["blocks"] if b.get("type") == "input"]
        if len(values) == 1:
            values = values * len(fields)
        if not fields or len(values) != len(fields):
            raise ValueError(
                f"this form has {len(fields)} fields: give one value for each, in order, "
                "or one value for all"
            )
        filled = {
            block["block_id"]: self._raw_value(block["element"], value)
            for block, value in zip(fields, values, strict=True)
        }
        self.pending.update(filled)  # only once every value was understood
        self.say(f"Filled {len(filled)} fields; :submit to send the form.")

    def _raw_value(self, element: dict[str, Any], value: str) -> Any:
        kind = element.get("type", "")
        options = element.get("options") or [
            o for g in element.get("option_groups", []) for o in g.get("options", [])
        ]

        def option(word: str) -> str:
            for o in options:
                if word.lower() in (o["value"].lower(), o["text"]["text"].lower()):
                    return str(o["value"])
            raise ValueError(
                f"{word!r} is not one of: {', '.join(o['text']['text'] for o in options[:10])}"
            )

        if kind == "static_select":
            return option(value)
        if kind in ("multi_static_select", "checkboxes"):
            return [option(w.strip()) for w in value.split(",") if w.strip()]
        if kind == "multi_users_select":
            names = [w.strip().lstrip("@").lower() for w in value.split(",") if w.strip()]
            return [self.local.people[n].user_id for n in names]
        return value

    def _submit(self) -> None:
        view = self.local.workspace.top_view(self.user_id)
        if view is None:
            raise ValueError("no form is open")
        values = {block_id: {block_id: raw} for block_id, raw in self.pending.items()}
        response = self.local.slack.submit_view(self.user_id, view, values)
        errors = (response.json or {}).get("errors") if response.json else None
        if errors:
            for block_id, problem in errors.items():
                self.say(f"[red]{block_id}: {problem}[/red]")
            return
        self.pending = {}
        self.show_changes()

    def _seed(self) -> None:
        channel_id, _ = DEMO_CHANNEL
        manager = self.local.people["you"]
        added = seed_history(
            self.local.services,
            team_id=TEAM_ID,
            channel_id=channel_id,
            manager=manager.user_id,
            members=[p.user_id for p in self.local.people.values()],
            tz=manager.tz,
        )
        if added:
            self.say(f"Added {added} weeks of pulse history to #{DEMO_CHANNEL[1]} (you manage it).")
        elif has_open_round(self.local.services, TEAM_ID, channel_id):
            self.say(
                f"No history added: #{DEMO_CHANNEL[1]} has a round open now, and :seed can only "
                "add weeks before a round opens. Try it at the start of a new session."
            )
        else:
            self.say(f"No history added: #{DEMO_CHANNEL[1]} already has it.")

    # ------------------------------------------------------------- output
    def say(self, markup: str) -> None:
        self.console.print(Text.from_markup(markup))

    def _settle(self) -> None:
        """Wait until the app has finished what the last line started, uploads included."""
        if not self.local.wait_until_quiet():
            self.say(
                "[yellow]The app is still working on that; what it sends will show after "
                "your next line.[/yellow]"
            )

    def finish(self) -> None:
        """Before leaving: let the app finish, and show (and save) what it sent."""
        self.show_changes()

    def _remember(self, user_id: str) -> list[dict[str, Any]]:
        return [m for m in self.local.workspace.messages_for(user_id) if self._mark_seen(m)]

    def _mark_seen(self, message: dict[str, Any]) -> bool:
        """Record this version of the message as shown; True if it was new or changed."""
        key = (message["channel"], message["ts"])
        fingerprint = json.dumps([message.get("text"), message.get("blocks")], sort_keys=True)
        changed = self._seen.get(key) != fingerprint
        self._seen[key] = fingerprint
        return changed

    def _place(self, message: dict[str, Any]) -> str:
        if message["channel"].startswith("D"):
            return "direct message"
        if message.get("is_ephemeral"):
            return f"only visible to you in #{self.name_of(message['channel'])}"
        return f"#{self.name_of(message['channel'])}"

    def show_changes(self, *, everything: bool = True) -> None:
        self._settle()
        for message in self._remember(self.user_id):
            self.console.print(self.renderer.message(message, self._place(message)))
        view = self.local.workspace.top_view(self.user_id)
        fingerprint = json.dumps(view, sort_keys=True) if view else ""
        if view and (fingerprint != self._seen_view or not everything):
            errors = self.local.workspace.view_errors(view["id"]) if view.get("id") else {}
            self.console.print(self.renderer.view({**view, "errors": errors}, self.pending))
        self._seen_view = fingerprint
        self._save_files()
        if everything:
            self._announce_others()

    def _announce_others(self) -> None:
        """Tell once about each message someone else has not seen yet."""
        for person in self.local.people.values():
            if person.name == self.user:
                continue
            new = [
                key
                for m in self.local.workspace.messages_for(person.user_id)
                if (key := (m["channel"], m["ts"])) not in self._seen and key not in self._announced
            ]
            if not new:
                continue
            self._announced.update(new)
            has = "have" if person.name == "you" else "has"
            what = "a new message" if len(new) == 1 else f"{len(new)} new messages"
            self.say(f"[dim]{person.name} {has} {what} (:as {person.name} to see).[/dim]")

    def show_dms(self) -> None:
        """This person's direct messages from lvm as they are now, buttons numbered as before."""
        self._settle()
        dms = self.local.workspace.dm_messages(self.user_id)
        if not dms:
            self.say("No direct messages from lvm yet.")
            return
        shown = dms[-DMS_SHOWN:]
        if len(shown) < len(dms):
            self.say(f"[dim]The last {len(shown)} of {len(dms)} direct messages:[/dim]")
        for message in shown:
            self._mark_seen(message)
            self.console.print(self.renderer.message(message, self._place(message)))

    def _save_files(self) -> None:
        files = self.local.workspace.files
        for stored in files[self._files_saved :]:
            self._files_saved += 1
            path = self._free_path(stored.filename or f"lvm-upload-{self._files_saved}")
            path.write_bytes(stored.content or b"")
            kind = "chart" if path.suffix.lower() in IMAGE_SUFFIXES else "file"
            described = f" (alt text: {escape(stored.alt_txt)})" if stored.alt_txt else ""
            self.say(
                f"Saved the {kind} {escape(repr(stored.title or path.name))} to "
                f"[bold]{escape(str(path))}[/bold]{described}"
            )

    def _free_path(self, filename: str) -> Path:
        """Where an upload goes: its own name, made safe, never over an existing file."""
        name = SAFE_FILENAME.sub("-", Path(filename).name).strip(".-") or "lvm-upload"
        path = self.output_dir / name
        stem, suffix = path.stem, path.suffix
        number = 1
        while path.exists():
            number += 1
            path = self.output_dir / f"{stem}-{number}{suffix}"
        return path
