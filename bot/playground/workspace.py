"""The demo workspace: the real app wired to the local stand-in for Slack.

Tests use the same wiring, so what works in the demo is what the tests prove.
"""

from __future__ import annotations

import json
import random
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType

from slack_bolt import App

from bot import clock as scheduler
from bot.app import build_app
from bot.bank import Bank
from bot.bootstrap import build_services
from bot.migrations import migrate
from bot.platform.config import Settings
from bot.platform.counting_executor import CountingExecutor
from bot.platform.database import Database
from bot.platform.local_server import LocalServer
from bot.platform.services import Services
from bot.platform.timekeeping import ManualClock
from bot.platform.web import EVENTS_PATH, LvmWsgiApp
from slack_standin import FakeSlackServer, SlackSide, Workspace

SIGNING_SECRET = "local-signing-secret"
PULSE_SECRET = "local-pulse-secret"
TICK_STEP = timedelta(minutes=30)
LISTENER_THREADS = 5  # as many as Bolt's own pool
QUIET_TIMEOUT = 60.0  # seconds; far longer than any listener takes, short of a hang
CLOSE_TIMEOUT = 10.0
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
NEXT_LIMIT = timedelta(days=8)  # a weekly schedule always has something due within this


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
    # Runs the app's listeners, so the demo can tell when they are all done.
    listeners: CountingExecutor
    app: App  # the Bolt app behind the server (tests ask it which listeners a request reaches)
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

    def advance_to_next(self, limit: timedelta = NEXT_LIMIT) -> bool:
        """Tick on until the app posts or changes a message by itself (a round opens, a
        reminder, a close, a nudge); False if nothing did within `limit` (time moved on anyway).

        The demo can start any day and hour; this reaches the next scheduled moment without
        the person having to know when it is.
        """
        before = self._messages_fingerprint()
        end = self.clock() + limit
        while self.clock() < end:
            # On the half hours, as schedules are: a 10:00 opening is found at 10:00.
            to_boundary = TICK_STEP - (self.clock() - EPOCH) % TICK_STEP
            self.clock.advance(min(to_boundary, end - self.clock()))
            self.tick()
            if self._messages_fingerprint() != before:
                return True
        return False

    def _messages_fingerprint(self) -> int:
        return hash(json.dumps(self.workspace.all_messages(), sort_keys=True, default=str))

    def wait_until_quiet(self, timeout: float = QUIET_TIMEOUT) -> bool:
        """Block until the app has finished all it started (replies, modals, uploads).

        Requests from the stand-in are answered at the ack, and the clock ticks in this
        thread; what runs on after an ack is the rest of its listener, in the listeners'
        pool (submitted before the ack is answered). False on timeout.
        """
        return self.listeners.wait_until_idle(timeout)

    def close(self) -> None:
        # Work still running would find both servers gone and fail noisily.
        self.wait_until_quiet(CLOSE_TIMEOUT)
        self.server.stop()
        self.fake.stop()
        self.listeners.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> LocalSlack:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


STATE_SECRET = "local-state-secret"


def local_settings(fake: FakeSlackServer, database: Database, *, oauth: bool = False) -> Settings:
    """The stand-in's one workspace by its bot token, or (`oauth`) any workspace installed
    through the stand-in's oauth.v2.access with its client id and secret."""
    tokens: dict[str, str | None] = (
        {
            "SLACK_CLIENT_ID": fake.grants.client_id,
            "SLACK_CLIENT_SECRET": fake.grants.client_secret,
            "SLACK_STATE_SECRET": STATE_SECRET,
        }
        if oauth
        else {"SLACK_BOT_TOKEN": fake.bot_token}
    )
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        **tokens,
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
    oauth: bool = False,
) -> LocalSlack:
    """Start the fake Web API and the real app (signed HTTP on 127.0.0.1) around `database`;
    with `oauth`, the app installs by OAuth (tests install each workspace first)."""
    workspace = workspace or Workspace()
    fake = FakeSlackServer(workspace).start()
    services = build_services(
        settings=local_settings(fake, database, oauth=oauth),
        database=database,
        bank=bank,
        now=clock,
        rng=random.Random(seed),
        secret=PULSE_SECRET,
    )
    listeners = CountingExecutor(LISTENER_THREADS, thread_name_prefix="listener")
    app = build_app(services, listener_executor=listeners)
    server = LocalServer(LvmWsgiApp(app, database, services.settings.SLACK_SIGNING_SECRET)).start()
    slack = SlackSide(server.url + EVENTS_PATH, SIGNING_SECRET, workspace, fake)
    return LocalSlack(workspace, fake, slack, services, server, clock, listeners, app)


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
