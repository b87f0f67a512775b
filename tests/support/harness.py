"""The app as Slack sees it: the real WSGI app on 127.0.0.1, its WebClient on the fake Slack."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from bot.bank import Bank
from bot.platform.database import Database
from bot.platform.services import Services
from bot.platform.timekeeping import ManualClock
from bot.playground.workspace import (
    PULSE_SECRET,
    SIGNING_SECRET,
    LocalSlack,
    start_local_slack,
)
from slack_standin import FakeSlackServer, SlackSide, Workspace

__all__ = ["PULSE_SECRET", "SIGNING_SECRET"]

ALICE, BOB, CAROL, DAN, ERIN = "U0ALICE", "U0BOB", "U0CAROL", "U0DAN", "U0ERIN"
TEAM_CHANNEL = "C0TEAM"
QUIET_CHANNEL = "C0QUIET"  # the app is not a member here


@dataclass
class Harness:
    workspace: Workspace
    fake: FakeSlackServer
    slack: SlackSide
    services: Services
    url: str
    local: LocalSlack

    def wait_until_idle(self, timeout: float = 10.0) -> None:
        """Until every listener has finished what it does after its ack."""
        assert self.local.wait_until_quiet(timeout), "the app's listeners are still busy"

    def last_message(self, user_id: str) -> dict:
        message = self.workspace.last_message_for(user_id)
        assert message is not None, f"{user_id} has seen no message"
        return message

    def open_home(self, user_id: str) -> dict:
        """Open the Home tab and return it once published (that happens after the ack)."""
        published = len(self.workspace.calls_to("views.publish"))
        assert self.slack.app_home_opened(user_id).status == 200
        self.workspace.wait_for(
            lambda: any(
                call.status == 200 for call in self.workspace.calls_to("views.publish")[published:]
            ),
            what=f"{user_id}'s Home tab to be published",
        )
        home = self.workspace.home_view(user_id)
        assert home is not None
        return home

    def wait_for_text(self, user_id: str, needle: str) -> dict:
        """The latest message this person sees that contains `needle`, once it arrives."""

        def latest_match() -> dict | None:
            matches = [m for m in self.workspace.messages_for(user_id) if needle in text_of(m)]
            return matches[-1] if matches else None

        return self.workspace.wait_for(latest_match, what=f"{user_id} to see {needle!r}")


def populate(workspace: Workspace) -> None:
    for user_id, name, tz in [
        (ALICE, "alice", "Europe/London"),
        (BOB, "bob", "Europe/London"),
        (CAROL, "carol", "America/New_York"),
        (DAN, "dan", "Europe/Berlin"),
        (ERIN, "erin", "Asia/Tokyo"),
    ]:
        workspace.add_user(user_id, name, tz=tz)
    workspace.add_channel(TEAM_CHANNEL, "team", [ALICE, BOB, CAROL, DAN, ERIN])
    workspace.add_channel(QUIET_CHANNEL, "quiet", [ALICE, BOB], bot_is_member=False)


@contextmanager
def running_app(database: Database, bank: Bank, clock: ManualClock) -> Iterator[Harness]:
    workspace = Workspace()
    populate(workspace)
    with start_local_slack(database, bank, clock, workspace=workspace) as local:
        yield Harness(local.workspace, local.fake, local.slack, local.services, local.url, local)


def text_of(message: dict) -> str:
    """What a person reads in a message or view: its text and its blocks' texts, one a line."""
    parts = [message.get("text") or ""]
    for block in message.get("blocks", []):
        for piece in [block.get("text"), *block.get("elements", [])]:
            if isinstance(piece, dict) and isinstance(piece.get("text"), str):
                parts.append(piece["text"])
    return "\n".join(parts)
