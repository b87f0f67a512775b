"""The baseline: a bare Bolt app that acknowledges `/lvm` with a static block, and nothing else.

It verifies its token against Slack (here the fake, through SLACK_API_URL) at start-up and
checks signatures with SLACK_SIGNING_SECRET, as any Bolt app does; it also acks any button
with an empty body, the baseline for the click benchmark. Two ways to serve it:

- behind lvm's own server: `python -m bench.bare_app --port 3000` (bot/server.py's gunicorn
  settings, gthread workers);
- the way most Bolt apps are deployed: `gunicorn -w 2 bench.bare_app:application` (sync
  workers).

Both keep Bolt's default process_before_response=False, as lvm does: the request thread
polls for ack() every 10 ms while the listener runs in Bolt's pool.
"""

from __future__ import annotations

import argparse
import os
import re
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

EVENTS_PATH = "/slack/events"
ANSWER_TEXT = "A practice to try this week"
STATIC_BLOCKS: list[dict[str, Any]] = [
    {"type": "section", "text": {"type": "mrkdwn", "text": f"*{ANSWER_TEXT}*: delegate one task."}}
]


def build_app() -> App:
    client = WebClient(
        token=os.environ["SLACK_BOT_TOKEN"],
        base_url=os.environ.get("SLACK_API_URL", "https://slack.com/api/"),
    )
    app = App(
        client=client,
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
    )

    @app.command("/lvm")
    def answer(ack: Ack) -> None:
        ack(text=ANSWER_TEXT, blocks=STATIC_BLOCKS)

    @app.action(re.compile(".*"))
    def click(ack: Ack) -> None:
        ack()

    return app


def build_wsgi_app() -> SlackRequestHandler:
    return SlackRequestHandler(build_app(), path=EVENTS_PATH)


def __getattr__(name: str) -> Any:
    # `gunicorn bench.bare_app:application` builds the app in each worker, on import.
    if name == "application":
        return build_wsgi_app()
    raise AttributeError(name)


def serve(port: int) -> None:
    """Serve with exactly lvm's gunicorn settings (bot/server.py), minus lvm's clock."""
    from bot.platform.config import load_settings
    from bot.server import GunicornServer

    class BareServer(GunicornServer):
        def _start_clock(self, _arbiter: Any) -> None:
            pass

        def load(self) -> Any:
            return build_wsgi_app()

    BareServer(load_settings(), port).run()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    serve(parser.parse_args().port)


if __name__ == "__main__":
    main()
