"""The demo workspace: the real app wired to the local stand-in for Slack.

Tests use the same wiring, so what works in the demo is what the tests prove.
"""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType

from bot import scheduler
from bot.app import build_app
from bot.bank import Bank
from bot.config import Settings
from bot.fake_slack import FakeSlackServer, SlackSide, Workspace
from bot.local_server import LocalServer
from bot.services import Services
from bot.store import migrate
from bot.store.database import Database
from bot.timekeeping import ManualClock
from bot.web import EVENTS_PATH, LvmWsgiApp

SIGNING_SECRET = "local-signing-secret"
PULSE_SECRET = "local-pulse-secret"
TICK_STEP = timedelta(minutes=30)


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    tz: str


DEMO_PEOPLE = (
    Person("U0YOU", "you", "Europe/London"),
    Person("U0MAYA", "maya", "Europe/London"),
    Person("U0SAM", "sam", "America/New_York"),
    Person("U0LEE", "lee", "Europe/Berlin"),
    Person("U0KIM", "kim", "Asia/Tokyo"),
)
DEMO_CHANNEL = ("C0DEMO", "demo-team")


@dataclass
class LocalSlack:
    """Everything one local session needs, started and stopped together."""

    workspace: Workspace
    fake: FakeSlackServer
    slack: SlackSide
    services: Services
    server: LocalServer
    clock: ManualClock
    people: dict[str, Person] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.server.url

    def tick(self) -> int:
        """One run of the real clock at the current (demo) time."""
        return scheduler.tick(
            self.services, self.clock(), sender=scheduler.build_sender(self.services)
        )

    def advance(self, delta: timedelta) -> int:
        """Move time on, ticking as the real clock would, so nothing due is skipped."""
        handled = 0
        end = self.clock() + delta
        while self.clock() + TICK_STEP < end:
            self.clock.advance(TICK_STEP)
            handled += self.tick()
        self.clock.set(end)
        return handled + self.tick()

    def close(self) -> None:
        self.server.stop()
        self.fake.stop()

    def __enter__(self) -> LocalSlack:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def local_settings(fake: FakeSlackServer, database: Database) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        SLACK_BOT_TOKEN=fake.bot_token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=database.url.render_as_string(hide_password=False),
        LVM_SECRET_KEY=PULSE_SECRET,
    )


def start_local_slack(
    database: Database,
    bank: Bank,
    clock: ManualClock,
    *,
    workspace: Workspace | None = None,
    seed: int = 7,
) -> LocalSlack:
    """Start the fake Web API and the real app (signed HTTP on 127.0.0.1) around `database`."""
    workspace = workspace or Workspace()
    fake = FakeSlackServer(workspace).start()
    services = Services(
        settings=local_settings(fake, database),
        database=database,
        bank=bank,
        now=clock,
        rng=random.Random(seed),
        secret=PULSE_SECRET,
    )
    server = LocalServer(LvmWsgiApp(build_app(services), database)).start()
    slack = SlackSide(server.url + EVENTS_PATH, SIGNING_SECRET, workspace, fake)
    return LocalSlack(workspace, fake, slack, services, server, clock)


def add_demo_team(workspace: Workspace) -> dict[str, Person]:
    for person in DEMO_PEOPLE:
        workspace.add_user(person.user_id, person.name, tz=person.tz)
    channel_id, name = DEMO_CHANNEL
    workspace.add_channel(channel_id, name, [p.user_id for p in DEMO_PEOPLE])
    return {person.name: person for person in DEMO_PEOPLE}


def demo_database(folder: Path | None = None) -> Database:
    """A fresh, migrated SQLite file in a folder of its own."""
    folder = folder or Path(tempfile.mkdtemp(prefix="lvm-try-"))
    database = Database(f"sqlite:///{folder / 'lvm-try.sqlite3'}")
    migrate.upgrade(database)
    return database


def start_demo(bank: Bank, start: datetime, folder: Path | None = None) -> LocalSlack:
    workspace = Workspace()
    people = add_demo_team(workspace)
    local = start_local_slack(demo_database(folder), bank, ManualClock(start), workspace=workspace)
    local.people = people
    return local
