"""The apps under test, as Slack reaches them: lvm's `lvm-bot serve` and the bare baselines."""

from __future__ import annotations

from dataclasses import dataclass

from bench import processes
from bench.bare_app import ANSWER_TEXT
from bench.context import SECRET_KEY, RunContext
from bench.databases import BenchDatabase
from bench.load import Request
from bench.processes import ServedApp
from bench.slack_requests import SIGNING_SECRET, tip_request
from slack_standin import FakeSlackServer

TIP_CHANNEL = "C0BENCH"
LVM_TIP_TEXT = b"Try this week"  # every tip answer shows the practice's "Try this week"
BARE_TIP_TEXT = ANSWER_TEXT.encode()


@dataclass(frozen=True)
class Target:
    """A served app and what a correct answer to `/lvm tip` contains."""

    app: ServedApp
    label: str
    expect: bytes


def slack_env(fake: FakeSlackServer) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": fake.bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.api_url,
    }


def tip_for(fake: FakeSlackServer, user_id: str) -> Request:
    return tip_request(
        user_id, channel_id=TIP_CHANNEL, response_url=f"{fake.base_url}commands/bench/{user_id}"
    )


def spawn_lvm(
    ctx: RunContext,
    fake: FakeSlackServer,
    database: BenchDatabase,
    name: str,
    *,
    scheduler: str = "off",
) -> Target:
    """`lvm-bot serve` with its default server settings: gthread workers of 8 threads, one on
    SQLite, two on PostgreSQL.

    The clock is off unless asked for (on SQLite it would tick in the worker serving requests).
    """
    env = processes.app_environment(
        **slack_env(fake),
        DATABASE_URL=database.url,
        LVM_SECRET_KEY=SECRET_KEY,
        LVM_SCHEDULER=scheduler,
    )
    app = processes.spawn(name, processes.lvm_serve_command(), env, ctx.workdir)
    return Target(app, f"lvm ({database.label})", LVM_TIP_TEXT)


def spawn_bare_behind_our_server(ctx: RunContext, fake: FakeSlackServer, name: str) -> Target:
    env = processes.app_environment(**slack_env(fake))
    app = processes.spawn(name, processes.bare_behind_our_server_command(), env, ctx.workdir)
    return Target(app, "bare Bolt app, our server", BARE_TIP_TEXT)


def spawn_bare_default(ctx: RunContext, fake: FakeSlackServer, name: str) -> Target:
    env = processes.app_environment(**slack_env(fake))
    app = processes.spawn(name, processes.bare_default_gunicorn_command(), env, ctx.workdir)
    return Target(app, "bare Bolt app, gunicorn -w 2", BARE_TIP_TEXT)


def wait_for(targets: list[Target], fake: FakeSlackServer) -> dict[str, float]:
    """Seconds from spawn to first answered tip, per app (all spawned before waiting)."""
    return {
        target.app.name: target.app.wait_until_answering(tip_for(fake, "U0READY"), target.expect)
        for target in targets
    }
