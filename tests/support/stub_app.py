"""A stand-in for the app, for testing the Slack stand-in: it records what Slack's side sends
and answers with what a test queued."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def payload(self) -> dict[str, Any]:
        """Decoded body: JSON events, `payload=` interactions, or slash-command forms."""
        text = self.body.decode()
        if text.startswith("{"):
            return json.loads(text)
        form = {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}
        return json.loads(form["payload"]) if "payload" in form else form


@dataclass
class StubApp:
    """Records requests; answers with queued (status, body, content_type) or 200 ''."""

    url: str
    received: list[Received] = field(default_factory=list)
    answers: list[tuple[int, str, str]] = field(default_factory=list)

    def answer(self, body: object = "", *, status: int = 200) -> None:
        if isinstance(body, (dict, list)):
            self.answers.append((status, json.dumps(body), "application/json"))
        else:
            self.answers.append((status, str(body), "text/plain"))
